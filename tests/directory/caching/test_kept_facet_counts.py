"""A filtered list's matches and counts are kept in the shared cache
(directory/facets/filtered.py): a save that changes where a record counts
shows on every filtered list at the next request, in every language and
from any app server, brought up to date from the log of facet changes
without recounting; a save that changes only a record's text re-renders
the list without reading the log."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import facets
from directory.caching import bump_content_version
from directory.models import FacetChange, FacetEntry
from programmes.models import Programme, ProgrammeOrganisation
from tests import factories as f
from tests.directory.caching.test_targeted_invalidation import on_another_app_server, page, warm

LANGUAGES = ("", "/zh-hans", "/zh-hant")


def make_world():
    guangdong = f.region("Guangdong")
    shenzhen = f.region("Shenzhen", parent=guangdong)
    ai = f.sector("Artificial intelligence")
    pearl = f.programme("Pearl Programme", regions=[shenzhen], sectors=[ai])
    delta = f.programme("Delta Programme", regions=[shenzhen])
    f.index(pearl, delta)
    return {
        "pearl": pearl,
        "delta": delta,
        "ai": ai,
        # Two filters the facet index serves: the matches are listed by id.
        "filtered": f"/programmes/?region={guangdong.slug}&sector={ai.slug}",
        "by_region": f"/programmes/?region={guangdong.slug}",
    }


@pytest.fixture
def world(settings, db):
    settings.DIRECTORY_CACHING = True
    bump_content_version()
    return make_world()


def result_count(response):
    # "1 result", "共 1 条结果"
    found = re.search(r'<span id="result-count">[^<\d]*(\d+)', response.content.decode())
    return int(found.group(1))


def sector_count(response, ai):
    """The count beside the sector's checkbox in the filters panel."""
    html = response.content.decode()
    found = re.search(rf'value="{ai.slug}".*?class="count">\((\d+)', html, re.S)
    return int(found.group(1))


def recounts(queries):
    """The statements that find the matches (each record's conditions met) or
    count a facet's values over the facet index."""
    entries = FacetEntry._meta.db_table
    counting = (" met", f'"{entries}"."facet" AS', f"COUNT(*) FROM {entries}")
    return [
        q["sql"]
        for q in queries
        if entries in q["sql"] and any(mark in q["sql"] for mark in counting)
    ]


def updates(queries):
    """The statements that bring kept matches and counts up to date from the
    log of facet changes (directory/facets/kept.py)."""
    log = FacetChange._meta.db_table
    return [q["sql"] for q in queries if f"FROM {log} c" in q["sql"]]


def test_a_sector_added_shows_on_the_filtered_lists_in_every_language(
    client, world, django_capture_on_commit_callbacks
):
    w = world
    urls = [prefix + w["filtered"] for prefix in LANGUAGES]
    warm(client, *urls, w["by_region"])
    assert [result_count(page(client, u)) for u in urls] == [1, 1, 1]
    assert sector_count(page(client, w["by_region"]), w["ai"]) == 1

    with django_capture_on_commit_callbacks(execute=True):
        w["delta"].sectors.add(w["ai"])

    for u in urls:
        response = page(client, u)
        assert result_count(response) == 2, u
        assert "Delta Programme" in response.content.decode(), u
    assert sector_count(page(client, w["by_region"]), w["ai"]) == 2


def test_an_unpublished_record_leaves_the_filtered_lists_counts(
    client, world, django_capture_on_commit_callbacks
):
    w = world
    warm(client, w["filtered"], w["by_region"])
    with django_capture_on_commit_callbacks(execute=True):
        w["pearl"].status = "draft"
        w["pearl"].save()
    response = page(client, w["filtered"])
    assert result_count(response) == 0
    assert "Pearl Programme" not in response.content.decode()
    assert result_count(page(client, w["by_region"])) == 1


def test_a_rename_rerenders_the_filtered_list_without_recounting(
    client, world, django_capture_on_commit_callbacks
):
    w = world
    with CaptureQueriesContext(connection) as first:
        page(client, w["filtered"])
    # The matches and the counts of each facet: one statement.
    assert len(recounts(first.captured_queries)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        w["pearl"].name = "Pearl Programme Renamed"
        w["pearl"].save()
        f.index(w["pearl"])

    with CaptureQueriesContext(connection) as after:
        response = page(client, w["filtered"])
    assert response["X-Page-Cache"] == "miss"
    assert "Pearl Programme Renamed" in response.content.decode()
    assert result_count(response) == 1
    assert recounts(after.captured_queries) == []


def test_a_rebuild_of_the_facet_index_is_seen_by_the_kept_counts(
    client, world, django_capture_on_commit_callbacks
):
    w = world
    warm(client, w["filtered"])
    # A bulk write sends no signals; the rebuild that follows it replaces all.
    Programme.sectors.through.objects.bulk_create(
        [Programme.sectors.through(programme=w["delta"], sector=w["ai"])]
    )
    with django_capture_on_commit_callbacks(execute=True):
        facets.rebuild()
    assert result_count(page(client, w["filtered"])) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="app servers share a PostgreSQL database"
)
def test_a_sector_added_on_another_app_server_is_counted_here(client, settings):
    settings.DIRECTORY_CACHING = True
    bump_content_version()
    w = make_world()
    warm(client, w["filtered"])
    assert result_count(page(client, w["filtered"])) == 1
    script = (
        "from programmes.models import Programme; "
        f"Programme.objects.get(pk={w['delta'].pk}).sectors.add({w['ai'].pk})"
    )
    on_another_app_server(script)
    assert result_count(page(client, w["filtered"])) == 2


def organisation_count(response, organisation):
    html = response.content.decode()
    found = re.search(rf'value="{organisation.slug}".*?class="count">\((\d+)', html, re.S)
    return int(found.group(1)) if found else 0


def test_an_organisation_added_keeps_the_other_facets_matches_and_counts(
    client, world, django_capture_on_commit_callbacks
):
    """Each facet's matches and counts are kept under a tag of their own: a
    save that changes only where a record counts by organisation leaves the
    region and sector ones computed, and the organisation facet shows it."""
    w = world
    council = f.organisation("Hong Kong Productivity Council")
    warm(client, w["filtered"])
    assert organisation_count(page(client, w["filtered"]), council) == 0

    with django_capture_on_commit_callbacks(execute=True):
        ProgrammeOrganisation.objects.create(
            programme=w["pearl"], organisation=council, role="lead"
        )

    with CaptureQueriesContext(connection) as after:
        response = page(client, w["filtered"])
    assert response["X-Page-Cache"] == "miss"
    assert organisation_count(response, council) == 1
    assert recounts(after.captured_queries) == []

    # A sector added is a change to the sector facet: the kept matches and
    # counts read it from the log, and count nothing again.
    with django_capture_on_commit_callbacks(execute=True):
        w["delta"].sectors.add(w["ai"])
    with CaptureQueriesContext(connection) as again:
        response = page(client, w["filtered"])
    assert result_count(response) == 2
    assert recounts(again.captured_queries) == []
    assert updates(again.captured_queries) != []
