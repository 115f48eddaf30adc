# pilier-eco — set-up and everyday commands. `make demo` and `make test` work on a fresh clone.
# The newest of Python 3.12/3.13 the machine has (on PATH or installed by pyenv), else python3 (3.11 works too):
# from 3.12, coverage measures through sys.monitoring (COVERAGE_CORE=sysmon below), which leaves WeasyPrint's
# millions of calls alone, where 3.11's tracer nearly doubled the time of every test that renders a PDF
# (docs/performance-journal.md, 7 December 2026). A shim that cannot run (pyenv without that version) is skipped.
PYTHON ?= $(shell for p in python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12.*/bin/python3) python3.13 \
                    $(wildcard $(HOME)/.pyenv/versions/3.13.*/bin/python3) python3; do \
                    "$$p" -c 'import sys; assert sys.version_info >= (3, 11)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

LINTED := toolkit tests benchmarks scripts sample_data

.PHONY: demo test lint test-rapide bench bench-instructions samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m compileall -q toolkit
	@touch $(STAMP)

# --force: the demo regenerates its own sample report on purpose (every command refuses to overwrite without it)
demo: $(STAMP)
	$(BIN)/pilier-eco diagnose sample_data/carcassonne.xlsx -o reports/carcassonne.pdf --html reports/carcassonne.html --force

# Parallel workers, one per core (at most 4: each holds the WeasyPrint stack); a test file stays on one
# worker. `make test PYTEST_ARGS=-n0` runs in one process.
PYTEST_ARGS ?= -n auto --maxprocesses=4 --dist loadfile --no-loadscope-reorder
# Coverage of toolkit/ (pytest-cov combines the xdist workers): the report lists the files not fully
# covered, with their missing lines; the run fails below COV_FLOOR percent, the level measured on the whole
# suite minus about a point (92.6 to 92.7 % on 7 December 2026, whole suite). `make test COV_ARGS=` runs without measuring.
COV_FLOOR ?= 91
COV_ARGS ?= --cov=toolkit --cov-report=term-missing:skip-covered --cov-fail-under=$(COV_FLOOR)

# lint first: a style, import or type error fails in seconds, before the suite's minutes
# (mypy: settings in pyproject.toml [tool.mypy], packages = toolkit; its cache in .mypy_cache)
lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

test: lint
	COVERAGE_CORE=sysmon $(BIN)/python -m pytest $(PYTEST_ARGS) $(COV_ARGS)

# Everyday loop: the whole suite except the tests marked `lent` (web server and browser, series of PDF
# renders; see docs/performance.md). CI runs `make test`, i.e. everything.
test-rapide: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS) -m "not lent"

# compileall: an editable install leaves our own modules uncompiled, and with PYTHONDONTWRITEBYTECODE set
# every command would recompile them (~0.1 s): measure what a wheel install (compiled by pip) runs
bench: $(STAMP)
	$(BIN)/python -m compileall -q toolkit
	$(BIN)/python benchmarks/run.py

# instructions of one report counted by valgrind: the measure the shared host's load cannot move
bench-instructions: $(STAMP)
	$(BIN)/python benchmarks/instructions.py

samples: $(STAMP)
	$(BIN)/python sample_data/build_samples.py

clean:
	rm -rf $(VENV) build *.egg-info .coverage .coverage.* .mypy_cache reports/*.pdf reports/*.html reports/*.xlsx reports/*.json
