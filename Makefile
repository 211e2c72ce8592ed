# Every target sets up what it needs on first use: a fresh clone needs only `make serve` or `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build check lint test flakes bench system-deps clean

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

bench: system-deps $(VENV)/.installed node_modules/.installed
	$(PY) bench/run.py

clean:
	rm -rf site .pytest_cache .hypothesis
