"""Driving the production WSGI application as a server does, for the caching
tests: environs built by hand, and the test's transaction kept open across
requests (no tests of its own)."""

from contextlib import contextmanager

from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from directory.caching import bump_content_version


@contextmanager
def serving(application):
    """`application` with a fresh content version and, as Django's test client
    arranges, the test's transaction outliving each request, which would
    otherwise close "old" connections when it ends."""
    bump_content_version()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def redis_caches(url, **options):
    """CACHES for the Redis at `url`, giving up on it after a quarter second."""
    return {
        "default": {
            "BACKEND": "directory.caching.redis_backend.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, **options},
        }
    }


def get(application, path):
    """(status line, headers, body text) of a GET of `path` (query string included)."""
    path, _sep, query = path.partition("?")
    environ = RequestFactory()._base_environ(
        PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD="GET"
    )
    found = {}

    def start_response(status, headers, exc_info=None):
        found["status"], found["headers"] = status, dict(headers)

    body = application(environ, start_response)
    content = b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return found["status"], found["headers"], content.decode()
