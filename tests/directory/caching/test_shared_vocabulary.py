"""The vocabulary and the facet totals every list reads come from the shared
cache while nothing they hold has changed, and a change shows at the next request."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import caching
from directory.caching import tags
from directory.filters import Vocabulary, vocabulary
from directory.models import Region
from tests import factories as f
from tests.directory.caching.test_redis_cache import pytestmark  # noqa: F401 (needs Redis)
from tests.directory.caching.test_redis_cache import redis_cache as redis_cache_fixture

redis_cache = redis_cache_fixture


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    return len(captured)


def test_a_list_page_reads_no_vocabulary_from_the_database_once_cached(client, redis_cache):
    f.programme("Cradle Going Global", regions=[f.region("Shenzhen", parent=f.region())])
    client.get("/programmes/")
    # Another order of the same list: its page is not stored, its counts are.
    cache.delete(vocabulary.KEY)
    caching._in_process.clear()  # as in a newly started app server
    reading = queries_for(client, "/programmes/?sort=name")
    cached = queries_for(client, "/programmes/?sort=newest")
    assert cached == reading - 1


def test_a_renamed_region_shows_on_the_next_request(
    client, redis_cache, django_capture_on_commit_callbacks
):
    shenzhen = f.region("Shenzhen", parent=f.region())
    f.programme("Cradle Going Global", regions=[shenzhen])
    assert "Shenzhen" in client.get("/programmes/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        shenzhen.name = "Shenzhen City"
        shenzhen.save()
    # A page not stored before: only the cached vocabulary could be stale.
    page = client.get("/programmes/?sort=newest").content.decode()
    assert "Shenzhen City" in page


def test_a_process_keeps_its_copy_only_while_the_shared_generation_holds(redis_cache):
    shenzhen = f.region("Shenzhen", parent=f.region())
    first = Vocabulary.load()
    with CaptureQueriesContext(connection) as captured:
        assert Vocabulary.load() is first
    assert len(captured) == 0
    # Another app server renames the region and replaces the generation of
    # every page; this process has no signal of it but the shared generation.
    Region.objects.filter(pk=shenzhen.pk).update(name="Shenzhen City")
    tags.replace([tags.EVERYTHING])
    assert Vocabulary.load().regions[shenzhen.pk].name == "Shenzhen City"
