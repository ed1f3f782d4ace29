"""Public pages served from the shared cache, and never stale after a write."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.models import Programme
from tests import factories as f

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def programme(db):
    return f.programme("Cradle Going Global", short_name="CGG")


def fetch(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response


def test_a_second_anonymous_reader_gets_the_stored_page_in_one_query(client, caching, programme):
    first = fetch(client, programme.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = fetch(client, programme.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # The database cache table is the one query; Redis would need none.
    assert len(queries) == 1
    assert second["Content-Type"] == first["Content-Type"]
    assert second["X-Frame-Options"] == "DENY"
    assert "Accept-Language" in second["Vary"]


def test_a_committed_edit_shows_on_the_next_request(
    client, caching, programme, django_capture_on_commit_callbacks
):
    fetch(client, "/programmes/")
    assert fetch(client, "/programmes/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        programme.name = "Cradle Going Global Plus"
        programme.save()
    response = fetch(client, "/programmes/")
    assert response["X-Page-Cache"] == "miss"
    assert "Cradle Going Global Plus" in response.content.decode()


def test_unpublishing_removes_the_record_from_the_cached_list(
    client, caching, programme, django_capture_on_commit_callbacks
):
    assert "Cradle Going Global" in fetch(client, "/programmes/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        programme.status = "archived"
        programme.save()
    assert "Cradle Going Global" not in fetch(client, "/programmes/").content.decode()


def test_relation_changes_invalidate_too(
    client, caching, programme, django_capture_on_commit_callbacks
):
    fetch(client, programme.get_absolute_url())
    sector = f.sector("Robotics")
    with django_capture_on_commit_callbacks(execute=True):
        programme.sectors.add(sector)
    assert "Robotics" in fetch(client, programme.get_absolute_url()).content.decode()


def test_each_language_and_query_string_is_its_own_page(client, caching, programme):
    english = fetch(client, "/programmes/")
    chinese = fetch(client, "/zh-hans/programmes/")
    assert chinese["X-Page-Cache"] == "miss"
    assert 'lang="zh-Hans"' in chinese.content.decode()
    assert english.content != chinese.content
    searched = fetch(client, "/programmes/", data={"q": "nothing-matches-this"})
    assert searched["X-Page-Cache"] == "miss"
    assert "Cradle Going Global" not in searched.content.decode()


def test_a_cached_english_page_still_sends_a_chinese_browser_to_its_language(
    client, caching, programme
):
    fetch(client, "/programmes/")
    response = client.get("/programmes/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/programmes/"


def test_signed_in_staff_always_get_a_fresh_page(client, caching, programme, admin_user):
    client.force_login(admin_user)
    for _request in range(2):
        assert "X-Page-Cache" not in fetch(client, "/programmes/")


def test_error_pages_are_not_stored(client, caching, db):
    for _request in range(2):
        response = client.get("/programmes/no-such-programme/")
        assert response.status_code == 404
        assert response["X-Page-Cache"] == "miss"


def test_turned_off_it_renders_every_time(client, settings, programme):
    settings.DIRECTORY_CACHING = False
    fetch(client, "/programmes/")
    assert "X-Page-Cache" not in fetch(client, "/programmes/")


# Serialized rollback keeps a copy of the migration data, which the conftest
# puts back after this test's flush empties the tables.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="app servers share a PostgreSQL database"
)
def test_a_publish_on_another_app_server_shows_here_within_a_second(client, settings):
    """Another process (another app server) publishes; this one, which holds
    the old page in the shared cache, serves the new one at once."""
    settings.DIRECTORY_CACHING = True
    draft = f.programme("Quiet Draft Programme", status="draft")
    assert "Quiet Draft Programme" not in fetch(client, "/programmes/").content.decode()
    assert fetch(client, "/programmes/")["X-Page-Cache"] == "hit"

    database = django_settings.DATABASES["default"]
    env = dict(
        os.environ,
        DATABASE_URL=(
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{connection.settings_dict['NAME']}"
        ),
    )
    script = (
        "from programmes.models import Programme; "
        f"p = Programme.objects.get(pk={draft.pk}); p.status = 'published'; p.save()"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True
    )
    published_at = time.monotonic()
    response = fetch(client, "/programmes/")
    assert time.monotonic() - published_at < 1
    assert "Quiet Draft Programme" in response.content.decode()
    assert Programme.objects.get(pk=draft.pk).status == "published"


def list_queries(client, url, **params):
    """The response and its queries, leaving out the database cache's own."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    own = [
        q["sql"]
        for q in queries.captured_queries
        if "django_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
    return response, own


def test_another_page_or_sort_of_a_list_reuses_its_facet_counts(client, caching, db):
    for n in range(25):
        f.programme(f"Programme {n:02}")
    first, cold = list_queries(client, "/programmes/")
    second, warm = list_queries(client, "/programmes/", page=2)
    assert second["X-Page-Cache"] == "miss"
    # The page of rows; no vocabulary, facet count or total (all cached).
    assert len(warm) == 1, warm
    assert len(cold) > len(warm)
    assert not [sql for sql in warm if "COUNT(" in sql.upper()]
    assert first.context["result_count"] == second.context["result_count"] == "25"
    assert [f.name for f in first.context["facets"]] == [f.name for f in second.context["facets"]]
    _third, sorted_ = list_queries(client, "/programmes/", sort="newest")
    assert len(sorted_) == 1


def test_cached_counts_change_with_a_committed_edit(
    client, caching, programme, django_capture_on_commit_callbacks
):
    assert list_queries(client, "/programmes/")[0].context["result_count"] == "1"
    with django_capture_on_commit_callbacks(execute=True):
        f.programme("Second Programme")
    response, _n = list_queries(client, "/programmes/", page=1)
    assert response.context["result_count"] == "2"


def test_an_unknown_organisation_is_reported_from_cached_counts_too(client, caching, programme):
    for page in (1, 2):
        response, _n = list_queries(client, "/programmes/", organisation="nobody", page=page)
        assert "nobody" in response.content.decode()
        assert "Cradle Going Global" in response.content.decode()
