"""Every public page runs a fixed number of SQL queries, whatever the data size.

The catalogue has 30 records of each kind with several relations each: a
query per row (N+1) anywhere would blow these budgets.
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programmes.filters import upcoming
from programmes.models import Event
from tests import factories

LIST_BUDGET = 8
DETAIL_BUDGET = 5


@pytest.fixture
def catalogue(db):
    return factories.catalogue(30)


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def full_filters(data):
    city, sector, help_ = data["cities"][0], data["sectors"][0], data["categories"][0]
    org = data["organisations"][0]
    return {
        "/programmes/": f"?q=programme&region={city.slug}&sector={sector.slug}"
        f"&help={help_.slug}&organisation={org.slug}&kind=service_centre&status=unknown",
        "/organisations/": f"?q=organisation&region={city.slug}&sector={sector.slug}"
        "&kind=statutory_body",
        "/services/": f"?q=service&region={city.slug}&help={help_.slug}&organisation={org.slug}",
        "/events/": f"?q=event&region={data['province'].slug}&sector={sector.slug}"
        f"&organisation={org.slug}&kind=expo&year=2024&from=2020-01-01&to=2030-01-01",
    }


@pytest.mark.parametrize("path", ["/programmes/", "/organisations/", "/services/", "/events/"])
def test_it_lists_with_a_fixed_number_of_queries(client, catalogue, path):
    unfiltered = queries_for(client, path)
    filtered = queries_for(client, path + full_filters(catalogue)[path])
    assert unfiltered <= LIST_BUDGET
    assert filtered <= LIST_BUDGET


@pytest.mark.parametrize("path", ["/programmes/", "/organisations/", "/services/", "/events/"])
def test_it_reads_no_search_columns_for_the_rows_of_a_list(client, catalogue, path):
    # The search text is a row's widest column; a page of 20 rows (and the
    # records joined to them) would otherwise carry every record's document.
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    rows = [q["sql"] for q in captured if "LIMIT 20" in q["sql"]]
    assert rows, "no page of rows was read"
    for sql in rows:
        selected = sql.split(" FROM ", 1)[0]
        assert "search_document" not in selected
        assert "search_names" not in selected


def test_it_keeps_list_queries_fixed_as_data_grows(client, catalogue):
    before = {path: queries_for(client, path) for path in full_filters(catalogue)}
    factories.catalogue(10)
    after = {path: queries_for(client, path) for path in full_filters(catalogue)}
    assert before == after


def test_facets_beside_a_filter_of_no_facet_are_counted_in_one_query(client, catalogue):
    # The vocabulary, the organisation facet, the other four facets together
    # with the total (each event's one ALL entry), and the page.
    assert queries_for(client, "/events/?when=upcoming") == 4
    # That total is the list's.
    expected = upcoming(Event.objects.published(), timezone.localdate()).count()
    assert expected
    answer = client.get("/events/", {"when": "upcoming"})
    shown = re.search(r'<span id="result-count">([\d,]+) result', answer.content.decode())
    assert int(shown.group(1).replace(",", "")) == expected


@pytest.mark.parametrize("kind", ["programmes", "organisations", "services", "events"])
def test_it_shows_details_with_a_fixed_number_of_queries(client, catalogue, kind):
    record = catalogue[kind][0]
    count = queries_for(client, record.get_absolute_url())
    assert count <= DETAIL_BUDGET, count


def test_it_shows_the_search_page_with_a_query_per_kind(
    client, catalogue, django_assert_num_queries
):
    # One query for each of the four kinds (its best results, ranked, with
    # their count); on PostgreSQL, one more first for the look-alikes of the
    # query's words, which all four use.
    # The rate limiter's counter is in the shared cache, a table of the
    # database in the suite (Redis in production): its queries do not count.
    expected = 5 if connection.vendor == "postgresql" else 4
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "Organisation 1"})
    assert response.status_code == 200
    records = [q["sql"] for q in queries if not re.search(r"django_cache|SAVEPOINT", q["sql"])]
    assert len(records) == expected, records


def test_it_shows_the_home_page_with_a_fixed_number_of_queries(client, catalogue):
    count = queries_for(client, "/")
    factories.catalogue(5)
    # The list budget: at most 8.
    assert queries_for(client, "/") == count <= 8


def test_it_shows_a_source_with_a_fixed_number_of_queries(
    client, catalogue, django_assert_max_num_queries
):
    article = catalogue["article"]
    # As in a fresh app server: no content type is known yet.
    ContentType.objects.clear_cache()
    with django_assert_max_num_queries(4):
        response = client.get(article.get_absolute_url())
    assert response.content.decode().count('class="citation"') == 33
    # 200 more citations of four quotes: still four queries, one page listed.
    quotes = ["Quote one.", "Quote two.", "Quote three.", "Quote"]
    for n, record in enumerate(factories.catalogue(50)["programmes"] * 4):
        factories.cite(record, article, quotes[n // 50])
    with django_assert_max_num_queries(4):
        response = client.get(article.get_absolute_url())
    assert response.content.decode().count('class="citation"') == 50


def test_a_session_names_its_series_and_its_event_without_a_query_more(client, catalogue):
    series, event, session = catalogue["series"], catalogue["events"][0], catalogue["events"][1]
    series.name_zh_hant = "博覽系列"
    series.save()
    series_url, event_url = series.get_absolute_url(), event.get_absolute_url()
    url = "/zh-hant" + session.get_absolute_url()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    page = response.content.decode()
    assert f'<a href="/zh-hant{series_url}">博覽系列</a>' in page
    assert f'<a href="/zh-hant{event_url}"><span lang="en">Event 0</span></a>' in page
    # The event, its relations' labels, its relatives, its citations: no
    # column of the linked records is fetched on its own.
    assert len(captured) == 4, [q["sql"][:80] for q in captured]
