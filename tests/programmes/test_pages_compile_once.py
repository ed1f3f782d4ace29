"""Record pages and home run prepared queries (directory/prepared.py): after
the first page of a kind, another record's page compiles no SQL at all, in
either language, and still shows that record's own relations."""

import datetime
import re

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone, translation
from django.utils.html import escape

from directory import kinds
from directory.models import SourceArticle
from programmes.filters import EventFilterSet, ProgrammeFilterSet
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def compilations(monkeypatch):
    count = {"n": 0}
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        count["n"] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return count


def name_in(record, language):
    chinese = language and getattr(record, "name_zh_hans", "")
    return chinese or record.name


@pytest.mark.parametrize("language", ["", "/zh-hans"])
@pytest.mark.parametrize("kind", [kind.name for kind in kinds.all_kinds()])
def test_record_pages_of_a_kind_compile_no_sql_once_each_shape_has_been_seen(
    seeded, client, compilations, kind, language, settings
):
    """A first pass over some records of a kind compiles each shape of query
    once (an event with a series reads its editions, one without does not);
    the second pass compiles nothing, and every page still shows its own
    record."""
    settings.DIRECTORY_CACHING = False
    records = list(kinds.get(kind).model.objects.published().order_by("pk")[:6])
    assert len(records) > 2, f"the seeds hold several published {kind} records"
    with translation.override(settings.LANGUAGE_CODE):
        urls = [language + record.get_absolute_url() for record in records]
    for url in urls:
        assert client.get(url).status_code == 200
    before = compilations["n"]
    for record, url in zip(reversed(records), reversed(urls), strict=True):
        answer = client.get(url)
        assert answer.status_code == 200
        heading = re.search(rb"<h1>(.*?)</h1>", answer.content, re.S).group(1).decode()
        assert escape(name_in(record, language)) in heading
    assert compilations["n"] == before


def test_home_compiles_no_sql_the_second_time(seeded, client, compilations, settings):
    settings.DIRECTORY_CACHING = False
    assert client.get("/").status_code == 200
    before = compilations["n"]
    assert client.get("/").status_code == 200
    assert compilations["n"] == before


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's search turns each word into a LIKE pattern: not a value, so not prepared",
)
def test_a_search_compiles_no_sql_once_its_shape_has_been_seen(
    seeded, client, compilations, settings
):
    """Searches with look-alikes and with words in the names: after one of
    each, other queries compile nothing, and each still finds its own records."""
    settings.DIRECTORY_CACHING = False
    settings.SEARCH_RATE_LIMIT = ""
    for warm in ("productivity", "Productivty"):
        assert client.get("/search/", {"q": warm}).status_code == 200
    before = compilations["n"]
    found = {}
    for q in ("InvestHK", "Zhongguancun", "Investhk"):
        answer = client.get("/search/", {"q": q})
        assert answer.status_code == 200
        found[q] = answer.content.decode()
    assert compilations["n"] == before
    assert "Invest Hong Kong" in found["InvestHK"]
    assert "Zhongguancun" in re.sub(r"<[^>]+>", "", found["Zhongguancun"])
    # A misspelling finds the record through its look-alikes.
    assert "Invest Hong Kong" in found["Investhk"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes a list of ids as a placeholder per id: not a value, so not prepared",
)
def test_a_second_source_page_compiles_no_sql(seeded, client, compilations, settings):
    settings.DIRECTORY_CACHING = False
    with translation.override(settings.LANGUAGE_CODE):
        urls = [a.get_absolute_url() for a in SourceArticle.objects.published().order_by("pk")]
    assert len(urls) > 2
    for url in urls:
        assert client.get(url).status_code == 200
    before = compilations["n"]
    for url in reversed(urls):
        answer = client.get(url)
        assert answer.status_code == 200
        assert b'<li class="citation">' in answer.content
    assert compilations["n"] == before


def test_the_upcoming_events_page_compiles_its_rows_once_and_follows_the_day(
    db, client, compilations, settings, monkeypatch
):
    """The soonest upcoming events (the list home links to) are a prepared
    query with today as its value: once compiled, a reader's page compiles
    less SQL than it would through the ORM (not the rows), and the next
    day's page, from the same compiled statement, no longer lists an event
    that has ended."""
    settings.DIRECTORY_CACHING = False
    today = timezone.localdate()
    f.index(f.event("Tomorrow Summit", start_date=today + datetime.timedelta(days=1)))
    f.index(f.event("Spring Expo", start_date=today + datetime.timedelta(days=5)))
    url = "/events/?when=upcoming"

    def compiled_by(url):
        before = compilations["n"]
        page = client.get(url).content.decode()
        return compilations["n"] - before, page

    compiled_by(url)
    prepared, page = compiled_by(url)
    assert page.index("Tomorrow Summit") < page.index("Spring Expo")
    with monkeypatch.context() as patch:
        patch.setattr(EventFilterSet, "prepared_filtering", lambda self: None)
        through_the_orm, same_page = compiled_by(url)
    assert same_page == page
    assert prepared < through_the_orm

    two_days_on = today + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: two_days_on)
    next_days, page = compiled_by(url)
    assert next_days == prepared
    assert "Spring Expo" in page
    assert "Tomorrow Summit" not in page


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes a list as a placeholder per item: not a value, so not prepared",
)
def test_a_filtered_lists_first_page_compiles_its_rows_once_for_any_selection(
    seeded, client, compilations, settings, monkeypatch
):
    """The rows of a list filtered by region, sector and kind of help (and
    why each matches) come from a statement compiled once for those
    filters: another region's page compiles less SQL than it would through
    the ORM, and still says why each of its own rows matches."""
    settings.DIRECTORY_CACHING = False
    url = (
        "/programmes/?region={}&sector=artificial-intelligence&help=intellectual-property&sort=fit"
    )

    def compiled_by(region):
        before = compilations["n"]
        page = client.get(url.format(region)).content.decode()
        return compilations["n"] - before, page

    compiled_by("wuxi")
    prepared, page = compiled_by("guangdong")
    assert "Why it matches:" in page
    with monkeypatch.context() as patch:
        patch.setattr(ProgrammeFilterSet, "prepared_filtering", lambda self: None)
        through_the_orm, same_page = compiled_by("guangdong")
    assert same_page == page
    assert prepared < through_the_orm
    _compiled, wuxi = compiled_by("wuxi")
    assert "Why it matches:" in wuxi and wuxi != page
