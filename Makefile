# The shared vocabulary of the project: `make run`, `make test`, `make bench`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTANCE ?= instance
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-fast bench lint check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install when the project's metadata changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

# The sample fund goes into a new instance only; an interrupted load is resumed (every step
# is idempotent), and an instance holding a real fund is left alone.
run: $(VENV)/.installed-run
	@if [ ! -f $(INSTANCE)/catalogue.sqlite3 ] || [ -f $(INSTANCE)/.loading-sample ]; then \
		mkdir -p $(INSTANCE) && touch $(INSTANCE)/.loading-sample && \
		$(BIN)/fonds --instance $(INSTANCE) index corpus/documents && \
		$(BIN)/fonds --instance $(INSTANCE) import corpus/catalogue.csv && \
		$(BIN)/fonds --instance $(INSTANCE) tags train --labels corpus/labels.csv && \
		$(BIN)/fonds --instance $(INSTANCE) retag --all && \
		rm $(INSTANCE)/.loading-sample || exit 1; \
	fi
	$(BIN)/fonds --instance $(INSTANCE) serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not slow and not browser"

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

lint: $(VENV)/.installed-test
	$(BIN)/ruff check library indexer webapp tests bench corpus
	$(BIN)/ruff format --check library indexer webapp tests bench corpus

check: lint test

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache bench/out
