# Two entry points: `make demo` and `make test`. Both create .venv and install grove first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SAMPLE := examples/client-a-enron
DEMO_DB ?= .grove/demo.db

CONVEX_DIR := kb/convex
# System tools grove uses when present (bubblewrap for the sandbox, chromium for the export page
# tests): `install` installs missing ones with apt-get when this user may (root or passwordless
# sudo); `check` only names them. Either way the setup says once what is missing and what that
# disables, and never fails for it.
SYSTEM_TOOLS ?= install

.PHONY: venv demo test test-fast test-convex convex-deps lint ruff clean studio export notebook bench

$(BIN)/grove: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(BIN)/grove

$(VENV)/.system-tools:
	@SYSTEM_TOOLS=$(SYSTEM_TOOLS) sh scripts/system-tools.sh
	@mkdir -p $(VENV) && touch $@

venv: $(BIN)/grove $(VENV)/.system-tools

demo: venv
	$(BIN)/grove demo --db $(DEMO_DB)

# Import layers (import-linter), then ruff lint and format check; `make test` runs both.
lint: venv
	$(BIN)/lint-imports

ruff: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: venv lint ruff
	$(BIN)/python -m pytest -q

test-fast: venv
	$(BIN)/python -m pytest -q -m "not slow"

# LangGraph Studio / local server: every graph in langgraph.json on http://127.0.0.1:2024
studio: venv
	LANGGRAPH_CLI_NO_ANALYTICS=1 $(BIN)/langgraph dev --no-browser

# The demo KB (after `make demo`) as one self-contained HTML page
export: venv
	$(BIN)/grove export --client demo --db $(DEMO_DB) --format html --out .grove/demo.html

# Run examples/quickstart.ipynb headless (outputs are not written back)
notebook: venv
	$(BIN)/python -m pytest -q tests/notebook

# Each claim of the design against its baseline (one line per measure); rewrites docs/BENCHMARKS.md
bench: venv
	$(BIN)/python -m bench.run

# npm ci when node_modules is missing or older than the lock file.
$(CONVEX_DIR)/node_modules/.package-lock.json: $(CONVEX_DIR)/package-lock.json
	cd $(CONVEX_DIR) && npm ci --no-audit --no-fund

convex-deps: $(CONVEX_DIR)/node_modules/.package-lock.json

# The Convex functions under convex-test, then the Convex half of the KB conformance suite.
test-convex: venv convex-deps
	cd $(CONVEX_DIR) && npm test
	$(BIN)/python -m pytest -q -rs tests/conformance -k convex

clean:
	rm -rf $(VENV) .grove build *.egg-info
