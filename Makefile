# The two commands a new user needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install messages run test lint format migrate seed clean bench

$(VENV)/.installed: pyproject.toml uv.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv sync --frozen --quiet
	touch $@

install: $(VENV)/.installed

# The interface's translations: .mo files are built from the committed .po
# catalogues in Python (polib, no GNU gettext); up-to-date ones are skipped.
messages: install
	$(PY) manage.py compile_catalogues

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

seed: migrate
	$(PY) manage.py load_seeds

# Installs, migrates, loads the seed articles and serves http://127.0.0.1:8000
# on the SQLite file db.sqlite3, with DEBUG on for local use.
run: seed messages
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# The whole suite: the server-side tests on two processes and, side by side
# with them, the browser tests in a third (their live server flushes its
# database after each test, so they keep a process and a database of their
# own). The browser run mostly waits on Chromium, so running it alongside
# finishes the suite sooner than running it after. Its report is printed
# once both runs have finished; the target fails if either failed.
# DATABASE_URL=postgres://... runs it on PostgreSQL.
test: install messages
	log=$$(mktemp); \
	$(PY) -m pytest tests/browser $(PYTEST_ARGS) >"$$log" 2>&1 & browser=$$!; \
	$(PY) -m pytest --numprocesses 2 --dist loadfile --ignore=tests/browser $(PYTEST_ARGS); \
	server=$$?; wait $$browser; browser=$$?; \
	printf '\n== Browser tests\n'; cat "$$log"; rm -f "$$log"; \
	test $$server -eq 0 && test $$browser -eq 0

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Load test of the production configuration on a PostgreSQL database of
# 100,000 synthetic programmes (created if missing), with Redis as the shared
# cache (started if not answering): each page cold (each request its page's
# first after a save) and warm (page cache filled). Installs wrk when run as root; not part of `make test`.
# BENCH_DATABASE_URL and BENCH_REDIS_URL pick another database or Redis;
# BENCH_ARGS passes options, e.g. BENCH_ARGS="--soak" adds the sustained-load
# run (`.venv/bin/python -m bench.run --help`). Then each page rendered in
# process beside its raw-SQL floor, and the cache simulation. Results land in
# bench-results/.
bench: install messages
	$(PY) -m bench.run $(BENCH_ARGS)
	$(PY) -m bench.in_process
	$(PY) -m bench.cache_simulation

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
