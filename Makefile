# Two entry points: `make demo` and `make test`. Both create .venv and install grove first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SAMPLE := examples/client-a-enron
DEMO_DB ?= .grove/demo.db

.PHONY: venv demo test test-fast lint clean

$(BIN)/grove: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(BIN)/grove

venv: $(BIN)/grove

demo: venv
	$(BIN)/grove demo --db $(DEMO_DB)

lint: venv
	$(BIN)/lint-imports

test: venv lint
	$(BIN)/python -m pytest -q

test-fast: venv
	$(BIN)/python -m pytest -q -m "not slow"

clean:
	rm -rf $(VENV) .grove build *.egg-info
