"""The benchmark's cold server: every request is its page's first after a
save that changed it, and what such a save leaves cached stays cached."""

import pytest

from bench.after_a_save import cold_application
from directory.caching.handler import CachedPageHandler
from tests import factories as f
from tests.directory.caching.test_cached_page_handler import Answer
from tests.support import wsgi


@pytest.fixture
def servers(settings, db):
    settings.DIRECTORY_CACHING = True
    f.programme("Cradle Going Global", sectors=[f.sector()])
    with wsgi.serving(CachedPageHandler()) as application:
        yield application, cold_application(application)


def test_every_request_renders_its_page_and_stores_it(servers):
    warm, cold = servers
    for _ in range(3):
        answer = Answer(cold, "/programmes/")
        assert answer.status.startswith("200")
        assert answer.page_cache == "miss"
        assert "Cradle Going Global" in answer.content.decode()
    # Stored like any page rendered after a save: the next plain reader gets it.
    assert Answer(warm, "/programmes/").page_cache == "hit"


def test_the_vocabulary_stays_cached_as_a_save_of_a_programme_leaves_it(servers):
    _warm, cold = servers
    Answer(cold, "/programmes/")
    again = Answer(cold, "/programmes/")
    assert again.page_cache == "miss"
    assert not [sql for sql in again.queries if "directory_region" in sql]


def test_a_page_another_worker_stored_meanwhile_is_rendered_again(servers):
    """Two workers: the other one stores the page under the generation this
    request's save set, before this request looks it up. The cold server
    asks again rather than answer from the cache."""
    warm, _cold = servers
    stored_meanwhile = {"once": True}

    def racing(environ, start_response):
        if stored_meanwhile.pop("once", False):
            Answer(warm, environ["PATH_INFO"])  # the other worker's render, stored
        return warm(environ, start_response)

    answer = Answer(cold_application(racing), "/programmes/")
    assert answer.page_cache == "miss"
    assert "Cradle Going Global" in answer.content.decode()
