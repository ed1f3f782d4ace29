"""The error pages, and what readers get while the database is unreachable.

The unreachable database is real: the default connection is swapped for one
to a PostgreSQL port nothing listens on (or, on SQLite, a file in a folder
that does not exist), and the driver fails to connect.
"""

import pytest
from django.db import connection, connections
from django.db.utils import load_backend
from django.test import Client
from django.test.utils import CaptureQueriesContext

from directory.caching import redis_backend
from directory.caching.handler import CachedPageHandler
from tests import factories as f
from tests.support import wsgi
from tests.support.redis_process import free_port, redis_available


@pytest.mark.django_db
@pytest.mark.urls("tests.support.form_urls")
def test_a_server_error_page_in_the_site_layout_without_queries():
    client = Client(raise_request_exception=False)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'class="site-header"' in html and "Something went wrong" in html
    assert len(queries) == 0


def unreachable_database():
    settings = {**connections["default"].settings_dict}
    if settings["ENGINE"].endswith("sqlite3"):
        settings["NAME"] = "/nonexistent-directory/db.sqlite3"
    else:
        settings.update(HOST="127.0.0.1", PORT=str(free_port()), CONN_HEALTH_CHECKS=False)
    return load_backend(settings["ENGINE"]).DatabaseWrapper(settings, "default")


@pytest.fixture
def application(settings, db, redis_server):
    settings.CACHES = wsgi.redis_caches(redis_server.url)
    settings.DIRECTORY_CACHING = True
    redis_backend.BREAKERS.clear()
    with wsgi.serving(CachedPageHandler()) as application:
        yield application


def get(application, path):
    status, headers, content = wsgi.get(application, path)
    return status[:3], headers, content


@pytest.mark.skipif(not redis_available(), reason="no redis-server")
def test_stored_pages_answer_and_others_get_503_while_the_database_is_down(application):
    programme = f.programme("Cradle Going Global", short_name="CGG")
    stored = ["/", "/programmes/", programme.get_absolute_url()]
    for path in stored:
        assert get(application, path)[0] == "200"
    working = connections["default"]
    connections["default"] = unreachable_database()
    try:
        for path in stored:
            status, headers, _ = get(application, path)
            assert (status, headers.get("X-Page-Cache")) == ("200", "hit"), path
        for path in ["/events/", "/search/?q=cradle", "/organisations/", "/zh-hans/programmes/"]:
            status, headers, html = get(application, path)
            assert status == "503", (path, status)
            assert headers["Retry-After"] == "30"
            assert 'class="site-header"' in html
            if not path.startswith("/zh-"):
                assert "Temporarily unavailable" in html
            assert "default-src 'none'" in headers["Content-Security-Policy"]
    finally:
        connections["default"].close()
        connections["default"] = working
    assert get(application, "/events/")[0] == "200"
