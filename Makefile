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

# Install, migrate, load the demo city and serve the portal at http://$(ADDRESS) with one background worker
# (imports, large exports: youthwork/jobs.py). Both run in the background of one shell that waits for them: Ctrl-C
# (SIGINT) or a SIGTERM to make (which make passes on to this shell) runs the trap, which stops both, and the shell
# waits until they have exited. Without that wait a shell blocked on a foreground runserver would run its trap only
# once runserver ended by itself, and a SIGTERM to make left runserver and the worker running.
ADDRESS ?= 127.0.0.1:8000
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@$(BIN)/python manage.py db_worker --no-reload --interval 1 & worker=$$!; \
	$(BIN)/python manage.py runserver $(ADDRESS) & server=$$!; \
	trap 'kill -TERM $$server $$worker 2>/dev/null' INT TERM; \
	wait $$server; status=$$?; \
	kill -TERM $$server $$worker 2>/dev/null; wait; exit $$status

# The whole test suite (DATABASE_URL picks the database; default SQLite)
test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
