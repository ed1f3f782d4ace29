"""The programme, service and event lists as CSV (directory.exports)."""

from directory.api.references import partial_date
from directory.exports import list_csv, names, record_columns
from directory.views.lists import SORTS
from programmes.filters import EventFilterSet, ProgrammeFilterSet, ServiceFilterSet
from programmes.models import Event, Programme, Service
from programmes.views.lists import EVENT_SORTS


def programme_csv(request):
    return list_csv(
        request,
        name="programmes",
        queryset=Programme.objects.published(),
        filterset_class=ProgrammeFilterSet,
        sorts=SORTS,
        columns=record_columns(
            request,
            ("kind", lambda r: r.kind),
            ("status", lambda r: r.lifecycle),
            *names("summary"),
            ("website", lambda r: r.website),
        ),
    )


def published_provider(service):
    provider = service.provider
    return provider.name if provider and provider.is_published else ""


def service_csv(request):
    return list_csv(
        request,
        name="services",
        queryset=Service.objects.published(),
        filterset_class=ServiceFilterSet,
        related=("provider", "category"),
        columns=record_columns(
            request,
            ("kind_of_help", lambda r: r.category.name),
            ("provider", published_provider),
            *names("audience"),
        ),
    )


def event_csv(request):
    return list_csv(
        request,
        name="events",
        queryset=Event.objects.published(),
        filterset_class=EventFilterSet,
        sorts=EVENT_SORTS,
        related=("city",),
        columns=record_columns(
            request,
            ("kind", lambda r: r.kind),
            ("start", lambda r: partial_date(r.start_date, r.start_precision)),
            ("end", lambda r: partial_date(r.end_date, r.end_precision)),
            ("city", lambda r: r.city.name if r.city else ""),
            *names("venue"),
            *names("summary"),
        ),
    )
