"""The service's rules as the model states them: the checker's graph, the submission schema, the form's
rule table and its interpreter, and the check of a saved referral."""
