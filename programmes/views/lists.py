from django.db.models.functions import Coalesce
from django.utils import timezone

from directory.caching import query_parameters
from directory.views.lists import FIT_SORTS, SORTS, list_page, search_columns
from programmes.filters import EventFilterSet, ProgrammeFilterSet, ServiceFilterSet, latest_past
from programmes.models import Event, Programme, Service


@query_parameters(*ProgrammeFilterSet.parameters, "page", "sort", "more")
def programme_list(request):
    return list_page(
        request,
        queryset=Programme.objects.published(),
        filterset_class=ProgrammeFilterSet,
        spec=ProgrammeFilterSet.parameters,
        template="programmes/programme_list.html",
        context={"has_feed": True},
        sorts=FIT_SORTS,
    )


@query_parameters(*ServiceFilterSet.parameters, "page", "sort", "more")
def service_list(request):
    return list_page(
        request,
        queryset=Service.objects.published(),
        filterset_class=ServiceFilterSet,
        spec=ServiceFilterSet.parameters,
        template="programmes/service_list.html",
        context={"select_related": ["provider", "category", "programme"], "has_feed": True},
        sorts=FIT_SORTS,
    )


def _event_date_order(clean):
    # Upcoming events read soonest first; everything else newest first.
    if clean.get("when") == "upcoming":
        # By first known day: an event with only an end date sorts by it. The
        # upcoming events (a small share) are found on the last-day index
        # and sorted; walking the start-date index instead, PostgreSQL skips
        # every past event (tens of thousands) to reach the first upcoming one.
        return (Coalesce("start_date", "end_date"), "name", "pk")
    return ("-start_date", "name", "pk")


EVENT_SORTS = {"date": _event_date_order, **SORTS}


@query_parameters(*EventFilterSet.parameters, "page", "sort", "more")
def event_list(request):
    return list_page(
        request,
        queryset=Event.objects.published(),
        filterset_class=EventFilterSet,
        spec=EventFilterSet.parameters,
        template="programmes/event_list.html",
        context={"select_related": ["city"], "has_feed": True, "has_calendar": True},
        sorts=EVENT_SORTS,
        more_context=_latest_when_none_upcoming,
    )


def _latest_when_none_upcoming(clean, page):
    # "0 results" for upcoming events reads as a dead site: the page says
    # nothing is upcoming and offers the latest past events (one query, and
    # only on that empty page).
    if clean.get("when") != "upcoming" or page.object_list:
        return {}
    events = latest_past(Event.objects.published().defer(*search_columns("")), timezone.localdate())
    return {"nothing_upcoming": True, "latest_past": list(events.select_related("city"))}
