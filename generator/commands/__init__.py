"""One module per command of `python -m generator`: each registers its arguments and prints its
results; the stages it calls (sources, rules, render, publish) print nothing and parse no arguments."""
