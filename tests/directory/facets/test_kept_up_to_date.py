"""A filtered list's kept matches and counts, brought up to date after each
write from the log of facet changes (directory/facets/kept.py), are the
ones counting again would give: records coming into the list, leaving it,
changing where they count inside it, unpublished and published again; and,
on PostgreSQL, a write that commits after a later one."""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from directory import facets
from directory.caching import bump_content_version
from directory.models import FacetChange
from tests import factories as f
from tests.directory.caching.test_kept_facet_counts import recounts, updates

KIND = "programme"
DAY = datetime.timedelta(days=1)


def make_world():
    guangdong = f.region("Guangdong")
    shenzhen = f.region("Shenzhen", parent=guangdong)
    beijing = f.region("Beijing")
    ai = f.sector("Artificial intelligence")
    fintech = f.sector("Fintech")
    records = {
        "pearl": f.programme("Pearl", regions=[shenzhen], sectors=[ai]),
        "delta": f.programme("Delta", regions=[shenzhen], sectors=[fintech]),
        "capital": f.programme("Capital", regions=[beijing], sectors=[ai]),
        "bay": f.programme("Bay", regions=[guangdong], sectors=[ai, fintech]),
    }
    within = [("region", [str(guangdong.pk)]), ("sector", [str(ai.pk)])]
    return {**records, "shenzhen": shenzhen, "beijing": beijing, "ai": ai, "within": within}


@pytest.fixture
def world(settings, db):
    settings.DIRECTORY_CACHING = True
    bump_content_version()
    return make_world()


PLAN = {None: ("help", "kind_status", facets.ALL), "region": ("region",), "sector": ("sector",)}


def what_the_list_shows(within):
    """The matches of a region and sector filter, and the counts its facets
    show (each under the other filter; the rest under both), as kept."""
    kept = facets.matched_and_counted(KIND, within, 5000, PLAN)
    return {
        "found": {key: sorted(ids) for key, ids in kept["found"].items()},
        "counts": kept["counts"],
    }


def counted_again(within):
    """The same, read from the index, through none of the kept values' code."""
    found = facets.matching_records(KIND, within, 5000)
    counts = {}
    for key, names in PLAN.items():
        counts[key] = facets.counts(KIND, names, record_ids=found[key])
    return {"found": {key: sorted(ids) for key, ids in found.items()}, "counts": counts}


def written(capture, change):
    with capture(execute=True):
        change()


def test_kept_values_brought_up_to_date_equal_those_counted_again(
    world, settings, django_capture_on_commit_callbacks
):
    w = world
    within = w["within"]
    first = what_the_list_shows(within)
    assert first["found"][None] == sorted([w["pearl"].pk, w["bay"].pk])
    assert first == counted_again(within)

    def republish():
        w["delta"].status = "published"
        w["delta"].save()

    def unpublish():
        w["delta"].status = "draft"
        w["delta"].save()

    def both():
        w["capital"].regions.add(w["shenzhen"])
        w["capital"].regions.remove(w["shenzhen"])
        w["capital"].sectors.remove(w["ai"])

    steps = {
        "a record comes in": lambda: w["delta"].sectors.add(w["ai"]),
        "a record leaves": lambda: w["pearl"].regions.set([w["beijing"]]),
        "a record counts elsewhere inside": lambda: w["bay"].regions.add(w["beijing"]),
        "unpublished": unpublish,
        "published again": republish,
        "added and taken back in one save": both,
        "two records at once": lambda: (
            w["pearl"].regions.add(w["shenzhen"]),
            w["capital"].regions.add(w["shenzhen"]),
            w["capital"].sectors.add(w["ai"]),
        ),
    }
    for step, change in steps.items():
        written(django_capture_on_commit_callbacks, change)
        with CaptureQueriesContext(connection) as reading:
            shown = what_the_list_shows(within)
        assert shown == counted_again(within), step
        assert recounts(reading.captured_queries) == [], step
        assert updates(reading.captured_queries) != [], step
    assert shown["found"][None] == sorted(
        [w["pearl"].pk, w["delta"].pk, w["bay"].pk, w["capital"].pk]
    )


def test_a_save_that_leaves_the_facets_alone_reads_no_log(
    world, settings, django_capture_on_commit_callbacks
):
    w = world
    what_the_list_shows(w["within"])
    written(django_capture_on_commit_callbacks, lambda: w["pearl"].save())
    with CaptureQueriesContext(connection) as reading:
        what_the_list_shows(w["within"])
    assert recounts(reading.captured_queries) == []
    assert updates(reading.captured_queries) == []


def test_too_many_changes_are_counted_again(
    world, settings, django_capture_on_commit_callbacks, monkeypatch
):
    w = world
    what_the_list_shows(w["within"])
    monkeypatch.setattr(facets.kept, "MOST_CHANGED", 1)

    def two():
        w["delta"].sectors.add(w["ai"])
        w["capital"].regions.add(w["shenzhen"])

    def as_one_save():
        with facets.deferred():
            two()

    written(django_capture_on_commit_callbacks, as_one_save)
    with CaptureQueriesContext(connection) as reading:
        shown = what_the_list_shows(w["within"])
    assert shown == counted_again(w["within"])
    assert recounts(reading.captured_queries) != []


def test_the_log_keeps_two_days(world, django_capture_on_commit_callbacks):
    w = world
    written(django_capture_on_commit_callbacks, lambda: w["delta"].sectors.add(w["ai"]))
    logged = FacetChange.objects.filter(record_id=w["delta"].pk)
    assert {(c.facet, c.value, c.added) for c in logged} >= {("sector", str(w["ai"].pk), True)}
    FacetChange.objects.update(changed_at=logged[0].changed_at - facets.kept.LOG_DAYS * DAY)
    written(django_capture_on_commit_callbacks, lambda: w["pearl"].sectors.remove(w["ai"]))
    assert not FacetChange.objects.filter(record_id=w["delta"].pk).exists()
    assert FacetChange.objects.filter(record_id=w["pearl"].pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_a_write_that_commits_after_a_later_one_is_not_missed(settings):
    """Writer A logs its change first and commits last; B commits in
    between, and a reader keeps the list's matches after B. A's change has
    the lower log id, yet is past the reader's point: the next reader
    applies it (a point kept as the highest id seen would skip it)."""
    settings.DIRECTORY_CACHING = True
    bump_content_version()
    w = make_world()
    within = w["within"]
    what_the_list_shows(within)
    logged, commit = threading.Event(), threading.Event()

    def writer_a():
        try:
            with transaction.atomic():
                w["delta"].sectors.add(w["ai"])
                logged.set()
                commit.wait(10)
        finally:
            connections.close_all()

    a = threading.Thread(target=writer_a)
    a.start()
    assert logged.wait(10)
    w["capital"].regions.add(w["shenzhen"])  # B, committed at once
    after_b = what_the_list_shows(within)
    assert w["delta"].pk not in after_b["found"][None]
    assert w["capital"].pk in after_b["found"][None]
    commit.set()
    a.join(10)
    assert FacetChange.objects.filter(record_id=w["delta"].pk).exists()
    a_id = FacetChange.objects.filter(record_id=w["delta"].pk).order_by("id").first().id
    b_id = FacetChange.objects.filter(record_id=w["capital"].pk).order_by("id").first().id
    assert a_id < b_id

    after_a = what_the_list_shows(within)
    assert w["delta"].pk in after_a["found"][None]
    assert after_a == counted_again(within)
