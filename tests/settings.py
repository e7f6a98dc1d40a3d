"""Settings of the test suite: the project's settings in development mode (DJANGO_DEBUG=1).

Development mode gives the laptop secret key and leaves HTTPS-only cookies, the HTTPS redirect and HSTS off,
so the test client and the live server can speak plain HTTP. pytest-django still runs the tests with DEBUG off.
The production settings are tested in real processes with a controlled environment
(tests/youthwork/test_production_settings.py). Set here, before the settings are read, so management commands
the tests start as subprocesses run in development mode too.
"""

import os

os.environ["DJANGO_DEBUG"] = "1"

from youthwork.settings import *  # noqa: F403

# A ledger that exists only in the tests, added as the README's "Adding a ledger" says
# (tests/youthwork/test_adding_a_ledger.py).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.extra_ledger"]  # noqa: F405

# Jobs run inside the request that starts them (no worker process); tests/youthwork/test_jobs.py runs the real
# db_worker once on the database backend. No heartbeat thread: it would write on a connection of its own.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
JOB_HEARTBEAT_SECONDS = 0
