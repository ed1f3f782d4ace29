"""The four HSDS tables: each one's published records as HSDS objects.

A table's serialiser takes the records and their ids (a list, or a query of
them for a whole table) and reads what the records refer to in one query per
relation, whatever their number.
"""

from directory.api.references import citations_by_record, page_url, partial_date
from directory.models import Organisation, PublicationStatus
from programmes.hsds.attributes import citation_attributes, metadata, plain, translations
from programmes.hsds.ids import hsds_id
from programmes.models import Programme, ProgrammeOrganisation, Service

SEARCH_COLUMNS = ("search_document", "search_vector", "search_names")


def is_published(record):
    return record is not None and record.status == PublicationStatus.PUBLISHED


def joined(*parts):
    return "\n\n".join(part for part in parts if part)


def organizations(request, records, ids):
    citations = citations_by_record(request, Organisation, ids, "en")
    sectors = {}
    rows = Organisation.sectors.through.objects.filter(organisation_id__in=ids)
    for row in rows.select_related("sector"):
        sectors.setdefault(row.organisation_id, []).append(row.sector.name)
    return [
        organization(request, record, citations.get(record.pk, []), sectors.get(record.pk, []))
        for record in records
    ]


def organization(request, record, citations, sectors):
    rid = hsds_id("organization", record.pk)
    region = record.region.name if record.region else ""
    item = {
        "id": rid,
        "name": record.name,
        "alternate_name": record.short_name,
        "description": record.description,
        "uri": page_url(request, record, "en"),
        "attributes": [
            *plain("organization", rid, "kind", [record.kind], "Kind of organisation."),
            *plain("organization", rid, "region", [region], "Where it is based."),
            *plain("organization", rid, "sector", sectors, "A sector."),
            *translations("organization", rid, record, ("name", "short_name", "description")),
            *citation_attributes("organization", rid, citations),
        ],
        "metadata": metadata("organization", rid, record),
    }
    if record.website:
        item["website"] = record.website
    if record.email:
        item["email"] = record.email
    if record.phone:
        item["phones"] = [
            {"id": hsds_id("phone", record.pk), "organization_id": rid, "number": record.phone}
        ]
    if is_published(record.parent):
        item["parent_organization_id"] = hsds_id("organization", record.parent_id)
    return item


def lead_organisations(programme_ids):
    """{programme id: [(organisation id, role, name), …]} of published
    organisations, leads first."""
    found = {}
    roles = (
        ProgrammeOrganisation.objects.filter(
            programme_id__in=programme_ids, organisation__status=PublicationStatus.PUBLISHED
        )
        .order_by("programme_id", "role", "organisation__name", "pk")
        .values_list("programme_id", "organisation_id", "role", "organisation__name")
    )
    for programme_id, organisation_id, role, name in roles:
        found.setdefault(programme_id, []).append((organisation_id, role, name))
    for rows in found.values():
        rows.sort(key=lambda row: row[1] != "lead")
    return found


def programs(request, records, ids):
    citations = citations_by_record(request, Programme, ids, "en")
    roles = lead_organisations(ids)
    return [
        program(request, record, citations.get(record.pk, []), roles.get(record.pk, []))
        for record in records
    ]


def program(request, record, citations, roles):
    rid = hsds_id("program", record.pk)
    launched = partial_date(record.launch_date, record.launch_precision)
    item = {
        "id": rid,
        "name": record.name,
        "alternate_name": record.short_name,
        "description": joined(record.summary, record.description),
        "attributes": [
            *plain("program", rid, "kind", [record.kind], "Kind of programme."),
            *plain("program", rid, "lifecycle", [record.lifecycle], "Lifecycle status."),
            *plain(
                "program",
                rid,
                "launched",
                [launched],
                "Launch date, as precise as the source (YYYY-MM-DD, YYYY-MM or YYYY).",
            ),
            *plain("program", rid, "website", [record.website], "Its website."),
            *plain("program", rid, "page", [page_url(request, record, "en")], "Its page."),
            *plain(
                "program",
                rid,
                "organisation_role",
                [f"{name}: {role}" for _pk, role, name in roles],
                "An organisation and its role.",
            ),
            *translations("program", rid, record, ("name", "summary", "description")),
            *citation_attributes("program", rid, citations),
        ],
        "metadata": metadata("program", rid, record),
    }
    if roles:
        item["organization_id"] = hsds_id("organization", roles[0][0])
    return item


def services(request, records, ids):
    citations = citations_by_record(request, Service, ids, "en")
    return [service(request, record, citations.get(record.pk, [])) for record in records]


def service(request, record, citations):
    rid = hsds_id("service", record.pk)
    programme = record.programme if is_published(record.programme) else None
    item = {
        "id": rid,
        "name": record.name,
        "description": record.description,
        "url": page_url(request, record, "en"),
        "status": "inactive" if programme and programme.lifecycle == "ended" else "active",
        "eligibility_description": record.audience,
        "last_modified": record.updated_at.isoformat(),
        "attributes": [
            *plain("service", rid, "kind_of_help", [record.category.name], "The kind of help."),
            *plain("service", rid, "open_to", [record.open_to_scope], "Where firms may be from."),
            *translations("service", rid, record, ("name", "audience", "description")),
            *citation_attributes("service", rid, citations),
        ],
        "metadata": metadata("service", rid, record),
    }
    if is_published(record.provider):
        item["organization_id"] = hsds_id("organization", record.provider_id)
    if programme:
        item["program_id"] = hsds_id("program", programme.pk)
    return item


def service_at_locations(request, records, ids):
    return [service_at_location(record) for record in records]


def service_at_location(record):
    region = record.provider.region
    location = {
        "id": hsds_id("location", region.pk),
        "location_type": "physical",
        "name": region.name,
        "description": f"{region.get_kind_display()}",
        "attributes": translations("location", hsds_id("location", region.pk), region, ["name"]),
    }
    if region.latitude is not None and region.longitude is not None:
        location["latitude"] = float(region.latitude)
        location["longitude"] = float(region.longitude)
    rid = hsds_id("service_at_location", record.pk)
    return {
        "id": rid,
        "service_id": hsds_id("service", record.pk),
        "location_id": location["id"],
        "description": f"{record.name}, from {record.provider.name} in {region.name}",
        "location": location,
        "attributes": [],
        "metadata": metadata("service_at_location", rid, record),
    }


def querysets():
    """{HSDS table: (queryset of published records, serialiser, kind of id)}."""
    published = PublicationStatus.PUBLISHED
    no_search = [f"{p}{c}" for p in ("", "provider__", "programme__") for c in SEARCH_COLUMNS]
    return {
        "organizations": (
            Organisation.objects.published()
            .select_related("region", "parent")
            .defer(*SEARCH_COLUMNS, *(f"parent__{c}" for c in SEARCH_COLUMNS)),
            organizations,
            "organization",
        ),
        "programs": (Programme.objects.published().defer(*SEARCH_COLUMNS), programs, "program"),
        "services": (
            Service.objects.published()
            .select_related("provider", "programme", "category")
            .defer(*no_search),
            services,
            "service",
        ),
        "service_at_locations": (
            Service.objects.published()
            .filter(provider__status=published, provider__region__isnull=False)
            .select_related("provider__region")
            .defer(*no_search[:6]),
            service_at_locations,
            "service_at_location",
        ),
    }
