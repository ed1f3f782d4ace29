"""The directory as Open Referral HSDS 3.0 under /api/hsds/.

Organisations are HSDS organizations, programmes programs, services services;
a service whose provider's region is known is offered at that region (a
service_at_location with its location). What HSDS has no field for (the
Chinese texts, citations, kinds, regions and sectors, the last-verified date)
travels as attributes, each with a taxonomy term of the directory's own
taxonomy; the record's last change and verification as metadata. README.md
lists the mapping.

HSDS identifiers are UUIDs: the directory's are numbers, so each is written
into a UUID with its kind in the first group (`hsds_id`), which reads back
without a lookup table.
"""

import csv
import hashlib
import io
import json
import uuid
import zipfile

from django.http import HttpResponse, JsonResponse
from django.utils import translation

from directory.api.base import (
    ApiError,
    cache_headers,
    citations_by_record,
    error_response,
    page_url,
    partial_date,
)
from directory.forms import MAX_PAGE
from directory.i18n.translation import TRANSLATED_LANGUAGES, field_for
from directory.models import Organisation, PublicationStatus
from programmes.models import Programme, ProgrammeOrganisation, Service

KIND_NUMBER = {
    "organization": 1,
    "program": 2,
    "service": 3,
    "service_at_location": 4,
    "location": 5,
}
NAMESPACE = uuid.UUID("6f1d3c9e-2b7a-4e0c-9a51-6c2d8f4e7b10")
TAXONOMY = "crossborder-directory"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


def hsds_id(kind, pk):
    return str(uuid.UUID(f"{KIND_NUMBER[kind]:08x}-0000-8000-8000-{pk:012x}"))


def pk_from(kind, value):
    """The directory's id inside an HSDS id of `kind`, or None."""
    try:
        parsed = uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None
    text = str(parsed)
    if not text.startswith(f"{KIND_NUMBER[kind]:08x}-0000-8000-8000-"):
        return None
    return int(text[-12:], 16)


def term(code, name, description):
    return {
        "id": str(uuid.uuid5(NAMESPACE, "term:" + code)),
        "code": code,
        "name": name,
        "description": description,
        "taxonomy": TAXONOMY,
    }


LANGUAGE_NAMES = {"zh-hans": "Simplified Chinese", "zh-hant": "Traditional Chinese"}


def attribute(link_entity, link_id, code, value, description, n=0):
    taxonomy_term = term(code, code.replace("_", " "), description)
    return {
        "id": str(uuid.uuid5(NAMESPACE, f"{link_id}:{code}:{n}")),
        "link_id": link_id,
        "link_type": code.split(":")[0],
        "link_entity": link_entity,
        "taxonomy_term_id": taxonomy_term["id"],
        "value": value,
        "taxonomy_term": taxonomy_term,
    }


def translations(entity, link_id, record, fields):
    found = []
    for field in fields:
        for language in TRANSLATED_LANGUAGES:
            value = getattr(record, field_for(field, language), "")
            if value:
                code = f"translation:{field}:{language}"
                description = f"The record's {field} in {LANGUAGE_NAMES[language]}."
                found.append(attribute(entity, link_id, code, value, description))
    return found


def citation_attributes(entity, link_id, citations):
    return [
        attribute(
            entity,
            link_id,
            "citation",
            json.dumps(citation, ensure_ascii=False),
            "A verbatim quote from a published article that supports the record "
            "(JSON: quote, supports, source).",
            n,
        )
        for n, citation in enumerate(citations)
    ]


def plain(entity, link_id, code, values, description):
    return [
        attribute(entity, link_id, code, str(value), description, n)
        for n, value in enumerate(values)
        if value not in (None, "")
    ]


def metadata(kind, record_id, record):
    entries = [
        {
            "id": str(uuid.uuid5(NAMESPACE, f"{record_id}:updated")),
            "resource_id": record_id,
            "resource_type": kind,
            "last_action_date": record.updated_at.date().isoformat(),
            "last_action_type": "update",
            "field_name": "",
            "previous_value": "",
            "replacement_value": "",
            "updated_by": "directory staff",
        }
    ]
    if record.last_verified_on:
        entries.append(
            {
                "id": str(uuid.uuid5(NAMESPACE, f"{record_id}:verified")),
                "resource_id": record_id,
                "resource_type": kind,
                "last_action_date": record.last_verified_on.isoformat(),
                "last_action_type": "verified",
                "field_name": "",
                "previous_value": "",
                "replacement_value": "",
                "updated_by": "directory staff",
            }
        )
    return entries


def is_published(record):
    return record is not None and record.status == PublicationStatus.PUBLISHED


def joined(*parts):
    return "\n\n".join(part for part in parts if part)


# --- the four kinds --------------------------------------------------------------


def organizations(request, records):
    ids = [r.pk for r in records]
    citations = citations_by_record(request, Organisation, ids, "en")
    sectors = {}
    for row in Organisation.sectors.through.objects.filter(organisation_id__in=ids).select_related(
        "sector"
    ):
        sectors.setdefault(row.organisation_id, []).append(row.sector.name)
    out = []
    for record in records:
        rid = hsds_id("organization", record.pk)
        item = {
            "id": rid,
            "name": record.name,
            "alternate_name": record.short_name,
            "description": record.description,
            "uri": page_url(request, record, "en"),
            "attributes": [
                *plain("organization", rid, "kind", [record.kind], "Kind of organisation."),
                *plain(
                    "organization",
                    rid,
                    "region",
                    [record.region.name if record.region else ""],
                    "Where it is based.",
                ),
                *plain("organization", rid, "sector", sectors.get(record.pk, []), "A sector."),
                *translations("organization", rid, record, ("name", "short_name", "description")),
                *citation_attributes("organization", rid, citations.get(record.pk, [])),
            ],
            "metadata": metadata("organization", rid, record),
        }
        if record.website:
            item["website"] = record.website
        if is_published(record.parent):
            item["parent_organization_id"] = hsds_id("organization", record.parent_id)
        out.append(item)
    return out


def lead_organisations(programme_ids):
    """{programme id: [(organisation id, role), …]} of published organisations, leads first."""
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


def programs(request, records):
    ids = [r.pk for r in records]
    citations = citations_by_record(request, Programme, ids, "en")
    roles = lead_organisations(ids)
    out = []
    for record in records:
        rid = hsds_id("program", record.pk)
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
                    [partial_date(record.launch_date, record.launch_precision)],
                    "Launch date, as precise as the source (YYYY-MM-DD, YYYY-MM or YYYY).",
                ),
                *plain("program", rid, "website", [record.website], "Its website."),
                *plain("program", rid, "page", [page_url(request, record, "en")], "Its page."),
                *plain(
                    "program",
                    rid,
                    "organisation_role",
                    [f"{name}: {role}" for _pk, role, name in roles.get(record.pk, [])],
                    "An organisation and its role.",
                ),
                *translations("program", rid, record, ("name", "summary", "description")),
                *citation_attributes("program", rid, citations.get(record.pk, [])),
            ],
            "metadata": metadata("program", rid, record),
        }
        if roles.get(record.pk):
            item["organization_id"] = hsds_id("organization", roles[record.pk][0][0])
        out.append(item)
    return out


def services(request, records):
    ids = [r.pk for r in records]
    citations = citations_by_record(request, Service, ids, "en")
    out = []
    for record in records:
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
                *plain(
                    "service", rid, "open_to", [record.open_to_scope], "Where firms may be from."
                ),
                *translations("service", rid, record, ("name", "audience", "description")),
                *citation_attributes("service", rid, citations.get(record.pk, [])),
            ],
            "metadata": metadata("service", rid, record),
        }
        if is_published(record.provider):
            item["organization_id"] = hsds_id("organization", record.provider_id)
        if programme:
            item["program_id"] = hsds_id("program", programme.pk)
        out.append(item)
    return out


def service_at_locations(request, records):
    out = []
    for record in records:
        region = record.provider.region
        location = {
            "id": hsds_id("location", region.pk),
            "location_type": "physical",
            "name": region.name,
            "description": f"{region.get_kind_display()}",
            "attributes": translations(
                "location", hsds_id("location", region.pk), region, ["name"]
            ),
        }
        if region.latitude is not None and region.longitude is not None:
            location["latitude"] = float(region.latitude)
            location["longitude"] = float(region.longitude)
        rid = hsds_id("service_at_location", record.pk)
        out.append(
            {
                "id": rid,
                "service_id": hsds_id("service", record.pk),
                "location_id": location["id"],
                "description": f"{record.name}, from {record.provider.name} in {region.name}",
                "location": location,
                "attributes": [],
                "metadata": metadata("service_at_location", rid, record),
            }
        )
    return out


SEARCH_COLUMNS = ("search_document", "search_vector", "search_names")


def querysets():
    """{HSDS table: (queryset of published records, serialiser, ordering)}."""
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


# --- views --------------------------------------------------------------------


def hsds_json(request, data, last_modified=None):
    from directory.api.base import respond

    return respond(request, data, None, last_modified)


def read_int(request, name, default, most):
    value = request.GET.get(name, str(default))
    if not (value.isdigit() and len(value) < 10 and 1 <= int(value) <= most):
        raise ApiError(400, f"“{name}” must be a whole number from 1 to {most}.", name)
    return int(value)


def guarded(view):
    def wrapper(request, *args, **kwargs):
        try:
            unknown = [name for name in request.GET if name not in ("page", "per_page")]
            if unknown:
                raise ApiError(400, f"Unknown parameter “{unknown[0][:40]}”.", unknown[0][:40])
            with translation.override("en"):
                return view(request, *args, **kwargs)
        except ApiError as error:
            return error_response(request, error)

    wrapper.__name__ = view.__name__
    return wrapper


@guarded
def index(request):
    base = request.build_absolute_uri("/api/hsds/")
    return JsonResponse(
        {
            "version": "3.0",
            "profile": "https://docs.openreferral.org/en/v3.0/",
            "endpoints": {table: base + table for table in querysets()}
            | {"tabular_package": base + "hsds.zip"},
        }
    )


@guarded
def table_list(request, table):
    queryset, serialise, _kind = querysets()[table]
    page = read_int(request, "page", 1, MAX_PAGE)
    size = read_int(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    total = queryset.count()
    pages = max(1, -(-total // size))
    if page > pages:
        raise ApiError(404, f"There is no page {page}; the last is {pages}.", "page")
    records = list(queryset.order_by("pk")[(page - 1) * size : page * size])
    contents = serialise(request, records)
    return hsds_json(
        request,
        {
            "total_items": total,
            "total_pages": pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page == pages,
            "empty": total == 0,
            "contents": contents,
        },
        max((r.updated_at for r in records), default=None),
    )


@guarded
def table_detail(request, table, id):
    queryset, serialise, kind = querysets()[table]
    pk = pk_from(kind, id)
    record = queryset.filter(pk=pk).first() if pk is not None else None
    if record is None:
        raise ApiError(404, "No published record has this id.")
    return hsds_json(request, serialise(request, [record])[0], record.updated_at)


# The tabular package: one CSV per HSDS table, the one-to-one fields of each
# (the columns of HSDS's own tabular form), plus datapackage.json.
COLUMNS = {
    "organizations": [
        "id",
        "name",
        "alternate_name",
        "description",
        "website",
        "uri",
        "parent_organization_id",
    ],
    "programs": ["id", "organization_id", "name", "alternate_name", "description"],
    "services": [
        "id",
        "organization_id",
        "program_id",
        "name",
        "description",
        "url",
        "status",
        "eligibility_description",
        "last_modified",
    ],
    "service_at_locations": ["id", "service_id", "location_id", "description"],
    "locations": ["id", "location_type", "name", "description", "latitude", "longitude"],
    "attributes": ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"],
    "taxonomy_terms": ["id", "code", "name", "description", "taxonomy"],
    "metadata": [
        "id",
        "resource_id",
        "resource_type",
        "last_action_date",
        "last_action_type",
        "field_name",
        "previous_value",
        "replacement_value",
        "updated_by",
    ],
}
NUMBER_COLUMNS = {"latitude", "longitude"}
CHUNK = 500


def package_rows(request):
    rows = {table: [] for table in COLUMNS}
    seen_terms, seen_locations = set(), set()
    for table, (queryset, serialise, _kind) in querysets().items():
        last = 0
        while True:
            chunk = list(queryset.filter(pk__gt=last).order_by("pk")[:CHUNK])
            if not chunk:
                break
            last = chunk[-1].pk
            for item in serialise(request, chunk):
                rows[table].append(item)
                nested = list(item.get("attributes", []))
                location = item.get("location")
                if location and location["id"] not in seen_locations:
                    seen_locations.add(location["id"])
                    rows["locations"].append(location)
                    nested += location.get("attributes", [])
                for found in nested:
                    rows["attributes"].append(found)
                    if found["taxonomy_term_id"] not in seen_terms:
                        seen_terms.add(found["taxonomy_term_id"])
                        rows["taxonomy_terms"].append(found["taxonomy_term"])
                rows["metadata"] += item.get("metadata", [])
    return rows


@guarded
def package(request):
    with translation.override("en"):
        rows = package_rows(request)
    buffer = io.BytesIO()
    resources = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, columns in COLUMNS.items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(columns)
            for item in rows[table]:
                writer.writerow([cell(item.get(column)) for column in columns])
            archive.writestr(f"{table}.csv", text.getvalue().encode("utf-8"))
            resources.append(
                {
                    "name": table,
                    "path": f"{table}.csv",
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": {
                        "fields": [
                            {
                                "name": column,
                                "type": "number" if column in NUMBER_COLUMNS else "string",
                            }
                            for column in columns
                        ],
                        "primaryKey": "id",
                    },
                }
            )
        descriptor = {
            "profile": "tabular-data-package",
            "name": "crossborder-directory-hsds",
            "title": "Cross-border innovation directory (HSDS 3.0)",
            "version": "3.0",
            "licenses": [],
            "resources": resources,
        }
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="hsds.zip"'
    etag = '"' + hashlib.sha256(buffer.getvalue()).hexdigest()[:32] + '"'
    cache_headers(response, etag, None)
    return response


def cell(value):
    return "" if value is None else str(value)
