"""The HSDS JSON endpoints: the index, a table's pages, one record. Errors
are the JSON API's (a 400 naming the parameter, a 404)."""

from functools import wraps

from django.http import JsonResponse
from django.utils import translation

from directory.api.errors import ApiError, error_response
from directory.api.parameters import page_count, refuse_unknown, whole_number
from directory.api.responses import respond
from directory.forms import MAX_PAGE
from programmes.hsds.ids import pk_from
from programmes.hsds.records import querysets

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


def guarded(view):
    """English texts, and ApiErrors (unknown parameters among them) as JSON."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            refuse_unknown(request, ("page", "per_page"))
            with translation.override("en"):
                return view(request, *args, **kwargs)
        except ApiError as error:
            return error_response(request, error)

    return wrapper


def read_int(request, name, default, most):
    return whole_number(name, request.GET.get(name, str(default)), most)


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
    pages = page_count(total, size, page)
    records = list(queryset.order_by("pk")[(page - 1) * size : page * size])
    contents = serialise(request, records, [r.pk for r in records])
    data = {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page == pages,
        "empty": total == 0,
        "contents": contents,
    }
    return respond(request, data, None, max((r.updated_at for r in records), default=None))


@guarded
def table_detail(request, table, id):
    queryset, serialise, kind = querysets()[table]
    pk = pk_from(kind, id)
    record = queryset.filter(pk=pk).first() if pk is not None else None
    if record is None:
        raise ApiError(404, "No published record has this id.")
    return respond(request, serialise(request, [record], [pk])[0], None, record.updated_at)
