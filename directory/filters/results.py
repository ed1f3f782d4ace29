"""A filtered list's records in the order asked for, as the lists' outputs
(the JSON API, the downloads and feeds) read them: the FilterSet's records
(a search's capped candidates), ranked for a search, without the search
columns, sorted with ties broken by id."""

from directory.views.lists import ranked_records, without_search_columns


def default_sort(q, sorts):
    return "relevance" if q else next(iter(sorts))


def ordered_results(filterset, q, clean, sort, sorts, related=()):
    """`sort` is "relevance" (with a search) or a key of `sorts`, whose value
    is an ordering or a function of the clean parameters giving one."""
    results, ordering = ranked_records(filterset, q, sorts, sort, clean)
    results = without_search_columns(results.select_related(*related), related)
    return results.order_by(*ordering)
