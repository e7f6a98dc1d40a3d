"""The WSGI entry point (gunicorn youthwork.wsgi).

Each request runs in a frame that reserves a large block of CPython's frame stack (roomy_frame), so that
its calls do not keep crossing the boundary between two of the stack's chunks: on CPython before 3.13.13
and 3.14.4 (gh-142183), a call at a chunk's edge maps a new chunk and the return unmaps it, and a page
whose template rendering goes up and down across that edge paid about 700 mmap/munmap pairs and page
faults a request (the admin's change lists: about a third of their time under gunicorn).
"""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youthwork.settings")

# The slots the request's own frame reserves: CPython 3.11-3.13 then maps a chunk of 128 KB for it, of which
# 56 KB stay free for the request's calls (Django's deepest pages use about half of that).
ROOMY_FRAME_SLOTS = 9000


def _call(app, environ, start_response):
    return app(environ, start_response)


def roomy_frame(app):
    """`app` called from a frame that starts a fresh chunk of the frame stack with room for the request's calls."""
    if sys.implementation.name != "cpython":
        return app
    call = type(_call)(_call.__code__.replace(co_stacksize=ROOMY_FRAME_SLOTS), globals())

    def application(environ, start_response):
        return call(app, environ, start_response)

    return application


application = roomy_frame(get_wsgi_application())
