# The shared vocabulary of the project: `make run`, `make test`, `make bench`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTANCE ?= instance
HOST ?= 127.0.0.1
PORT ?= 5000

# Every install takes the exact versions of constraints.txt (compiled from pyproject.toml by
# `make lock`): `make test` on a new day runs against the same libraries as yesterday.
PIP_VERSION := 26.3
UV_VERSION := 0.13.9
INSTALL := $(BIN)/python -m pip install --quiet -c constraints.txt

.PHONY: run test test-fast bench lint check clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==$(PIP_VERSION)

# Re-install when the project's metadata or the locked versions change.
$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	$(INSTALL) -e .
	touch $@

# Development: the test oracles, the browser tests' driver and the linters.
$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(INSTALL) -e '.[test,browser,lint]'
	touch $@ $(VENV)/.installed-run

# Re-compile constraints.txt after a change of dependencies in pyproject.toml (needs the
# network); commit the result. uv is pinned so that the same inputs give the same file.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 \
		--custom-compile-command "make lock" --quiet -o constraints.txt

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

# The conformance tests' checkers (axe-core, the W3C Nu HTML checker's vnu.jar), at the exact
# versions of their lock file; installed again only when the lock changes. Without npm the
# step says so and those tests skip (they fail under CI=true: .ci/run installs npm).
CONFORMANCE := tests/conformance
$(CONFORMANCE)/node_modules/.installed: $(CONFORMANCE)/package-lock.json $(CONFORMANCE)/package.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(CONFORMANCE) --ignore-scripts --no-audit --no-fund --loglevel=error && \
		touch $@; \
	else \
		echo "npm not found: the conformance tests (axe-core, vnu.jar) will be skipped"; \
	fi

# The suite is spread over the machine's cores (pytest-xdist); a file's tests stay on one
# worker, so a file's session fixtures (a served fund, the browser, the checkers) start once.
TEST_WORKERS ?= auto
test: $(VENV)/.installed-test $(CONFORMANCE)/node_modules/.installed
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not slow and not browser"

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

# mypy checks library, indexer and webapp as [tool.mypy] in pyproject.toml says.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check library indexer webapp tests bench corpus
	$(BIN)/ruff format --check library indexer webapp tests bench corpus
	$(BIN)/mypy

check: lint test

clean:
	rm -rf $(VENV) $(CONFORMANCE)/node_modules build *.egg-info .pytest_cache .mypy_cache bench/out
