"""The API's lists and details: a page of a filtered, sorted list (the HTML
list's FilterSet, search and sorts), a plain paged list, one record."""

from django.utils import translation

from directory import search
from directory.api.errors import ApiError
from directory.api.parameters import (
    DEFAULT_PAGE_SIZE,
    PAGED,
    api_language,
    check_slug,
    page_count,
    read_parameters,
)
from directory.api.responses import last_change, respond
from directory.filters import Vocabulary
from directory.filters.results import default_sort, ordered_results
from directory.views.lists import SORTS


def record_list(
    request,
    *,
    queryset,
    filterset_class,
    serialise,
    sorts=SORTS,
    related=(),
    list_name,
):
    """One page of a filtered, sorted list, as JSON."""
    spec = {**filterset_class.parameters, "sort": ("relevance", *sorts), **PAGED}
    clean = read_parameters(request, spec)
    language = api_language(request, clean)
    q, _truncated = search.clean_query(clean.get("q", ""))
    if q:
        clean["q"] = q
    else:
        clean.pop("q", None)
    with translation.override(language):
        filterset = filterset_class(clean, queryset, Vocabulary.load())
        refuse_unmatched_terms(filterset, clean)
        sort = clean.get("sort") or default_sort(q, sorts)
        if sort == "relevance" and not q:
            raise ApiError(400, "“relevance” needs a search (q).", "sort")
        results = ordered_results(filterset, q, clean, sort, sorts, related)
        count = filterset.count(q)
        size, number = page_size_and_number(clean)
        page_count(count, size, number)  # a page beyond the last is a 404, unread
        records = list(results[(number - 1) * size : number * size])
        capped = bool(q) and count >= search.CANDIDATE_CAP
        return page_response(request, clean, records, serialise, language, count, capped)


def refuse_unmatched_terms(filterset, clean):
    """A 400 for a vocabulary slug that names no term (the HTML list
    ignores it and says so)."""
    for name in filterset.vocabulary_filters:
        known = {t.slug for t in filterset.terms.get(name, [])}
        for slug in clean.getlist(name):
            if slug not in known:
                raise ApiError(400, f"“{slug}” for “{name}” matches nothing.", name)


def simple_list(request, *, queryset, serialise, ordering):
    """A paged list without filters (the vocabularies, the sources)."""
    clean = read_parameters(request, PAGED)
    language = api_language(request, clean)
    size, number = page_size_and_number(clean)
    records = list(queryset.order_by(*ordering)[(number - 1) * size : number * size + 1])
    count = (number - 1) * size + len(records)
    if len(records) > size:
        count = queryset.count()
    records = records[:size]
    with translation.override(language):
        return page_response(request, clean, records, serialise, language, count, False)


def record_detail(request, *, queryset, slug, serialise):
    check_slug(slug)
    clean = read_parameters(request, {})
    language = api_language(request, clean)
    record = queryset.filter(slug=slug).first()
    if record is None:
        raise ApiError(404, "No published record has this slug.")
    with translation.override(language):
        data = serialise(request, [record], language)[0]
        return respond(request, data, language, getattr(record, "updated_at", None))


def page_size_and_number(clean):
    return int(clean.get("page_size", DEFAULT_PAGE_SIZE)), int(clean.get("page", "1"))


def page_response(request, clean, records, serialise, language, count, capped):
    """One page of records as JSON, with links to the pages either side."""
    size, number = page_size_and_number(clean)
    pages = page_count(count, size, number)
    data = {
        "count": count,
        "count_is_capped": capped,
        "page": number,
        "pages": pages,
        "page_size": size,
        "next": page_link(request, number + 1) if number < pages else None,
        "previous": page_link(request, number - 1) if number > 1 else None,
        "language": language,
        "results": serialise(request, records, language),
    }
    return respond(request, data, language, last_change(records))


def page_link(request, number):
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(request.path + "?" + query.urlencode())
