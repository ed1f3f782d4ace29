"""A stored page lives for the day it was rendered on: event pages and lists
say "upcoming" or "took place" by today's date, so tomorrow renders afresh."""

import datetime

import pytest
from django.utils import timezone

from directory.caching import bump_content_version
from tests import factories as f


@pytest.fixture
def expo(settings, db):
    settings.DIRECTORY_CACHING = True
    bump_content_version()
    today = timezone.localdate()
    event = f.event("Tomorrow Expo", start_date=today + datetime.timedelta(days=1))
    f.index(event)
    return event


def test_an_upcoming_event_says_took_place_the_day_after_it(client, expo, monkeypatch):
    url = "/events/?when=upcoming"
    assert "Tomorrow Expo" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"

    two_days_on = timezone.localdate() + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: two_days_on)
    response = client.get(url)
    assert response["X-Page-Cache"] != "hit"
    # Nothing is upcoming any more: the list says so and offers it as past.
    page = response.content.decode()
    assert "No upcoming events are listed at the moment." in page
    assert "Took place on" in page
    detail = client.get(expo.get_absolute_url()).content.decode()
    assert "Took place" in detail
