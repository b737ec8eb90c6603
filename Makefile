# Set-up and everyday commands. Each target creates .venv and installs the
# project into it first, so a fresh clone needs only Python 3.11+ and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test lint validate bench clean

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "mcval needs Python 3.11 or newer; set PYTHON=python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(INSTALLED)

## demo: validate the repository's own proposals (the main job)
demo: $(INSTALLED)
	$(BIN)/mcval validate

## validate: like demo, but warnings fail too
validate: $(INSTALLED)
	$(BIN)/mcval validate --strict

## lint: ruff and mypy in strict mode
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## test: lint, then the whole test suite
test: lint
	$(BIN)/pytest

## bench: the benchmark scripts; results go to bench/RESULTS.md by hand
bench: $(INSTALLED)
	$(BIN)/python bench/validate_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
