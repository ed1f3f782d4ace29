"""A filtered list's records in the order asked for, as the lists' outputs
(the JSON API, the downloads and feeds) read them: the FilterSet's records
(a search's capped candidates), ranked for a search, without the search
columns, sorted with ties broken by id."""

from directory import search
from directory.views.lists import matching_records, without_search_columns


def default_sort(q, sorts):
    return "relevance" if q else next(iter(sorts))


def ordered_results(filterset, q, clean, sort, sorts, related=()):
    """`sort` is "relevance" (with a search) or a key of `sorts`, whose value
    is an ordering or a function of the clean parameters giving one."""
    results = matching_records(filterset, q)
    if q:
        results = search.with_rank(results, q)
    ordering = ("-search_rank", "name", "pk") if sort == "relevance" else sorts[sort]
    if callable(ordering):
        ordering = ordering(clean)
    results = without_search_columns(results.select_related(*related), related)
    return results.order_by(*ordering)
