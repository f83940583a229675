# Two commands on a fresh machine: `make demo` builds the demo graph, `make test` runs the tests.
# Both create .venv when missing and reinstall only when pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# setuptools notes that an editable install of a package with a mapped folder (ontology/ ->
# kg/ontology) resolves through its import finder; that is expected here, so the note is hidden.
QUIET_BUILD := PYTHONWARNINGS="ignore:Editable installation."

.PHONY: demo test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(QUIET_BUILD) $(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(STAMP)
	$(QUIET_BUILD) $(BIN)/pip install --quiet -e '.[dev,notebook]'
	touch $@

demo: $(STAMP)
	$(BIN)/kg build corpus -o build

test: $(DEV_STAMP)
	$(BIN)/python -m pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check kg tests
	$(BIN)/ruff format --check kg tests

clean:
	rm -rf build seeds-graph test-artifacts
