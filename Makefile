# The two commands of README.md: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint

# `make run` and `make lint` run on a laptop: development mode (the laptop secret key, plain HTTP). Production sets
# DJANGO_SECRET_KEY and leaves DJANGO_DEBUG unset (see README, Security). The tests set it in tests/settings.py.
run lint: export DJANGO_DEBUG ?= 1

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Install, migrate, load the demo city and serve the portal at http://127.0.0.1:8000 with one background worker
# (imports, large exports: youthwork/jobs.py). Ctrl-C stops both: the trap stops the worker whenever the shell
# leaves, however runserver ended.
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@set -e; \
	$(BIN)/python manage.py db_worker --no-reload --interval 1 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null || true' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole test suite (DATABASE_URL picks the database; default SQLite)
test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
