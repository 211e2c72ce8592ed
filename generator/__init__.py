"""Generate a service's guide, eligibility checker, referral form and PDFs from its YAML sources.

One package per stage, imported one way (tests/test_layout.py holds them to it): text, sources,
rules, render, publish, commands, then the entry points (cli, plugin). See CONTRIBUTING.md.
"""
