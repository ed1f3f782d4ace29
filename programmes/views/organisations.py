from django.shortcuts import render

from directory.caching import query_parameters
from directory.models import Organisation, Sector
from directory.prepared import prepared
from directory.views.records import (
    RELATED_CAP,
    citations_for,
    grouped_labels,
    in_page_language,
    label_rows,
    label_union,
)
from programmes.models import EventOrganisation, ProgrammeOrganisation, Service
from programmes.views.details import EVENT_ITEM_COLUMNS, LINK_COLUMNS, record_at


@prepared
def _programme_roles(pk):
    # Up to 51 programmes and 51 events, each shown as a link (and an event
    # with its dates): only those columns are read, not some sixty each.
    return (
        ProgrammeOrganisation.objects.filter(organisation_id=pk, programme__status="published")
        .select_related("programme")
        .only("role", "programme", *(f"programme__{c}" for c in LINK_COLUMNS))
        .order_by("role", "programme__name")[: RELATED_CAP + 1]
    )


@prepared
def _event_roles(pk):
    return (
        EventOrganisation.objects.filter(organisation_id=pk, event__status="published")
        .select_related("event")
        .only("role", "event", *(f"event__{c}" for c in EVENT_ITEM_COLUMNS))
        .order_by("-event__start_date", "event__name")[: RELATED_CAP + 1]
    )


@prepared
def _organisation_labels(pk):
    """An organisation's sectors, children, partners (organisations running a
    programme with it) and services: label rows, one UNION query."""
    shared = ProgrammeOrganisation.objects.filter(
        organisation_id=pk, programme__status="published"
    ).values("programme_id")
    partners = (
        Organisation.objects.published()
        .filter(programme_roles__programme_id__in=shared)
        .exclude(pk=pk)
    )
    return label_union(
        label_rows(Sector.objects.filter(organisation=pk), "sector"),
        label_rows(Organisation.objects.published().filter(parent_id=pk), "child"),
        label_rows(partners, "partner", extra="short_name"),
        label_rows(
            Service.objects.published().filter(provider_id=pk),
            "service",
            extra=in_page_language("category__name"),
        ),
    )


@query_parameters()
def organisation_detail(request, slug):
    organisation = record_at(request, Organisation, slug, "parent", "region")
    programme_roles = _programme_roles(organisation.pk)
    event_roles = _event_roles(organisation.pk)
    labels = grouped_labels(_organisation_labels(organisation.pk))
    by_role = {}
    for role in programme_roles[:RELATED_CAP]:
        by_role.setdefault(role.get_role_display(), []).append(role.programme)
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "record": organisation,
            "organisation": organisation,
            "programmes_by_role": by_role,
            "more_programmes": len(programme_roles) > RELATED_CAP,
            "event_roles": event_roles[:RELATED_CAP],
            "more_events": len(event_roles) > RELATED_CAP,
            "sectors": labels.get("sector", []),
            "children": labels.get("child", []),
            "partners": labels.get("partner", [])[:RELATED_CAP],
            "services": labels.get("service", [])[:RELATED_CAP],
            "more_services": len(labels.get("service", [])) > RELATED_CAP,
            "citations": citations_for(organisation),
        },
    )
