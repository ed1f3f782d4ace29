"""The lists' downloads: CSV, Atom feeds and iCalendar, each read back with
an independent parser, each keeping the list's filters and leaving out
unpublished records."""

import csv
import datetime
import io
from urllib.parse import urlsplit

import pytest
from defusedxml import ElementTree
from icalendar import Calendar

from tests import factories

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def catalogue(db):
    data = factories.catalogue(6)
    factories.index(
        factories.organisation('=HYPERLINK("http://x")', name_zh_hans="深圳市科技创新局")
    )
    return data


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_every_list_page_links_its_download_with_its_filters(client, catalogue):
    sector = catalogue["sectors"][0].slug
    for path in ("/programmes/", "/organisations/", "/services/", "/events/"):
        query = f"sector={sector}&sort=name" if path != "/services/" else "sort=name"
        page = client.get(f"{path}?{query}&page=1").content.decode()
        assert f'href="{path}results.csv?{query.replace("&", "&amp;")}"' in page, path
        assert "Download these results (CSV)" in page


@pytest.mark.parametrize("path", ["/programmes/", "/organisations/", "/services/", "/events/"])
def test_csv_round_trips_the_filtered_list(client, catalogue, path):
    city = catalogue["cities"][0].slug
    rows = read_csv(client.get(f"{path}results.csv?region={city}&sort=name"))
    page = client.get(f"{path}?region={city}&sort=name").content.decode()
    assert rows
    for row in rows:
        assert urlsplit(row["url"]).path in page


def test_csv_keeps_chinese_text_and_escapes_formulas(client, catalogue):
    rows = read_csv(client.get("/organisations/results.csv?q=HYPERLINK"))
    assert rows[0]["name"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["name_zh_hans"] == "深圳市科技创新局"
    for start in "=+-@":
        factories.programme(f"{start}cmd", summary=f"{start}1+1")
    rows = read_csv(client.get("/programmes/results.csv?sort=name"))
    dangerous = [v for row in rows for v in row.values() if v and v[0] in "=+-@"]
    assert dangerous == []


def hidden_records():
    return [
        factories.programme("Hidden programme", status="draft"),
        factories.service("Hidden service", status="in_review"),
        factories.event("Hidden event", status="archived", start_date=datetime.date(2099, 1, 1)),
        factories.organisation("Hidden organisation", status="draft"),
    ]


def test_unpublished_records_are_in_no_download(client, catalogue):
    hidden_records()
    for path in ("/programmes/", "/organisations/", "/services/", "/events/"):
        assert "Hidden" not in client.get(f"{path}results.csv").content.decode("utf-8-sig")
        if path != "/organisations/":
            assert b"Hidden" not in client.get(f"{path}feed/").content
    assert b"Hidden" not in client.get("/events/calendar.ics").content


@pytest.mark.parametrize("path", ["/programmes/", "/services/", "/events/"])
def test_feeds_are_atom_linked_from_the_list_and_point_at_live_pages(client, catalogue, path):
    for event in catalogue["events"]:
        event.start_date = datetime.date.today() + datetime.timedelta(days=10)
        event.save()
    sector = catalogue["sectors"][0].slug
    query = f"sector={sector}" if path != "/services/" else ""
    page = client.get(f"{path}?{query}").content.decode()
    feed_url = f"{path}feed/" + (f"?{query}" if query else "")
    assert 'type="application/atom+xml" title=' in page and f'href="{feed_url}"' in page
    assert "Subscribe" in page
    response = client.get(feed_url)
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        assert entry.find(f"{ATOM}title").text
        assert entry.find(f"{ATOM}updated").text
        link = entry.find(f"{ATOM}link").get("href")
        assert client.get(urlsplit(link).path).status_code == 200


def test_the_event_feed_keeps_upcoming_events_only(client, catalogue):
    past = catalogue["events"][0]
    soon = catalogue["events"][1]
    soon.start_date = datetime.date.today() + datetime.timedelta(days=3)
    soon.save()
    content = client.get("/events/feed/").content.decode()
    assert f"/events/{soon.slug}/" in content
    assert f"/events/{past.slug}/" not in content


def test_a_chinese_feed_links_chinese_pages(client, catalogue):
    root = ElementTree.fromstring(client.get("/zh-hans/programmes/feed/").content)
    links = [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]
    assert links and all("/zh-hans/programmes/" in link for link in links)


def test_a_day_event_is_an_all_day_calendar_entry(client, db):
    event = factories.event(
        "InnoEX",
        start_date=datetime.date(2026, 4, 13),
        end_date=datetime.date(2026, 4, 16),
        venue="HKCEC",
    )
    page = client.get(event.get_absolute_url()).content.decode()
    assert f'href="/events/{event.slug}/calendar.ics"' in page and "Add to calendar" in page
    response = client.get(f"/events/{event.slug}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    (entry,) = cal.walk("VEVENT")
    assert entry["DTSTART"].params["VALUE"] == "DATE"
    assert entry.decoded("DTSTART") == datetime.date(2026, 4, 13)
    assert entry.decoded("DTEND") == datetime.date(2026, 4, 17)
    assert str(entry["SUMMARY"]) == "InnoEX"
    assert "HKCEC" in str(entry["LOCATION"])


def test_imprecise_and_undated_events_get_no_made_up_day(client, db):
    day = factories.event("Day", start_date=datetime.date(2026, 5, 2))
    month = factories.event("Month", start_date=datetime.date(2026, 5, 1), start_precision="month")
    factories.event("Year", start_date=datetime.date(2026, 1, 1), start_precision="year")
    factories.event("Undated")
    assert "Add to calendar" not in client.get(month.get_absolute_url()).content.decode()
    assert client.get(f"/events/{month.slug}/calendar.ics").status_code == 404
    cal = Calendar.from_ical(client.get("/events/calendar.ics").content)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == [day.name]
    assert "3 events of this list are left out" in str(cal["X-WR-CALDESC"])
    page = client.get("/events/?year=2026").content.decode()
    assert 'href="/events/calendar.ics?year=2026"' in page
    cal = Calendar.from_ical(client.get("/events/calendar.ics?year=2026").content)
    assert "2 events of this list are left out" in str(cal["X-WR-CALDESC"])


def test_downloads_run_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    factories.catalogue(5)
    for size in (5, 40):
        if size == 40:
            factories.catalogue(35)
        for url in (
            "/programmes/results.csv",
            "/organisations/results.csv",
            "/services/results.csv",
            "/events/results.csv?q=event",
            "/programmes/feed/",
            "/services/feed/",
            "/events/feed/",
            "/events/calendar.ics",
        ):
            with django_assert_max_num_queries(4):
                assert client.get(url).status_code == 200


def test_an_unpublished_event_has_no_calendar_file(client, db):
    day = {"start_date": datetime.date(2099, 3, 2)}
    shown = factories.event("Shown event", **day)
    for status in ("draft", "in_review", "archived"):
        hidden = factories.event(f"Hidden {status} event", status=status, **day)
        assert client.get(f"/events/{hidden.slug}/calendar.ics").status_code == 404, status
    cal = Calendar.from_ical(client.get(f"/events/{shown.slug}/calendar.ics").content)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Shown event"]


def test_a_filtered_events_calendar_leaves_out_unpublished_events(client, catalogue):
    day = {"start_date": datetime.date(2099, 3, 2), "city": catalogue["cities"][0]}
    factories.index(
        factories.event("Shown event", **day),
        factories.event("Hidden event", status="draft", **day),
        factories.event("Hidden undated event", status="draft", city=catalogue["cities"][0]),
    )
    for query in ("year=2099", f"region={catalogue['cities'][0].slug}", "q=event"):
        cal = Calendar.from_ical(client.get(f"/events/calendar.ics?{query}").content)
        summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
        assert "Shown event" in summaries and "Hidden event" not in summaries, query
        # Nor are they counted among the events left out for want of a day.
        assert "Hidden" not in str(cal["X-WR-CALDESC"])
    cal = Calendar.from_ical(client.get("/events/calendar.ics?year=2099").content)
    assert "left out" not in str(cal["X-WR-CALDESC"])
