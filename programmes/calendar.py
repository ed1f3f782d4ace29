"""iCalendar (.ics) for one event and for any filtered events list.

Dates only as precise as the source: an event dated to the day is an
all-day event (DTSTART;VALUE=DATE, DTEND the day after its last day). One
known only to the month or year, or not dated at all, gets no made-up day:
it is left out, and the calendar's description says how many were.
"""

import datetime

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar
from icalendar import Event as VEvent

from directory.exports import filtered_records
from directory.forms import SLUG
from directory.i18n.translation import translate
from programmes.filters import EventFilterSet
from programmes.models import Event
from programmes.views.lists import EVENT_SORTS

CALENDAR_LIMIT = 1000


def has_day(event):
    return event.start_date is not None and event.start_precision == "day"


def day_precise():
    return Q(start_date__isnull=False, start_precision="day")


def calendar(name, description):
    cal = Calendar()
    cal.add("prodid", "-//Cross-border innovation directory//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", description)
    cal.add("description", description)
    return cal


def vevent(request, event):
    entry = VEvent()
    entry.add("uid", f"event-{event.pk}@{request.get_host().split(':')[0]}")
    entry.add("summary", str(translate(event, "name")))
    entry.add("dtstart", event.start_date)
    last = event.start_date
    if event.end_date and event.end_precision == "day" and event.end_date >= event.start_date:
        last = event.end_date
    entry.add("dtend", last + datetime.timedelta(days=1))
    entry.add("dtstamp", event.updated_at)
    entry.add("last-modified", event.updated_at)
    url = request.build_absolute_uri(event.get_absolute_url())
    entry.add("url", url)
    place = [str(translate(event, "venue"))]
    if event.city_id:
        place.append(str(translate(event.city, "name")))
    if any(place):
        entry.add("location", ", ".join(p for p in place if p))
    summary = str(translate(event, "summary"))
    entry.add("description", f"{summary}\n\n{url}".strip())
    return entry


def ics_response(cal, filename):
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


def event_ics(request, slug):
    if not SLUG.match(slug):
        raise Http404
    event = get_object_or_404(Event.objects.published().select_related("city"), slug=slug)
    if not has_day(event):
        raise Http404("This event's day is not known.")
    cal = calendar(str(translate(event, "name")), str(translate(event, "summary")))
    cal.add_component(vevent(request, event))
    return ics_response(cal, f"{event.slug}.ics")


def events_ics(request):
    records, _clean, _filterset = filtered_records(
        request,
        queryset=Event.objects.published(),
        filterset_class=EventFilterSet,
        sorts=EVENT_SORTS,
        related=("city",),
    )
    counts = records.order_by().aggregate(
        total=Count("pk"), dated=Count("pk", filter=day_precise())
    )
    events = list(records.filter(day_precise())[:CALENDAR_LIMIT])
    left_out = counts["total"] - counts["dated"]
    description = _("Events of the cross-border innovation directory.")
    if left_out:
        description += " " + ngettext(
            "%(n)s event of this list is left out: its date is known only to the month "
            "or year, or not at all.",
            "%(n)s events of this list are left out: their dates are known only to the "
            "month or year, or not at all.",
            left_out,
        ) % {"n": left_out}
    if counts["dated"] > CALENDAR_LIMIT:
        description += " " + _("Only the first %(n)s are included.") % {"n": CALENDAR_LIMIT}
    cal = calendar(_("Events"), description)
    for event in events:
        cal.add_component(vevent(request, event))
    return ics_response(cal, "events.ics")
