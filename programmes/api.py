"""The JSON API's programmes, services and events (a router the root URL
conf adds to the core's API)."""

from ninja import Router
from pydantic import Field

from directory.api import schemas
from directory.api.lists import record_detail, record_list
from directory.api.openapi import query_parameters
from directory.api.references import (
    citations_by_record,
    partial_date,
    published,
    record_common,
    ref,
    term,
    texts,
)
from directory.models import PublicationStatus
from directory.views.lists import SORTS, without_search_columns
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
    """A record's citations, organisations (with roles), regions and sectors,
    each {record id: [...]}: four queries for any number of records."""
    ids = [r.pk for r in records]
    return (
        citations_by_record(request, model, ids, language),
        roles_by_record(request, through, field, ids, language),
        terms_by_record(model.regions, field, "region", ids, language),
        terms_by_record(model.sectors, field, "sector", ids, language),
    )


def serialise_programmes(request, records, language):
    citations, roles, regions, sectors = related(
        request, Programme, ProgrammeOrganisation, "programme", records, language
    )
    out = []
    for record in records:
        item = record_common(request, record, language, "programme", citations) | {
            "kind": record.kind,
            "kind_label": str(record.get_kind_display()),
            "lifecycle": record.lifecycle,
            "lifecycle_label": str(record.get_lifecycle_display()),
            "launched": partial_date(record.launch_date, record.launch_precision),
            "website": record.website,
            "open_to": record.open_to_scope,
            "all_sectors": record.all_sectors,
            "organisations": roles.get(record.pk, []),
            "regions": regions.get(record.pk, []),
            "sectors": sectors.get(record.pk, []),
        }
        fields = ("name", "short_name", "summary", "description", "how_to_get_involved")
        out.append(texts(record, fields, language, item))
    return out


def serialise_services(request, records, language):
    citations = citations_by_record(request, Service, [r.pk for r in records], language)
    out = []
    for record in records:
        item = record_common(request, record, language, "service", citations) | {
            "kind_of_help": term(record.category, language),
            "provider": ref(request, published(record.provider), language),
            "programme": ref(request, published(record.programme), language),
            "open_to": record.open_to_scope,
            "all_sectors": record.all_sectors,
        }
        out.append(texts(record, ("name", "audience", "description"), language, item))
    return out


def serialise_events(request, records, language):
    citations, roles, regions, sectors = related(
        request, Event, EventOrganisation, "event", records, language
    )
    out = []
    for record in records:
        item = record_common(request, record, language, "event", citations) | {
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
            "organisations": roles.get(record.pk, []),
            "regions": regions.get(record.pk, []),
            "sectors": sectors.get(record.pk, []),
        }
        fields = ("name", "edition", "summary", "description", "venue", "attendance_text")
        out.append(texts(record, fields, language, item))
    return out


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


def add_endpoints(plural, model, filterset_class, schema, serialise, sorts, related, label):
    singular = plural.rstrip("s")
    page = schemas.page_of(schema, f"{label}Page")

    def listing(request):
        return record_list(
            request,
            queryset=model.objects.published(),
            filterset_class=filterset_class,
            serialise=serialise,
            sorts=sorts,
            related=related,
            list_name=plural,
        )

    def detail(request, slug: str):
        queryset = without_search_columns(
            model.objects.published().select_related(*related), related
        )
        return record_detail(request, queryset=queryset, slug=slug, serialise=serialise)

    listing.__name__, detail.__name__ = plural, singular
    router.get(
        f"/{plural}",
        response={200: page, **schemas.ERRORS},
        url_name=plural,
        summary=label,
        description=f"Published {plural}, with the filters, search and sorts of /{plural}/.",
        openapi_extra={"parameters": query_parameters(filterset_class.parameters, sorts)},
    )(listing)
    router.get(
        f"/{plural}/{{slug}}",
        response={200: schema, **schemas.ERRORS},
        url_name=singular,
        summary=f"One {singular}",
        openapi_extra={"parameters": query_parameters({}, paged=False)},
    )(detail)


for _plural, _config in KINDS.items():
    add_endpoints(_plural, *_config)
