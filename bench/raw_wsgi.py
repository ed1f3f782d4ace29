"""The floor of the stack: a WSGI callable under the same gunicorn settings,
with no Django at all."""

from bench.constant import BODY

HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
