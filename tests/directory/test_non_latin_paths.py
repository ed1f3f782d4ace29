"""Non-Latin paths through the production WSGI application (page cache in front)."""

from urllib.parse import unquote_to_bytes

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from directory.caching import bump_content_version
from tests import factories as f

PATHS = [
    "/programmes/%E9%A6%99%E6%B8%AF/",
    "/search/%E4%B8%AD/",
    "/zh-hant/programmes/%E9%A6%99%E6%B8%AF/",
    "/events/%E4%B8%AD%E5%9B%BD/",
    "/sources/%E4%B8%AD/?page=2",
    "/%E4%B8%AD/",
    "/programmes/%FF%FE/",
    "/organisations/caf%C3%A9/",
]


@pytest.fixture(params=[True, False], ids=["page-cache", "no-page-cache"])
def application(request, settings, db):
    from directory.wsgi import application

    settings.DIRECTORY_CACHING = request.param
    bump_content_version()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def call(application, path):
    # The environ as a WSGI server hands it over: the path percent-decoded to
    # bytes, carried as ISO-8859-1 text (PEP 3333).
    path, _sep, query = path.partition("?")
    environ = RequestFactory()._base_environ(
        PATH_INFO=unquote_to_bytes(path).decode("iso-8859-1"),
        QUERY_STRING=query,
        REQUEST_METHOD="GET",
    )
    found = {}

    def start_response(status, headers):
        found["status"] = status

    body = application(environ, start_response)
    b"".join(body)
    if hasattr(body, "close"):
        body.close()
    return found["status"]


@pytest.mark.parametrize("path", PATHS)
def test_a_non_latin_path_is_a_normal_not_found(application, path):
    assert call(application, path).startswith("404")


def test_a_non_latin_query_is_answered(application):
    f.programme("Cradle Going Global", short_name="CGG")
    assert call(application, "/search/?q=%E4%B8%AD").startswith("200")
    assert call(application, "/programmes/?q=%E9%A6%99%E6%B8%AF").startswith("200")
