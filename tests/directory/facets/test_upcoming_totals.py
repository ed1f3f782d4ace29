"""The counts of the events still to come come from kept totals
(directory/facets/upcoming.py): whether the totals were moved on to today
or not, whatever day they count from, and with none kept at all, a list of
upcoming events counts exactly the events it lists."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory import facets
from directory.caching import tags
from directory.facets import upcoming
from directory.models import FacetEntry, Organisation, UpcomingTotal, UpcomingTotalsDay
from tests import factories as f

FACETS = ("region", "sector", "kind", "year", "all")


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def calendar(db):
    """Events ending on each day from five days ago to five days ahead, in
    two provinces, by two organisers, and one with no date."""
    guangdong = f.region("Guangdong")
    sichuan = f.region("Sichuan")
    council = f.organisation("Hong Kong Productivity Council")
    tdc = f.organisation("HKTDC")
    events = []
    for offset in range(-5, 6):
        events.append(
            f.event(
                f"Forum {offset}",
                start_date=days(offset - 1),
                end_date=days(offset),
                regions=[guangdong if offset % 2 else sichuan],
                organisations=[council if offset < 2 else tdc],
            )
        )
    f.event("Undated fair", regions=[guangdong], organisations=[council])
    return {"events": events, "guangdong": guangdong, "council": council, "tdc": tdc}


def from_the_entries(facet_names, today):
    """The reference: every upcoming entry counted."""
    found = {facet: {} for facet in facet_names}
    for facet, value in FacetEntry.objects.filter(
        kind="event", facet__in=facet_names, until__gte=today
    ).values_list("facet", "value"):
        found[facet][value] = found[facet].get(value, 0) + 1
    return found


def top(today):
    return [(o.slug, o.n) for o in facets.top_organisations("event", None, None, 10, until=today)]


def top_from_the_entries(today):
    counted = from_the_entries(("organisation",), today)["organisation"]
    ranked = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    slugs = dict(Organisation.objects.values_list("pk", "slug"))
    return [(slugs[int(value)], n) for value, n in ranked]


def counts_exact_on(today):
    assert facets.counts("event", FACETS, until=today) == from_the_entries(FACETS, today)
    assert top(today) == top_from_the_entries(today)


def test_counts_from_the_totals_match_the_entries(calendar):
    assert UpcomingTotalsDay.objects.get(kind="event").day == timezone.localdate()
    counts_exact_on(timezone.localdate())
    assert facets.counts("event", ["all"], until=timezone.localdate())["all"] == {"": 6}


@pytest.mark.parametrize("kept_from", [-3, -1, 2])
def test_counts_stay_exact_whatever_day_the_totals_count_from(calendar, kept_from):
    """Days passed since the totals were counted (the daily roll did not run),
    or a server whose today is behind the day they were moved to."""
    upcoming.build("event", days(kept_from))
    counts_exact_on(timezone.localdate())
    assert facets.counts("event", ["all"], until=timezone.localdate())["all"] == {"": 6}


@pytest.mark.parametrize(("kept_from", "then_from"), [(-3, 0), (2, 2)])
def test_writes_roll_the_totals_on_to_today_and_move_them(calendar, kept_from, then_from):
    """A write of an event first takes off what ended since the totals' day
    (a day ahead of this server's today is left as it is)."""
    upcoming.build("event", days(kept_from))
    past, coming = calendar["events"][0], calendar["events"][-1]
    past.end_date, past.start_date = days(20), days(19)  # past -> to come
    past.save()
    coming.status = "draft"  # unpublished: counted nowhere
    coming.save()
    assert UpcomingTotalsDay.objects.get(kind="event").day == days(then_from)
    counts_exact_on(timezone.localdate())


def test_rolling_moves_the_totals_on_to_today(calendar):
    upcoming.build("event", days(-4))
    said = io.StringIO()
    call_command("roll_upcoming_totals", stdout=said)
    # Forums -4 to -1 ended since: five entries each (region, organisation,
    # kind, year and the one every record has).
    assert said.getvalue() == "event: 20 entries of records now past taken off.\n"
    assert UpcomingTotalsDay.objects.get(kind="event").day == timezone.localdate()
    fresh = from_the_entries(FACETS + ("organisation",), timezone.localdate())
    kept = {}
    for facet, value, n in UpcomingTotal.objects.filter(n__gt=0).values_list("facet", "value", "n"):
        kept.setdefault(facet, {})[value] = n
    assert kept == {facet: values for facet, values in fresh.items() if values}
    counts_exact_on(timezone.localdate())


def test_without_kept_totals_the_counts_come_from_the_entries(calendar):
    UpcomingTotalsDay.objects.all().delete()
    UpcomingTotal.objects.all().delete()
    counts_exact_on(timezone.localdate())
    # The next write of an event counts them afresh.
    calendar["events"][-1].save()
    assert UpcomingTotalsDay.objects.filter(kind="event").exists()
    counts_exact_on(timezone.localdate())


def shown_count(html, name, slug):
    found = re.search(rf'value="{slug}"[^>]*> {name} <span class="count">\((\d+)\)', html)
    return int(found.group(1)) if found else None


def test_the_upcoming_list_counts_what_it_lists_after_days_pass(client, calendar):
    """What a reader sees: the totals were kept from three days ago, when
    three more events were still to come."""
    upcoming.build("event", days(-3))
    html = client.get(reverse("programmes:event_list") + "?when=upcoming").content.decode()
    assert html.count('<h3><a href="/events/') == 6
    # Forums 0 to 5: the odd ones in Guangdong, 2 to 5 by HKTDC.
    assert shown_count(html, "Guangdong", calendar["guangdong"].slug) == 3
    assert shown_count(html, "HKTDC", calendar["tdc"].slug) == 4
    assert shown_count(html, "Hong Kong Productivity Council", calendar["council"].slug) == 2


def test_counting_the_totals_afresh_leaves_every_stored_page_alone(
    calendar, settings, django_capture_on_commit_callbacks
):
    """They are derived from the events, whose own writes replace the pages
    that show them: building or rolling them replaces no generation (the
    whole cache went cold each time, and every row was read to be deleted)."""
    settings.DIRECTORY_CACHING = True
    tags.start([tags.EVERYTHING], [None])
    before = cache.get(tags.KEY_PREFIX + tags.EVERYTHING)
    UpcomingTotalsDay.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        upcoming.roll()
        upcoming.build("event", days(-2))
        upcoming.roll()
    assert cache.get(tags.KEY_PREFIX + tags.EVERYTHING) == before
    counts_exact_on(timezone.localdate())
