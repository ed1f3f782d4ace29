"""The JSON API's programmes, services and events (a router the root URL
conf adds to the core's API)."""

from ninja import Router
from pydantic import Field

from directory.api import schemas
from directory.api.endpoints import add_record_endpoints
from directory.api.references import partial_date, published, ref, serialised, term
from directory.models import PublicationStatus
from directory.views.lists import SORTS
from programmes.filters import EventFilterSet, ProgrammeFilterSet, ServiceFilterSet
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service
from programmes.views.lists import EVENT_SORTS

router = Router(tags=["Programmes, services and events"])
SEARCH_COLUMNS = ("search_document", "search_vector", "search_names")


class ProgrammeOut(schemas.Record):
    name: str
    short_name: str
    summary: str
    description: str
    how_to_get_involved: str
    kind: str
    kind_label: str
    lifecycle: str
    lifecycle_label: str
    launched: str | None = Field(description="YYYY-MM-DD, YYYY-MM or YYYY, as the source says.")
    website: str
    open_to: str = Field(description="Where the firms it takes may come from ('' if unstated).")
    all_sectors: bool
    organisations: list[schemas.RoleRef]
    regions: list[schemas.Term]
    sectors: list[schemas.Term]


class ServiceOut(schemas.Record):
    name: str
    audience: str
    description: str
    kind_of_help: schemas.Term
    provider: schemas.Ref | None
    programme: schemas.Ref | None
    open_to: str
    all_sectors: bool


class EventOut(schemas.Record):
    name: str
    edition: str
    summary: str
    description: str
    venue: str
    attendance_text: str
    kind: str
    kind_label: str
    start: str | None = Field(description="YYYY-MM-DD, YYYY-MM or YYYY, as the source says.")
    start_precision: str
    end: str | None
    end_precision: str
    attendance: int | None
    city: schemas.Term | None
    series: schemas.Ref | None
    part_of: schemas.Ref | None
    organisations: list[schemas.RoleRef]
    regions: list[schemas.Term]
    sectors: list[schemas.Term]


def roles_by_record(request, through, field, ids, language):
    found = {}
    rows = (
        through.objects.filter(
            **{f"{field}_id__in": ids}, organisation__status=PublicationStatus.PUBLISHED
        )
        .select_related("organisation")
        .defer(*(f"organisation__{c}" for c in SEARCH_COLUMNS))
        .order_by("role", "organisation__name", "pk")
    )
    for role in rows:
        found.setdefault(getattr(role, f"{field}_id"), []).append(
            ref(request, role.organisation, language, role=role.role)
        )
    return found


def terms_by_record(relation, field, target, ids, language):
    found = {}
    rows = (
        relation.through.objects.filter(**{f"{field}_id__in": ids})
        .select_related(target)
        .order_by(f"{target}__name", "pk")
    )
    for row in rows:
        found.setdefault(getattr(row, f"{field}_id"), []).append(
            term(getattr(row, target), language)
        )
    return found


def related(request, model, through, field, records, language):
    """A function giving a record's organisations (with roles), regions and
    sectors: three queries for any number of records."""
    ids = [r.pk for r in records]
    roles = roles_by_record(request, through, field, ids, language)
    regions = terms_by_record(model.regions, field, "region", ids, language)
    sectors = terms_by_record(model.sectors, field, "sector", ids, language)

    def links(pk):
        return {
            "organisations": roles.get(pk, []),
            "regions": regions.get(pk, []),
            "sectors": sectors.get(pk, []),
        }

    return links


def serialise_programmes(request, records, language):
    def own(record):
        return {
            "kind": record.kind,
            "kind_label": str(record.get_kind_display()),
            "lifecycle": record.lifecycle,
            "lifecycle_label": str(record.get_lifecycle_display()),
            "launched": partial_date(record.launch_date, record.launch_precision),
            "website": record.website,
            "open_to": record.open_to_scope,
            "all_sectors": record.all_sectors,
        }

    links = related(request, Programme, ProgrammeOrganisation, "programme", records, language)
    fields = ("name", "short_name", "summary", "description", "how_to_get_involved")
    return serialised(request, Programme, records, language, own, fields, links)


def serialise_services(request, records, language):
    def own(record):
        return {
            "kind_of_help": term(record.category, language),
            "provider": ref(request, published(record.provider), language),
            "programme": ref(request, published(record.programme), language),
            "open_to": record.open_to_scope,
            "all_sectors": record.all_sectors,
        }

    fields = ("name", "audience", "description")
    return serialised(request, Service, records, language, own, fields)


def serialise_events(request, records, language):
    def own(record):
        return {
            "kind": record.kind,
            "kind_label": str(record.get_kind_display()),
            "start": partial_date(record.start_date, record.start_precision),
            "start_precision": record.start_precision,
            "end": partial_date(record.end_date, record.end_precision),
            "end_precision": record.end_precision,
            "attendance": record.attendance,
            "city": term(record.city, language) if record.city else None,
            "series": ref(request, published(record.series), language),
            "part_of": ref(request, published(record.part_of), language),
        }

    links = related(request, Event, EventOrganisation, "event", records, language)
    fields = ("name", "edition", "summary", "description", "venue", "attendance_text")
    return serialised(request, Event, records, language, own, fields, links)


KINDS = {
    "programmes": (
        Programme,
        ProgrammeFilterSet,
        ProgrammeOut,
        serialise_programmes,
        SORTS,
        (),
        "Programmes",
    ),
    "services": (
        Service,
        ServiceFilterSet,
        ServiceOut,
        serialise_services,
        SORTS,
        ("provider", "programme", "category"),
        "Services",
    ),
    "events": (
        Event,
        EventFilterSet,
        EventOut,
        serialise_events,
        EVENT_SORTS,
        ("city", "series", "part_of"),
        "Events",
    ),
}


for _plural, _config in KINDS.items():
    add_record_endpoints(router, _plural, *_config)
