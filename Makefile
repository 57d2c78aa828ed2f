# One way to do each thing: the README and CI call these targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PRODUCTS ?= 300

.PHONY: help install system-deps messages migrate demo run test lint format ci postgres browsers bench backup restore clean

help:
	@echo "make run    - install, migrate, load demo data and serve at http://$(HOST):$(PORT)"
	@echo "make test   - the whole test suite, lint and migration check"
	@echo "make ci     - what CI runs: make test on SQLite, then on PostgreSQL"
	@echo "make bench  - throughput of each page against a bare Django view (SQLite, PostgreSQL)"

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

install: $(STAMP) system-deps

system-deps:
	@scripts/system-deps.sh

messages: install
	$(PY) manage.py compilemessages --ignore=.venv -v0

migrate: messages
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo --products $(DEMO_PRODUCTS)
	$(PY) manage.py load_evaluation_demo

run: demo
	@scripts/print-logins.sh
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: messages lint
	@scripts/browser-deps.sh
	$(PY) manage.py makemigrations --check --dry-run
	@# No persistent connections in tests: the live-server thread would keep the test
	@# database open and PostgreSQL could not drop it at the end.
	CONN_MAX_AGE=0 DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest

postgres:
	@scripts/postgres-ready.sh

# On demand, not part of `make test`: ~25 minutes, writes docs/benchmarks.md.
bench: messages
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } \
		|| { echo "make bench needs wrk: sudo apt-get install wrk"; exit 1; }
	$(PY) scripts/bench.py

# The whole database and both media folders in one archive, by default in var/backups/.
backup: messages
	$(PY) manage.py backup

# Into a fresh database: migrate it, then restore (refused if the database holds data).
restore:
	@test -n "$(FILE)" || { echo "Which archive? make restore FILE=var/backups/ocop-backup-….tar.gz"; exit 1; }
	@$(MAKE) --no-print-directory migrate
	$(PY) manage.py restore "$(FILE)"

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) db.sqlite3 media var staticfiles .pytest_cache .ruff_cache
