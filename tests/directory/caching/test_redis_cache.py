"""The page cache on Redis, the production shared cache (skipped without one)."""

import os
import socket
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from directory.caching import bump_content_version
from tests import factories as f

# A database number of its own, and a prefix per test process, so that runs
# in parallel (and any other use of the same Redis) never see each other's keys.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def redis_answers():
    address = urlsplit(REDIS_URL)
    try:
        socket.create_connection((address.hostname, address.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not redis_answers(), reason=f"no Redis at {REDIS_URL}")


@pytest.fixture
def redis_cache(settings, db):
    settings.CACHES = {
        "default": {
            "BACKEND": "directory.caching.redis_backend.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{os.getpid()}",
        }
    }
    settings.DIRECTORY_CACHING = True
    bump_content_version()
    yield cache
    # Only this process's keys: `clear()` would empty the whole database.
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(f"test-{os.getpid()}:*"):
        client.delete(key)


def test_a_page_stored_in_redis_is_served_until_the_next_publish(
    client, redis_cache, django_capture_on_commit_callbacks
):
    programme = f.programme("Cradle Going Global", short_name="CGG")
    url = programme.get_absolute_url()
    first = client.get(url)
    second = client.get(url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    with django_capture_on_commit_callbacks(execute=True):
        programme.name = "Cradle Going Global Plus"
        programme.save()
    third = client.get(url)
    assert third["X-Page-Cache"] == "miss"
    assert "Cradle Going Global Plus" in third.content.decode()


def test_the_backend_reuses_one_client_for_its_calls(redis_cache):
    # Building a redis-py client per call cost more than the round trip.
    redis_cache.set("a", 1)
    assert redis_cache.get_many(["a", "b"]) == {"a": 1}
    client = redis_cache._cache.get_client()
    redis_cache.get("a")
    assert redis_cache._cache.get_client() is client
