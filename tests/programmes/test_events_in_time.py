"""Events in time: an event says when it took place, or that no source dates
it; a series says when no next edition is known; a list with nothing upcoming
says so and offers the latest past events."""

import datetime
import json

import pytest
from django.utils import timezone

from tests import factories as f

TODAY = timezone.localdate()
LAST_YEAR = TODAY - datetime.timedelta(days=365)


@pytest.fixture
def past_only(db):
    series = f.programme("SmartHK", kind="event_series")
    held = f.event(
        "SmartHK 2020",
        series=series,
        start_date=datetime.date(2020, 11, 1),
        start_precision="month",
    )
    forum = f.event("Main forum", start_date=datetime.date(2020, 11, 12))
    undated = f.event("Beijing delegation to InnoEX")
    return {"series": series, "held": held, "forum": forum, "undated": undated}


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_an_undated_event_says_its_date_is_not_stated(client, past_only):
    page = html(client, past_only["undated"].get_absolute_url())
    assert "Date not stated in the source" in page


def test_undated_events_have_a_filter_choice_of_their_own(client, past_only):
    undated = html(client, "/events/?when=undated")
    assert 'value="undated" checked' in undated
    assert "Beijing delegation to InnoEX" in undated
    assert "Main forum" not in undated and "SmartHK 2020" not in undated
    assert "Date not stated in the source" in undated
    assert "When: Date not stated" in undated  # the removable chip
    for when in ("upcoming", "past"):
        assert "Beijing delegation" not in html(client, f"/events/?when={when}#results")


def test_the_undated_choice_works_in_every_output_of_the_list(client, past_only):
    csv = client.get("/events/results.csv?when=undated").content.decode("utf-8-sig")
    assert "Beijing delegation to InnoEX" in csv and "Main forum" not in csv
    api = json.loads(client.get("/api/v1/events?when=undated").content)
    assert [item["name"] for item in api["results"]] == ["Beijing delegation to InnoEX"]
    assert client.get("/events/calendar.ics?when=undated").status_code == 200
    assert client.get("/zh-hant/events/?when=undated").status_code == 200


def test_a_past_event_says_it_took_place_with_its_date(client, past_only):
    forum = html(client, past_only["forum"].get_absolute_url())
    assert "Took place on 12 November 2020" in forum
    held = html(client, past_only["held"].get_absolute_url())
    # Known to the month only: no day is invented.
    assert "Took place in November 2020" in held
    listed = html(client, "/events/?when=past")
    assert "Took place on 12 November 2020" in listed


def test_chinese_pages_say_took_place_and_not_stated(client, past_only):
    forum = html(client, f"/zh-hans/events/{past_only['forum'].slug}/")
    assert "已于2020年11月12日举行" in forum
    undated = html(client, f"/zh-hant/events/{past_only['undated'].slug}/")
    assert "來源未註明日期" in undated


def test_a_series_with_no_upcoming_edition_says_the_next_is_not_announced(client, past_only):
    page = html(client, past_only["series"].get_absolute_url())
    assert "SmartHK 2020" in page
    assert "Next edition not yet announced." in page
    f.event("SmartHK next", series=past_only["series"], start_date=TODAY + datetime.timedelta(30))
    page = html(client, past_only["series"].get_absolute_url())
    assert "SmartHK next" in page
    assert "Next edition not yet announced." not in page


def test_an_empty_upcoming_list_says_so_and_shows_the_latest_past_events(client, past_only):
    page = html(client, "/events/?when=upcoming")
    assert "No upcoming events are listed at the moment." in page
    latest = page.split('id="latest-past"')[1].split("</ul>")[0]
    # Newest first; an undated event is not a past one.
    assert latest.index("Main forum") < latest.index("SmartHK 2020")
    assert "Beijing delegation" not in latest


def test_an_upcoming_list_with_events_shows_no_such_note(client, past_only):
    f.event("Next expo", start_date=TODAY + datetime.timedelta(days=3))
    page = html(client, "/events/?when=upcoming")
    assert "Next expo" in page
    assert "No upcoming events" not in page and 'id="latest-past"' not in page


def test_the_home_page_shows_the_latest_past_events_when_none_is_upcoming(client, past_only):
    page = html(client, "/")
    assert "No upcoming events are listed at the moment." in page
    assert "Main forum" in page.split('id="latest-past"')[1]
    f.event("Next expo", start_date=TODAY + datetime.timedelta(days=3))
    page = html(client, "/")
    assert "Next expo" in page and 'id="latest-past"' not in page


def test_pages_with_nothing_upcoming_keep_a_fixed_number_of_queries(
    client, past_only, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        html(client, "/events/?when=upcoming")
    with django_assert_max_num_queries(6):
        html(client, "/")
    for n in range(10):
        f.event(f"Old event {n}", start_date=LAST_YEAR - datetime.timedelta(days=n))
    with django_assert_max_num_queries(6):
        assert "Old event 0" in html(client, "/events/?when=upcoming")


def test_an_organisations_events_close_their_brackets_right_after_the_date(client, db):
    """ "(Organiser, Took place on 12 November 2020)": the date ends the
    bracket, with no space before it closes (the date's template once left a
    line break there, which a browser shows as a space)."""
    council = f.organisation("Hong Kong Productivity Council")
    f.event("Main forum", organisations=[council], start_date=datetime.date(2020, 11, 12))
    page = html(client, council.get_absolute_url())
    assert "Took place on 12 November 2020)" in page
