from django.db.models import BooleanField, Case, Value, When
from django.http import Http404
from django.shortcuts import render

from directory.caching import query_parameters
from directory.models import Region, Sector
from directory.models.base import can_preview
from directory.prepared import prepared
from directory.views.lists import without_search_columns
from directory.views.records import (
    LINK_COLUMNS,
    RELATED_CAP,
    citations_for,
    citations_with,
    grouped_labels,
    label_rows,
    label_union,
)
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service


def organisation_role_rows(roles):
    """Label rows for the published organisations of a programme's or event's
    roles, with their public contact points."""
    return label_rows(
        roles,
        "organisation",
        slug="organisation__slug",
        name="organisation__name",
        extra="organisation__short_name",
        role="role",
        contact="organisation__",
    )


def group_by_role(labels, roles):
    """Organisation rows grouped under their role's display name, in role order."""
    names = dict(roles.choices)
    grouped = {}
    for row in labels.get("organisation", []):
        grouped.setdefault(names.get(row["role"], row["role"]), []).append(row)
    return grouped


# The roles that make an organisation the one that runs a programme or an
# event: "Runs it" in the key facts, and whose contact stands in for a
# missing "how to get involved".
RUNNING_ROLES = ("lead", "operator", "organiser", "co_organiser", "host")


def running(labels):
    rows = labels.get("organisation", [])
    return sorted(
        (row for row in rows if row["role"] in RUNNING_ROLES),
        key=lambda row: RUNNING_ROLES.index(row["role"]),
    )


def contact_of(rows):
    """The first of `rows` (organisation label rows or an organisation) that
    has a public website, email or phone."""
    for row in rows:
        if row is None:
            continue
        get = row.get if isinstance(row, dict) else lambda name, r=row: getattr(r, name)
        if get("website") or get("email") or get("phone"):
            return row
    return None


def any_of(*id_querysets):
    """Ids in any of the querysets, as one UNION subquery: each part uses its
    own index, where `Q(a) | Q(b)` would make PostgreSQL scan the table."""
    # SQLite allows no ORDER BY (a model's default ordering) inside a UNION.
    first, *rest = (queryset.order_by() for queryset in id_querysets)
    return first.union(*rest) if rest else first


def true_when(**lookup):
    """An annotation: whether a row matches `lookup`."""
    return Case(When(**lookup, then=Value(True)), default=Value(False), output_field=BooleanField())


# What a page's list of related events reads of each (includes/record/
# event_items.html: a link under its name, and when it takes place).
EVENT_ITEM_COLUMNS = (
    *LINK_COLUMNS,
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
)


def record_at(request, model, slug, *related, links=()):
    """The record at `slug` (staff also see drafts) with its `related` rows
    joined, without the search columns, which a page never reads. Of the
    related records in `links` (some of `related`), shown only as links, only
    LINK_COLUMNS are read: an event's series is a programme of some sixty
    columns, long texts in three languages among them."""
    drafts = can_preview(request.user, model)
    rows = _record_rows(slug, model=model, related=related, links=links, drafts=drafts)
    if not rows:
        raise Http404
    return rows[0]


@prepared
def _record_rows(slug, *, model, related, links, drafts):
    queryset = model.objects.select_related(*related) if related else model.objects.all()
    joined = {path.split("__")[0] for path in related}
    unread = [
        f"{path}__{field.attname}"
        for path in links
        for field in model._meta.get_field(path).related_model._meta.concrete_fields
        if not field.primary_key and field.name not in LINK_COLUMNS
    ]
    queryset = without_search_columns(queryset, joined - set(links))
    if unread:
        queryset = queryset.defer(*unread)
    if not drafts:
        queryset = queryset.published()
    # The slug is unique: one row or none.
    return queryset.filter(slug=slug)[:1]


@prepared
def _programme_labels(pk):
    """A programme's organisations (with their roles and contacts), regions,
    sectors and the regions it is open to: label rows, one UNION query."""
    roles = ProgrammeOrganisation.objects.filter(programme_id=pk, organisation__status="published")
    return label_union(
        organisation_role_rows(roles),
        label_rows(Region.objects.filter(programmes=pk), "region"),
        label_rows(Sector.objects.filter(programmes=pk), "sector"),
        label_rows(Region.objects.filter(open_programmes=pk), "open_to"),
    )


@prepared
def _programme_services(pk):
    return without_search_columns(
        Service.objects.published().filter(programme_id=pk).select_related("provider", "category"),
        ["provider"],
    ).order_by("name")[: RELATED_CAP + 1]


@prepared
def _programme_events(pk):
    """Its editions (events of the series) and the events it takes part in."""
    return (
        Event.objects.published()
        .filter(
            pk__in=any_of(
                Event.objects.filter(series_id=pk).values("pk"),
                Event.programmes.through.objects.filter(programme_id=pk).values("event_id"),
            )
        )
        .only(*EVENT_ITEM_COLUMNS, "city")
        .annotate(is_edition=true_when(series_id=pk))
        .select_related("city")
        .order_by("-start_date", "name")[: RELATED_CAP + 1]
    )


@query_parameters()
def programme_detail(request, slug):
    programme = record_at(request, Programme, slug)
    labels = grouped_labels(_programme_labels(programme.pk))
    organisations_by_role = group_by_role(labels, ProgrammeOrganisation.Role)
    services = _programme_services(programme.pk)
    events = _programme_events(programme.pk)
    runners = running(labels)
    editions = [e for e in events[:RELATED_CAP] if e.is_edition]
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "record": programme,
            "programme": programme,
            "runners": runners,
            "contact": None if programme.how_to_get_involved else contact_of(runners),
            "helps": distinct_categories(services),
            "next_edition_announced": any(e.timing == "upcoming" for e in editions),
            "organisations_by_role": organisations_by_role,
            "regions": labels.get("region", []),
            "sectors": labels.get("sector", []),
            "open_to_regions": labels.get("open_to", []),
            "services": services[:RELATED_CAP],
            "more_services": len(services) > RELATED_CAP,
            "editions": editions,
            "related_events": [e for e in events[:RELATED_CAP] if not e.is_edition],
            "more_events": len(events) > RELATED_CAP,
            "citations": citations_for(programme),
        },
    )


def distinct_categories(services):
    """The kinds of help of a programme's services, once each, in order."""
    found = {}
    for service in services:
        found.setdefault(service.category_id, service.category)
    return list(found.values())


@prepared
def _service_labels(*pks, programme, open_to):
    """A service's programme's organisations (`programme`: the first of
    `pks` is the programme's) and the regions it is open to (`open_to`: the
    last is the service's): label rows, one UNION query."""
    parts = []
    if programme:
        roles = ProgrammeOrganisation.objects.filter(
            programme_id=pks[0], organisation__status="published"
        )
        parts.append(organisation_role_rows(roles))
    if open_to:
        parts.append(label_rows(Region.objects.filter(open_services=pks[-1]), "open_to"))
    return label_union(*parts)


@query_parameters()
def service_detail(request, slug):
    service = record_at(request, Service, slug, "provider__region", "programme", "category")
    # Only a service with no single provider (the article credits the bodies
    # running its programme) or open to listed regions needs more rows: one
    # UNION query, and none for the others.
    # Its programme's bodies: "Runs it" when no provider is named, and the
    # contact when the provider gives none (the same one query either way).
    with_programme = bool(service.programme_id and service.programme.is_published)
    open_to = service.open_to_scope == "region"
    labels = {}
    if with_programme or open_to:
        pks = [service.programme_id] if with_programme else []
        pks += [service.pk] if open_to else []
        labels = grouped_labels(_service_labels(*pks, programme=with_programme, open_to=open_to))
    programme = service.programme if service.programme_id else None
    if programme is not None and not programme.is_published:
        programme = None
    # The programme's citations come in the same query: its status is shown
    # with the date its own sources give.
    citations, programme_citations = citations_with(service, programme)
    provider = service.provider if service.provider_id else None
    runners = [provider] if provider is not None and provider.is_published else []
    runners += running(labels)
    involved = programme is not None and programme.how_to_get_involved
    return render(
        request,
        "programmes/service_detail.html",
        {
            "record": service,
            "service": service,
            "programme": programme,
            "programme_organisations": labels.get("organisation", []),
            "open_to_regions": labels.get("open_to", []),
            "contact": None if involved else contact_of(runners),
            "citations": citations,
            "programme_citations": programme_citations,
        },
    )


@prepared
def _event_labels(pk):
    """An event's organisers (with roles and contacts), regions, sectors and
    programmes: label rows, one UNION query."""
    roles = EventOrganisation.objects.filter(event_id=pk, organisation__status="published")
    return label_union(
        organisation_role_rows(roles),
        label_rows(Region.objects.filter(served_by_events=pk), "region"),
        label_rows(Sector.objects.filter(events=pk), "sector"),
        label_rows(Programme.objects.published().filter(events=pk), "programme"),
    )


@prepared
def _event_relatives(*pks):
    """Sessions of the event (the first of `pks`) and other editions of its
    series (the second, when it has one), in one query."""
    pk = pks[0]
    family = [Event.objects.filter(part_of_id=pk).values("pk")]
    if len(pks) > 1:
        family.append(Event.objects.filter(series_id=pks[1]).values("pk"))
    return (
        Event.objects.published()
        .filter(pk__in=any_of(*family))
        .only(*EVENT_ITEM_COLUMNS)
        .exclude(pk=pk)
        .annotate(is_session=true_when(part_of_id=pk))
        .order_by("start_date", "name")[: RELATED_CAP * 2]
    )


@query_parameters()
def event_detail(request, slug):
    event = record_at(
        request, Event, slug, "series", "part_of", "city", links=("series", "part_of")
    )
    labels = grouped_labels(_event_labels(event.pk))
    organisers_by_role = group_by_role(labels, EventOrganisation.Role)
    relatives = _event_relatives(event.pk, *([event.series_id] if event.series_id else []))
    return render(
        request,
        "programmes/event_detail.html",
        {
            "record": event,
            "event": event,
            "runners": running(labels),
            "organisers_by_role": organisers_by_role,
            "regions": labels.get("region", []),
            "sectors": labels.get("sector", []),
            "programmes": labels.get("programme", []),
            "sessions": [e for e in relatives if e.is_session],
            "editions": [e for e in relatives if not e.is_session],
            "citations": citations_for(event),
        },
    )
