# pilier-eco — set-up and everyday commands. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test bench samples clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pilier-eco diagnose sample_data/carcassonne.xlsx -o reports/carcassonne.pdf --html reports/carcassonne.html

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

samples: $(STAMP)
	$(BIN)/python sample_data/build_samples.py

clean:
	rm -rf $(VENV) build *.egg-info reports/*.pdf reports/*.html reports/*.xlsx reports/*.json
