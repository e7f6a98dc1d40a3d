"""The WSGI entry point that gunicorn serves (youthwork.wsgi): each request in a roomy frame of its own."""

import io
import sys
from wsgiref.util import setup_testing_defaults

from youthwork import wsgi


def call(path: str) -> tuple[str, bytes]:
    environ = {"PATH_INFO": path, "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr}
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = "testserver"
    status = []
    body = b"".join(wsgi.application(environ, lambda s, headers, exc_info=None: status.append(s)))
    return status[0], body


def test_the_wsgi_application_serves_the_login_page(db):
    status, body = call("/accounts/login/")
    assert status.startswith("200") and "登录".encode() in body


def test_a_deep_request_runs_in_the_roomy_frame(db):
    seen = []

    def app(environ, start_response):
        seen.append(sys._getframe(1).f_code.co_stacksize)
        start_response("200 OK", [])
        return [b"ok"]

    wrapped = wsgi.roomy_frame(app)
    assert b"".join(wrapped({}, lambda *args: None)) == b"ok"
    assert seen == [wsgi.ROOMY_FRAME_SLOTS]
