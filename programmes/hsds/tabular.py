"""The HSDS tabular package (/api/hsds/hsds.zip): one CSV per HSDS table,
the one-to-one fields of each (the columns of HSDS's own tabular form), plus
datapackage.json.

A fixed number of queries whatever the data size: each table's records are
read by one query, streamed in chunks, and what they refer to by one query
per relation over the whole table (its ids as a subquery).
"""

import csv
import io
import json
import zipfile

from django.http import HttpResponse

from directory.api.responses import cache_headers
from programmes.hsds.records import querysets
from programmes.hsds.views import guarded

COLUMNS = {
    "organizations": [
        "id",
        "name",
        "alternate_name",
        "description",
        "website",
        "email",
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
# Rows fetched at a time from the cursor of one query.
CHUNK = 2000


def package_rows(request):
    rows = {table: [] for table in COLUMNS}
    seen_terms, seen_locations = set(), set()
    for table, (queryset, serialise, _kind) in querysets().items():
        records = queryset.order_by("pk").iterator(chunk_size=CHUNK)
        for item in serialise(request, records, queryset.values("pk")):
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


def resource(table, columns):
    """The datapackage.json entry of one CSV file."""
    fields = [
        {"name": column, "type": "number" if column in NUMBER_COLUMNS else "string"}
        for column in columns
    ]
    return {
        "name": table,
        "path": f"{table}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": fields, "primaryKey": "id"},
    }


def csv_bytes(columns, items):
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(columns)
    for item in items:
        writer.writerow([cell(item.get(column)) for column in columns])
    return text.getvalue().encode("utf-8")


@guarded
def package(request):
    rows = package_rows(request)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, columns in COLUMNS.items():
            archive.writestr(f"{table}.csv", csv_bytes(columns, rows[table]))
        descriptor = {
            "profile": "tabular-data-package",
            "name": "crossborder-directory-hsds",
            "title": "Cross-border innovation directory (HSDS 3.0)",
            "version": "3.0",
            "licenses": [],
            "resources": [resource(table, columns) for table, columns in COLUMNS.items()],
        }
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="hsds.zip"'
    cache_headers(response, buffer.getvalue(), None)
    return response


def cell(value):
    return "" if value is None else str(value)
