"""A Redis that hangs or dies does not stop the public site.

A real redis-server of the test's own is paused with SIGSTOP (it accepts
connections but never answers) and killed; pages keep answering, each
within the socket timeout, and the outage is logged once, not per request.
"""

import logging
import signal
import time

import pytest
from django.core.cache import caches

from directory.caching import redis_backend
from directory.caching.handler import CachedPageHandler
from tests import factories as f
from tests.support import wsgi
from tests.support.redis_process import redis_available

pytestmark = pytest.mark.skipif(not redis_available(), reason="no redis-server")

BREAKER_SECONDS = 2


@pytest.fixture
def application(settings, db, redis_server):
    settings.CACHES = wsgi.redis_caches(redis_server.url, CIRCUIT_BREAKER_SECONDS=BREAKER_SECONDS)
    settings.DIRECTORY_CACHING = True
    redis_backend.BREAKERS.clear()
    with wsgi.serving(CachedPageHandler()) as application:
        yield application
    # Nothing of the paused server's connections may leak into other tests.
    caches["default"].close()
    redis_backend.BREAKERS.clear()


def get(application, path):
    status, headers, _content = wsgi.get(application, path)
    return status, headers.get("X-Page-Cache")


def timed_requests(application, paths, limit):
    """Sends the requests; returns their (status, seconds), or fails once
    `limit` seconds have gone by (a cache with no timeout hangs for good)."""
    results = []

    def give_up(_signum, _frame):
        raise TimeoutError(f"{len(results)} of {len(paths)} answered in {limit} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        for path in paths:
            started = time.monotonic()
            status, _ = get(application, path)
            results.append((status, time.monotonic() - started))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return results


@pytest.fixture
def pages(db):
    programme = f.programme("Cradle Going Global", short_name="CGG")
    return ["/", "/programmes/", programme.get_absolute_url(), "/search/?q=cradle"]


def test_a_paused_redis_does_not_stop_the_pages(application, redis_server, pages, caplog):
    for path in pages:
        get(application, path)
    assert get(application, pages[1]) == ("200 OK", "hit")
    redis_server.pause()
    try:
        with caplog.at_level(logging.WARNING):
            results = timed_requests(application, pages * 25, limit=60)
    finally:
        redis_server.resume()
    assert [status for status, _ in results] == ["200 OK"] * len(results)
    # One request waits out the read timeout; the breaker spares the rest
    # (without it, every one would wait 0.25 s; the 60 s limit only catches
    # a hang, with room for a loaded machine).
    durations = sorted(seconds for _, seconds in results)
    assert durations[len(durations) // 2] < 0.25, durations
    outage_lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(outage_lines) == 1, [r.getMessage() for r in outage_lines]
    assert "Redis cache unavailable" in outage_lines[0].getMessage()


def test_the_cache_is_used_again_once_redis_answers(application, redis_server, pages, caplog):
    get(application, pages[1])
    redis_server.pause()
    timed_requests(application, [pages[1]] * 3, limit=5)
    redis_server.resume()
    time.sleep(BREAKER_SECONDS + 0.2)
    with caplog.at_level(logging.WARNING):
        get(application, pages[1])
        assert get(application, pages[1]) == ("200 OK", "hit")
    assert any("answering again" in r.getMessage() for r in caplog.records)


def test_a_killed_redis_does_not_stop_the_pages(application, redis_server, pages, caplog):
    for path in pages:
        get(application, path)
    redis_server.kill()
    with caplog.at_level(logging.WARNING):
        results = timed_requests(application, pages * 25, limit=60)
    assert [status for status, _ in results] == ["200 OK"] * len(results)
    assert max(seconds for _, seconds in results) < 1
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1


def test_a_staff_save_during_an_outage_still_commits(
    application, redis_server, django_capture_on_commit_callbacks, monkeypatch
):
    programme = f.programme("Cradle Going Global", short_name="CGG")
    timeouts = []
    failed = redis_backend.CircuitBreaker.failed

    def counted(breaker, error):
        timeouts.append(error)
        failed(breaker, error)

    monkeypatch.setattr(redis_backend.CircuitBreaker, "failed", counted)
    redis_server.pause()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            # Renamed and unpublished: on commit it replaces the generations
            # of its pages and those of the facet index, two cache calls.
            programme.name = "Cradle Going Global Plus"
            programme.status = "draft"
            started = time.monotonic()
            programme.save()
        elapsed = time.monotonic() - started
    finally:
        redis_server.resume()
    # The save waits out one socket timeout; its other cache call is
    # refused at once by the breaker.
    assert len(timeouts) == 1
    # And it does not hang: 0.4 s alone; the bound leaves room for a machine
    # running the other suites beside this one (1.75 s once).
    assert elapsed < 5
    programme.refresh_from_db()
    assert (programme.name, programme.status) == ("Cradle Going Global Plus", "draft")


def test_a_save_during_an_outage_is_not_hidden_by_pages_stored_before_it(
    application, redis_server, django_capture_on_commit_callbacks
):
    """The save could not replace the generations of the pages it changed:
    once the cache answers again, no page stored before the outage is served
    as current (the first process to reach it replaces every generation)."""
    programme = f.programme("Cradle Going Global", short_name="CGG")
    path = programme.get_absolute_url()
    get(application, path)
    assert get(application, path) == ("200 OK", "hit")
    redis_server.pause()
    try:
        # A reader meets the outage first: the save then skips the cache at
        # once (nothing of it is left in the paused server's socket, to be
        # run when it wakes).
        assert get(application, "/") == ("200 OK", None)
        with django_capture_on_commit_callbacks(execute=True):
            programme.name = "Cradle Going Global Plus"
            programme.save()
        status, _headers, html = wsgi.get(application, path)
        assert "Cradle Going Global Plus" in html  # rendered, the cache skipped
    finally:
        redis_server.resume()
    time.sleep(BREAKER_SECONDS + 0.1)
    status, headers, html = wsgi.get(application, path)
    assert status == "200 OK"
    assert "Cradle Going Global Plus" in html.split("<h1", 1)[1].split("</h1>")[0], headers.get(
        "X-Page-Cache"
    )
    # And stored again from there on.
    assert get(application, path) == ("200 OK", "hit")
