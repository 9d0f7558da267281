# csagent — every target sets itself up first, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8000

.PHONY: setup lint typecheck imports unit evals test demo bench clean

CHROMIUM := /usr/bin/chromium

setup: $(STAMP) $(CHROMIUM)

# The browser tests drive Debian's Chromium (Playwright's own browser download is not used).
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || \
	  { DEBIAN_FRONTEND=noninteractive $$SUDO apt-get update -q >/dev/null && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium >/dev/null; }

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "csagent needs Python 3.11+"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

imports: setup
	$(BIN)/lint-imports

unit: setup
	$(BIN)/python -m pytest -n 2

evals: setup
	$(BIN)/python -m evals.run --suite all --gate

test: lint typecheck imports unit evals

# Loads the demo tenant, then serves the web chat and dashboard; prints the URL and whom to sign in as.
demo: setup
	$(BIN)/csagent demo --reset
	$(BIN)/csagent serve --demo --host $(DEMO_HOST) --port $(DEMO_PORT)

bench: setup
	$(BIN)/csagent bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
