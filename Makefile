# ALTTO: every command a person or CI needs. `make run` to use it, `make test` to check it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run install install-test test test-sqlite test-postgres lint format bench browser-deps messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Beside the server, and stopped with it: the blog's clock (publish_due_posts), the mail
# sender (send_mail_queue) and the task worker (run_tasks: search indexing, email). The last
# lines are one shell, whose trap ends them when runserver ends (or on Ctrl-C).
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_curriculum
	$(PY) manage.py load_library
	$(PY) manage.py setup_site --port $(PORT)
	$(PY) manage.py rebuild_search_index --no-progress
	$(PY) manage.py publish_due_posts --every 60 & clock=$$!; \
	$(PY) manage.py send_mail_queue --every 60 & mailer=$$!; \
	$(PY) manage.py run_tasks & worker=$$!; \
	trap 'kill $$clock $$mailer $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian's Chromium drives the browser tests; Playwright never downloads a browser of its own.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

test: install-test browser-deps lint test-sqlite test-postgres

test-sqlite: install-test
	@echo "== Test suite on SQLite (unit, integration, browser) =="
	ALTTO_TESTING=1 DATABASE_URL= $(PY) -m pytest

# Runs when a PostgreSQL server answers; says so plainly when it does not.
test-postgres: install-test
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(TEST_DATABASE_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== Test suite on PostgreSQL ($(TEST_DATABASE_URL)), browser tests excluded =="; \
		ALTTO_TESTING=1 DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest -m "not browser"; \
	else \
		echo "== PostgreSQL not reachable at $(TEST_DATABASE_URL): PostgreSQL run SKIPPED =="; \
	fi

lint: install-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install-test
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: install-test
	@command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk; }
	$(PY) bench/run.py
	$(PY) bench/search.py

# Extract new UI strings into the Japanese catalogue, then compile it.
messages: install
	$(PY) manage.py makemessages -l ja --ignore=.venv --ignore=var --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var
