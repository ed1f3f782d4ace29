"""Prepared queries (directory/prepared.py): compiled once, run with new
values, and giving what the queryset gives, on either database."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from directory.prepared import prepared
from directory.views.records import in_page_language
from programmes.models import Event, Service
from tests import factories

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def compilations(monkeypatch):
    """How many statements Django compiles (outermost compilations only)."""
    count = {"n": 0, "depth": 0}
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        count["depth"] += 1
        try:
            return original(self, *args, **kwargs)
        finally:
            count["depth"] -= 1
            if not count["depth"]:
                count["n"] += 1

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return count


def services_of(pk):
    return (
        Service.objects.published()
        .filter(programme_id=pk)
        .select_related("provider", "category")
        .defer("description")
        .order_by("name")
    )


def shown(services):
    return [(s.pk, s.name, s.provider.name, s.category.name) for s in services]


@pytest.fixture
def two_programmes():
    first = factories.programme("Cradle landing programme")
    second = factories.programme("SmartHK matching")
    for name, programme in [
        ("Patent advice", first),
        ("Market study", first),
        ("Trade fair", second),
    ]:
        factories.service(name, programme=programme)
    factories.service("A draft", programme=first, status="draft")
    return first, second


def test_it_gives_what_the_queryset_gives_for_each_value(two_programmes, compilations):
    run = prepared(services_of)
    first, second = two_programmes
    assert shown(run(first.pk)) == shown(services_of(first.pk))
    assert shown(run(second.pk)) == shown(services_of(second.pk))
    assert [s.name for s in run(first.pk)] == ["Market study", "Patent advice"]
    # Deferred fields load on access as they would from the queryset.
    assert run(second.pk)[0].description == services_of(second.pk)[0].description


def test_it_compiles_once_however_many_times_it_runs(two_programmes, compilations):
    run = prepared(services_of)
    first, second = two_programmes
    run(first.pk)
    compiled = compilations["n"]
    assert compiled <= 2  # the statement, compiled with two sets of stand-ins
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            run(second.pk)
            run(first.pk)
    assert compilations["n"] == compiled
    assert len(queries) == 6


def test_it_reads_the_rows_as_they_are_now_not_as_they_were(two_programmes):
    run = prepared(services_of)
    first, _second = two_programmes
    assert [s.name for s in run(first.pk)] == ["Market study", "Patent advice"]
    Service.objects.filter(name="Market study").update(name="Export study", status="draft")
    assert [s.name for s in run(first.pk)] == ["Patent advice"]


def test_each_language_gets_its_own_statement(two_programmes):
    first, _second = two_programmes
    first.name_zh_hans = "创客登陆计划"
    first.save()

    @prepared
    def names(pk):
        return (
            type(first)
            .objects.filter(pk=pk)
            .annotate(shown=in_page_language("name"))
            .values_list("shown", flat=True)
        )

    with translation.override("en"):
        assert names(first.pk) == ["Cradle landing programme"]
    with translation.override("zh-hans"):
        assert names(first.pk) == ["创客登陆计划"]
    with translation.override("en"):
        assert names(first.pk) == ["Cradle landing programme"]


def test_the_shape_is_part_of_the_key(two_programmes):
    first, _second = two_programmes

    @prepared
    def services(pk, *, drafts):
        found = Service.objects.filter(programme_id=pk).order_by("name")
        return (found if drafts else found.published()).values_list("name", flat=True)

    assert services(first.pk, drafts=False) == ["Market study", "Patent advice"]
    assert services(first.pk, drafts=True) == ["A draft", "Market study", "Patent advice"]


def test_a_value_it_cannot_stand_in_for_runs_through_the_orm(two_programmes, compilations):
    first, _second = two_programmes

    @prepared
    def containing(text):
        # The value becomes "%text%": not the value passed, so not substitutable.
        return Service.objects.filter(name__icontains=text).order_by("name")

    assert [s.name for s in containing("study")] == ["Market study"]
    assert [s.name for s in containing("advice")] == ["Patent advice"]
    before = compilations["n"]
    containing("fair")
    assert compilations["n"] > before  # compiled again: never served the wrong statement

    # None changes the SQL (IS NULL), and a 64-bit id is out of the stand-ins' range.
    run = prepared(services_of)
    assert run(None) == []
    assert run(2**40) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_thread_runs_on_its_own_connection(two_programmes):
    run = prepared(services_of)
    first, _second = two_programmes
    here = shown(run(first.pk))
    found = {}

    def elsewhere():
        try:
            # Another connection: it must not use the compiled statement
            # that holds this thread's connection.
            found["rows"] = shown(run(first.pk))
            found["connection"] = connections["default"]
        finally:
            connection.close()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert len(here) == 2
    assert found["rows"] == here
    assert found["connection"] is not connections["default"]


def test_a_build_that_changes_its_value_is_not_given_the_raw_value(two_programmes):
    """A build must not change its values; one that does (here: strips and
    lowers the name it looks for) is found out when it is prepared, and runs
    through the ORM, so it still finds what it meant to."""

    @prepared
    def named(name):
        return Service.objects.filter(name=name.strip().capitalize()).values_list("name", flat=True)

    assert named("  patent advice ") == ["Patent advice"]
    assert named(" market STUDY") == ["Market study"]


def test_a_date_is_a_value_on_either_database(two_programmes, compilations):
    first, _second = two_programmes
    factories.event("Summit", programmes=[first], start_date=datetime.date(2026, 5, 1))
    factories.event("Fair", programmes=[first], start_date=datetime.date(2026, 9, 1))

    @prepared
    def from_day(day):
        return (
            Event.objects.filter(programmes=first, start_date__gte=day)
            .order_by("start_date")
            .values_list("name", flat=True)
        )

    assert from_day(datetime.date(2026, 1, 1)) == ["Summit", "Fair"]
    assert from_day(datetime.date(2026, 6, 1)) == ["Fair"]
    compiled = compilations["n"]
    assert from_day(datetime.date(2026, 10, 1)) == []
    assert compilations["n"] == compiled


def test_a_list_of_ids_is_a_value_where_it_is_one_array(two_programmes, compilations):
    """On PostgreSQL `any_of` sends ids as one array parameter: prepared.
    On SQLite it is a placeholder per id, which changes the SQL: the ORM
    runs it, and the results are the same."""
    ids = sorted(Service.objects.values_list("pk", flat=True))

    @prepared
    def names(ids):
        return (
            Service.objects.filter(pk__any_of=ids).order_by("name").values_list("name", flat=True)
        )

    def by_orm(ids):
        return sorted(Service.objects.filter(pk__in=ids).values_list("name", flat=True))

    assert names(ids) == ["A draft", "Market study", "Patent advice", "Trade fair"]
    assert names(ids[:2]) == by_orm(ids[:2])
    expected = by_orm(ids[-1:])
    compiled = compilations["n"]
    assert names([]) == []
    assert names(ids[-1:]) == expected
    if connection.vendor == "postgresql":
        assert compilations["n"] == compiled
