# Two entry points for people: `make assess` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: assess test faults clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

assess: $(STAMP)
	$(BIN)/mlcareer assess

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks faults
	$(BIN)/ruff format --check src tests benchmarks faults
	$(BIN)/mypy
	$(BIN)/pytest

# Minutes long, and the full-disk runs need root and tmpfs: by hand, not in CI.
faults: $(STAMP)
	$(BIN)/python faults/kill9.py --trials 40
	$(BIN)/python faults/fulldisk.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
