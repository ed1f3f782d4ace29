"""The list and detail endpoints of a kind of published record, added to a
router: the list takes its HTML list's filters, search and sorts."""

from directory.api import schemas
from directory.api.lists import record_detail, record_list
from directory.api.openapi import query_parameters
from directory.views.lists import without_search_columns


def add_record_endpoints(
    router, plural, model, filterset_class, schema, serialise, sorts, related, label, page=None
):
    """GET /<plural> and /<plural>/{slug}; `related`: the relations each
    record's serialiser reads, joined in the same query."""
    singular = plural.rstrip("s")
    page = schemas.page_of(schema, page or f"{label}Page")

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
