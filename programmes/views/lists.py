from django.utils import timezone

from directory.i18n.translation import translated_columns as translated
from directory.views.lists import FIT_SORTS, SORTS, list_view, search_columns
from directory.views.records import LINK_COLUMNS
from programmes.filters import EventFilterSet, ProgrammeFilterSet, ServiceFilterSet, latest_past
from programmes.models import Event, Programme, Service, first_day
from programmes.views.details import EVENT_ITEM_COLUMNS

programme_list = list_view(
    Programme,
    ProgrammeFilterSet,
    "programmes/programme_list.html",
    sorts=FIT_SORTS,
    has_feed=True,
    columns=[
        *LINK_COLUMNS,
        "kind",
        "lifecycle",
        "launch_date",
        "launch_precision",
        "all_sectors",
        *translated("summary"),
    ],
)
service_list = list_view(
    Service,
    ServiceFilterSet,
    "programmes/service_list.html",
    sorts=FIT_SORTS,
    select_related=["provider", "category", "programme"],
    has_feed=True,
    # The provider and the programme are links; the kind of help a name
    # (not its description in three languages, on every row).
    columns=[
        *LINK_COLUMNS,
        *translated("audience"),
        *(f"category__{column}" for column in ("zh_official", *translated("name"))),
        *(f"provider__{column}" for column in LINK_COLUMNS),
        *(f"programme__{column}" for column in LINK_COLUMNS),
    ],
)


def _event_date_order(clean):
    # Upcoming events read soonest first; everything else newest first.
    if clean.get("when") == "upcoming":
        # By first known day: an event with only an end date sorts by it. The
        # "upcoming" filter bounds the first day from below (the earliest
        # upcoming one), so a page is read in the order of the first-day index
        # from there; from the oldest event on, PostgreSQL would skip every
        # past event (tens of thousands) to reach the first upcoming one.
        return (first_day(), "name", "pk")
    return ("-start_date", "name", "pk")


EVENT_SORTS = {"date": _event_date_order, **SORTS}


def _latest_when_none_upcoming(clean, page):
    # "0 results" for upcoming events reads as a dead site: the page says
    # nothing is upcoming and offers the latest past events (one query, and
    # only on that empty page).
    if clean.get("when") != "upcoming" or page.object_list:
        return {}
    events = latest_past(Event.objects.published().defer(*search_columns("")), timezone.localdate())
    return {"nothing_upcoming": True, "latest_past": list(events.select_related("city"))}


event_list = list_view(
    Event,
    EventFilterSet,
    "programmes/event_list.html",
    sorts=EVENT_SORTS,
    more_context=_latest_when_none_upcoming,
    select_related=["city"],
    has_feed=True,
    has_calendar=True,
    columns=[*EVENT_ITEM_COLUMNS, "kind", "city", *translated("summary")],
)
