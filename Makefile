# Two commands: `make run` serves the demo on the embedded default; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test install models lint migrate demo clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Hearth needs Python 3.11 or newer"'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

## The screening context check's base weights (87 MB, once; docs/screening.md). Without them
## Hearth still screens, with the fast stages alone; under CI=true their absence is an error.
models: install
	@$(PY) scripts/fetch_screening_base.py || { [ "$${CI:-}" != "true" ] && \
		echo "continuing without the screening context check (it is optional locally)"; }

migrate: models
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py seed_demo

## Set up everything and serve Hearth with the demo community on http://127.0.0.1:$${PORT:-8000}
run: demo
	$(PY) -m config.launcher

## Run the whole test suite (PostgreSQL/Redis tests too when DATABASE_URL/REDIS_URL are set)
test: models
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

clean:
	rm -rf var .pytest_cache
