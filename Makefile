# The README's two commands: `make demo` and `make test`. Each sets everything up on a fresh machine
# (Python 3.11 and Node/npm): a virtualenv, the Python packages, the front-end packages and assets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ASSETS := src/orchestrator/static/dist/orchestrator.css

.PHONY: setup demo test lint format assets clean

setup: $(BIN)/orchestrator $(ASSETS)

$(BIN)/orchestrator: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(ASSETS): node_modules/.package-lock.json $(wildcard frontend/*) scripts/build-assets.mjs
	npm run --silent build

assets: $(ASSETS)

demo: setup
	$(BIN)/orchestrator demo

test: setup lint
	$(BIN)/pytest

lint: $(BIN)/orchestrator
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/orchestrator
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules src/orchestrator/static/dist var/static
