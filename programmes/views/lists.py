from django.db.models.functions import Coalesce

from directory.views.lists import FIT_SORTS, SORTS, list_page
from programmes.filters import EventFilterSet, ProgrammeFilterSet, ServiceFilterSet
from programmes.models import Event, Programme, Service


def programme_list(request):
    return list_page(
        request,
        queryset=Programme.objects.published(),
        filterset_class=ProgrammeFilterSet,
        spec={
            "q": "text",
            "region": "slugs",
            "sector": "slugs",
            "help": "slugs",
            "organisation": "slug",
            "kind": list(Programme.Kind.values),
            "status": list(Programme.LifecycleStatus.values),
        },
        template="programmes/programme_list.html",
        context={},
        sorts=FIT_SORTS,
    )


def service_list(request):
    return list_page(
        request,
        queryset=Service.objects.published(),
        filterset_class=ServiceFilterSet,
        spec={"q": "text", "help": "slugs", "region": "slugs", "organisation": "slug"},
        template="programmes/service_list.html",
        context={"select_related": ["provider", "category", "programme"]},
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


def event_list(request):
    return list_page(
        request,
        queryset=Event.objects.published(),
        filterset_class=EventFilterSet,
        spec={
            "q": "text",
            "region": "slugs",
            "sector": "slugs",
            "organisation": "slug",
            "kind": list(Event.Kind.values),
            "when": ("upcoming", "past"),
            "from": "date",
            "to": "date",
            "year": "years",
        },
        template="programmes/event_list.html",
        context={"select_related": ["city"]},
        sorts=EVENT_SORTS,
    )
