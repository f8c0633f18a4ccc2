# Everything a fresh machine needs, in two commands: `make serve` and `make test`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PYTEST_ARGS ?=

.PHONY: serve test lint format bench chromium clean help

help:
	@echo "make serve   run the platform on SQLite with demo data (prints the URLs and logins)"
	@echo "make test    install what the tests need and run lint + the whole suite (SQLite and PostgreSQL)"
	@echo "make lint    ruff + mypy"
	@echo "make bench   run the benchmarks in bench/ (host API vs bare Starlette; compiler; launch; scroll; upload to review and grey launch; search at 100,000 apps; mini-program codes; code2session; subscribe/send)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP)

serve: $(STAMP)
	$(BIN)/miniapp serve --demo $(SERVE_ARGS)

# Debian's Chromium drives the browser tests (Playwright never downloads a browser here), and
# Node.js runs the compiler's generated JavaScript in its tests.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v node >/dev/null 2>&1 || { \
		echo "Installing Debian's nodejs for the compiler tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null; }

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: $(DEV_STAMP) chromium lint
	$(BIN)/pytest -n 2 --dist worksteal $(PYTEST_ARGS)

format: $(DEV_STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: $(DEV_STAMP) chromium
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/bench_host_api.py
	$(BIN)/python bench/bench_compile.py
	$(BIN)/python bench/bench_launch.py
	$(BIN)/python bench/bench_scroll.py
	$(BIN)/python bench/bench_release.py
	$(BIN)/python bench/bench_search.py
	$(BIN)/python bench/bench_codes.py
	$(BIN)/python bench/bench_identity.py
	$(BIN)/python bench/bench_identity.py --postgres
	$(BIN)/python bench/bench_subscribe.py
	$(BIN)/python bench/bench_subscribe.py --postgres

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
