# Every target sets up what it needs on first use: a fresh clone needs only `make serve` or `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build check lint test flakes bench mutate system-deps clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	@bash .ci/system-deps

# The engine that turns the generated pages into HTML: mkdocs (with Material), properdocs, zensical.
ENGINE ?= mkdocs

# The preview is the published site's own build, under its own policy (no inline script), and
# reloads the page after each rebuild. `mkdocs serve` works too, with MkDocs' own live reload,
# whose inline script needs a weaker policy.
serve: $(VENV)/.installed
	$(PY) -m generator serve --engine $(ENGINE) --port 8000

build: $(VENV)/.installed
	$(PY) -m generator build --strict --engine $(ENGINE)

# CHECK_ARGS: how the pipelines ask for annotations, e.g. make check CHECK_ARGS="--format github".
check: $(VENV)/.installed
	$(PY) -m generator check $(CHECK_ARGS)

# One style for Python (ruff, pinned in pyproject's test extra) and for JS (Biome, pinned in
# package.json; its settings are in biome.jsonc).
lint: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/ruff check generator tests bench
	$(VENV)/bin/ruff format --check generator tests bench
	node_modules/.bin/biome check generator/static/js tests

# Lint first, then the tests in parallel (pytest-xdist), one worker per core.
test: lint system-deps
	$(PY) -m pytest -q -n auto

# A flaky test is a failing test: the browser suite RUNS times in a row, each run a fresh session
# (fresh builds, fresh browser), stopping at the first failure. Run it with the machine busy too.
RUNS ?= 5
flakes: system-deps $(VENV)/.installed node_modules/.installed
	for run in $$(seq $(RUNS)); do \
	  echo "Browser suite, run $$run of $(RUNS)"; \
	  $(PY) -m pytest -q -n auto -p no:cacheprovider tests/browser || exit 1; \
	done

# Mutation testing, a habit rather than a gate (not in CI; CONTRIBUTING.md has its score): mutmut
# changes generator/rules/, generator/text/ and generator/publish/csp.py one mutation at a time,
# in a copy under mutants/, and runs the fast tests that call the changed function (`-m "not slow"`,
# fuzzing cut to 25 examples and derandomised). Niced: it keeps both cores busy for a while.
# Verdicts are kept in mutants/ and reused; `rm -rf mutants` starts afresh. MUTANTS="names" runs
# (again) only those, e.g. make mutate MUTANTS="generator.publish.csp*".
MUTANTS ?=
$(VENV)/.mutmut: $(VENV)/.installed
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,mutate]'
	touch $@

mutate: $(VENV)/.mutmut node_modules/.installed
	mkdir -p mutants && ln -sfn ../node_modules mutants/node_modules
	HYPOTHESIS_PROFILE=mutate FUZZ_EXAMPLES=25 FUZZ_COMMAND_EXAMPLES=10 FUZZ_PDF_EXAMPLES=1 \
		nice -n 10 $(VENV)/bin/mutmut run --max-children 2 $(MUTANTS)
	$(PY) tests/mutation_score.py mutants
	@echo "Survivors: $(VENV)/bin/mutmut results; one of them: $(VENV)/bin/mutmut show NAME"

bench: system-deps $(VENV)/.installed node_modules/.installed
	$(PY) bench/run.py

clean:
	rm -rf site .pytest_cache .hypothesis
