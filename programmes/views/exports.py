"""The programme, service and event lists as CSV (directory.exports)."""

from directory.api.references import partial_date
from directory.exports import list_csv, names
from directory.views.lists import SORTS
from programmes.filters import EventFilterSet, ProgrammeFilterSet, ServiceFilterSet
from programmes.models import Event, Programme, Service
from programmes.views.lists import EVENT_SORTS


def published_provider(service):
    provider = service.provider
    return provider.name if provider and provider.is_published else ""


# Each list's own columns, between the slug and names and the verification date and page.
PROGRAMME_COLUMNS = [
    ("kind", lambda r: r.kind),
    ("status", lambda r: r.lifecycle),
    *names("summary"),
    ("website", lambda r: r.website),
]
SERVICE_COLUMNS = [
    ("kind_of_help", lambda r: r.category.name),
    ("provider", published_provider),
    *names("audience"),
]
EVENT_COLUMNS = [
    ("kind", lambda r: r.kind),
    ("start", lambda r: partial_date(r.start_date, r.start_precision)),
    ("end", lambda r: partial_date(r.end_date, r.end_precision)),
    ("city", lambda r: r.city.name if r.city else ""),
    *names("venue"),
    *names("summary"),
]

programme_csv = list_csv(
    "programmes", Programme, ProgrammeFilterSet, PROGRAMME_COLUMNS, sorts=SORTS
)
service_csv = list_csv(
    "services", Service, ServiceFilterSet, SERVICE_COLUMNS, related=("provider", "category")
)
event_csv = list_csv(
    "events", Event, EventFilterSet, EVENT_COLUMNS, sorts=EVENT_SORTS, related=("city",)
)
