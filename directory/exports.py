"""A list's results as a file: the same parameters, FilterSet, search and
sort as the HTML list (`filtered_records`), every matching record up to
EXPORT_LIMIT rather than one page.

CSV is UTF-8 with a byte-order mark (so spreadsheet programs read the Chinese
texts right), and a cell that a spreadsheet would run as a formula (starting
with = + - @, a tab or a carriage return) is prefixed with an apostrophe.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import translation

from directory import search
from directory.filters import OrganisationFilterSet, Vocabulary
from directory.filters.results import default_sort, ordered_results
from directory.forms import sanitise
from directory.models import Organisation
from directory.views.lists import SORTS

EXPORT_LIMIT = 10_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def filtered_records(request, *, queryset, filterset_class, sorts=SORTS, related=(), clean=None):
    """(records in the list's order, the clean parameters, the FilterSet)."""
    if clean is None:
        spec = {**filterset_class.parameters, "sort": ("relevance", *sorts)}
        clean, _ignored = sanitise(request.GET, spec, always_known=("page", "sort", "more"))
    q, _truncated = search.clean_query(clean.get("q", ""))
    if q:
        clean["q"] = q
    filterset = filterset_class(clean, queryset, Vocabulary.load())
    sort = clean.get("sort") or default_sort(q, sorts)
    if sort == "relevance" and not q:
        sort = default_sort("", sorts)
    return ordered_results(filterset, q, clean, sort, sorts, related), clean, filterset


def escape_cell(value):
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename, header, rows):
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_cell(cell) for cell in row])
    response = HttpResponse(
        ("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


def list_csv(name, model, filterset_class, columns, *, sorts=SORTS, related=()):
    """The view of a list's published records as a CSV file: each record's slug
    and names, then `columns` ((header, function of a record) pairs), then when
    it was last verified and its page."""

    def view(request):
        queryset = model.objects.published()
        records, _clean, _filterset = filtered_records(
            request,
            queryset=queryset,
            filterset_class=filterset_class,
            sorts=sorts,
            related=related,
        )
        every_column = record_columns(request, *columns)
        language = translation.get_language()
        rows = (
            [value(record) for _header, value in every_column] for record in records[:EXPORT_LIMIT]
        )
        return csv_response(
            f"{name}-{language}.csv", [header for header, _value in every_column], list(rows)
        )

    return view


def absolute(request):
    return lambda record: request.build_absolute_uri(record.get_absolute_url())


def names(*fields):
    """Columns of a record's texts in all three languages."""
    return [
        (f"{field}{suffix}", lambda r, f=field + suffix: getattr(r, f))
        for field in fields
        for suffix in ("", "_zh_hans", "_zh_hant")
    ]


def record_columns(request, *columns):
    """Every record's slug and names, then `columns`, then when it was last
    verified and its page."""
    return [
        ("slug", lambda r: r.slug),
        *names("name"),
        *columns,
        ("last_verified", lambda r: r.last_verified_on),
        ("url", absolute(request)),
    ]


ORGANISATION_COLUMNS = [
    ("short_name", lambda r: r.short_name),
    ("kind", lambda r: r.kind),
    ("region", lambda r: r.region.name if r.region else ""),
    ("website", lambda r: r.website),
    *names("description"),
]
organisation_csv = list_csv(
    "organisations", Organisation, OrganisationFilterSet, ORGANISATION_COLUMNS, related=("region",)
)
