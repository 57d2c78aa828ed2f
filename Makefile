# One way to do each thing: the README and CI call these targets.
# Every target carries a "## what it does" after its prerequisites: `make help` prints
# those lines, and tests/test_makefile.py fails when a target has none.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PRODUCTS ?= 300

.PHONY: help install system-deps messages migrate demo run test test-ready test-both test-fast lint format ci postgres browsers bench backup restore clean cluster-check

help: ## this list
	@awk 'BEGIN { FS = ":[^#]*## " } /^[a-z][a-z-]*:[^=]*## / { printf "  make %-12s %s\n", $$1, $$2 }' $(firstword $(MAKEFILE_LIST))
	@echo
	@echo "  Variables (set in the environment or on the command line), now:"
	@echo "    HOST=$(HOST) PORT=$(PORT) DEMO_PRODUCTS=$(DEMO_PRODUCTS) PYTHON=$(PYTHON)"
	@echo "    FILE=… for make restore; the README's Settings table lists the others."

$(STAMP): requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@# xstatic-bootstrap ships only an sdist whose setup.py needs pkg_resources,
	@# which setuptools 81 removed: build it with an older setuptools, unisolated.
	$(PY) -m pip install -q "setuptools<81" wheel
	$(PY) -m pip install -q --no-build-isolation -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP) system-deps ## .venv with requirements.txt, and the system packages

system-deps: ## gettext, poppler, fonts, Pango: installed with apt-get if root, else named
	@scripts/system-deps.sh

messages: install ## compile the Vietnamese and English translations
	$(PY) manage.py compilemessages --ignore=.venv -v0

migrate: messages ## apply the migrations to DATABASE_URL (SQLite by default)
	$(PY) manage.py migrate --noinput -v0

demo: migrate ## load the demo Hanoi: DEMO_PRODUCTS products, councils, dossiers (idempotent)
	$(PY) manage.py load_demo --products $(DEMO_PRODUCTS)
	$(PY) manage.py load_evaluation_demo

# The worker runs the background jobs (mails, the daily scan) beside the server, in a
# process group of its own (setsid), so that it is stopped, with the child its code
# reloader starts, when the server stops (Ctrl+C). Like the server it reloads on code
# changes; a job cut short by either is run again by the next worker (jobs/worker.py).
run: demo ## install, migrate, load the demo, print the logins, serve at http://HOST:PORT with a worker
	@HOST="$(HOST)" PORT="$(PORT)" scripts/print-logins.sh
	@# Links in the mails the worker sends (notifications) need the site's address: the
	@# development server's, unless SITE_URL says otherwise.
	export SITE_URL="$${SITE_URL:-http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)}"; \
	setsid $(PY) manage.py worker & worker=$$!; \
	trap 'kill -TERM -- -$$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install ## ruff check, ruff format --check, and the import layers (lint-imports)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# The apps depend one way (docs/architecture.md; contract in pyproject.toml).
	$(VENV)/bin/lint-imports --no-cache

format: install ## ruff format, then ruff check --fix
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: test-ready ## lint, makemigrations --check, and every test (browser journeys too)
	@# No persistent connections in tests: the live-server thread would keep the test
	@# database open and PostgreSQL could not drop it at the end.
	CONN_MAX_AGE=0 DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest

test-ready: messages lint browsers ## what a test run needs first: translations, lint, Chromium, makemigrations --check
	$(PY) manage.py makemigrations --check --dry-run

test-both: test-ready ## make test on SQLite and on a local PostgreSQL at the same time (CI)
	@scripts/test-both.sh

# The inner loop: everything but tests/system (browser journeys, the role × URL matrix,
# hostile input, concurrency, the fresh-database round trip) and the few tests marked
# slow, which `make test` and CI still run (tests/README.md).
test-fast: messages ## the quick tier (< 90 s): every test outside tests/system but the slow ones
	CONN_MAX_AGE=0 $(VENV)/bin/pytest --ignore=tests/system -m "not slow"

browsers: ## Chromium for the browser tests (CHROMIUM_PATH), installed with apt-get if root
	@scripts/browser-deps.sh

# Two app servers, one system (docs/deploy.md): two gunicorn servers over one PostgreSQL,
# one Redis and one S3 endpoint (moto), with a worker each and a real SMTP server. The
# test starts Redis (Debian's redis-server, which `install` puts in where missing) and the
# S3 endpoint on ports of their own and stops everything it started. `make test` runs the
# same test in its PostgreSQL run; on SQLite it is skipped, saying why.
cluster-check: messages system-deps ## 2 gunicorn servers on PostgreSQL + Redis + S3 (moto): one system
	@url=$$(scripts/postgres-ready.sh) && \
		DATABASE_URL="$$url" CONN_MAX_AGE=0 $(VENV)/bin/pytest tests/system/cluster -rs -v

postgres: ## start the local PostgreSQL, create the ocop role and database, print the URL
	@scripts/postgres-ready.sh

# On demand, not part of `make test`: ~25 minutes, writes docs/benchmarks.md.
bench: messages ## ~25 min: every page against a bare Django view, SQLite and PostgreSQL
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } \
		|| { echo "make bench needs wrk: sudo apt-get install wrk"; exit 1; }
	$(PY) -m bench.run

# The whole database and both media folders in one archive, by default in var/backups/.
backup: messages ## database and both media folders in one archive under var/backups/
	$(PY) manage.py backup

# Into a fresh database: migrate it, then restore (refused if the database holds data).
restore: ## FILE=archive: migrate a fresh database, then restore the archive into it
	@test -n "$(FILE)" || { echo "Which archive? make restore FILE=var/backups/ocop-backup-….tar.gz"; exit 1; }
	@$(MAKE) --no-print-directory migrate
	$(PY) manage.py restore "$(FILE)"

ci: ## what CI runs (.ci/run): make test on SQLite and on PostgreSQL, side by side
	bash .ci/run

clean: ## remove .venv, the SQLite database, media, var/, collected static, caches
	rm -rf $(VENV) db.sqlite3 media var staticfiles .pytest_cache .ruff_cache
