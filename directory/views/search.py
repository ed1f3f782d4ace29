from django.shortcuts import render

from directory import kinds, search
from directory.caching import query_parameters
from directory.forms import sanitise
from directory.prepared import planned_each_time
from directory.ratelimit import rate_limited
from directory.views.lists import without_search_columns

# The longest texts of a record; search results show names and summaries.
DESCRIPTION_COLUMNS = ("description", "description_zh_hans", "description_zh_hant")


@planned_each_time
def _best_hits(q, text, needle, *given, kind, has_words, alikes):
    """One kind's ten best candidates, each with how many there are (one
    query), prepared (directory/prepared.py): the query and the texts derived
    from it are its values; `given` holds the look-alikes when there are
    some (`alikes` is then True; else None or "", which shape the SQL)."""
    kind = kinds.get(kind)
    parts = search.QueryParts(text, needle, has_words)
    hits = search.best(
        kind.model.objects.published(),
        q,
        limit=10,
        alikes=given[0] if given else alikes,
        parts=parts,
    )
    # The best are a new queryset: it keeps no select_related. The columns no
    # result shows are left unread.
    related = kind.search_select_related
    long_texts = [*DESCRIPTION_COLUMNS]
    for relation in related:
        fields = kind.model._meta.get_field(relation).related_model._meta.get_fields()
        names = {field.name for field in fields}
        long_texts += [f"{relation}__{c}" for c in DESCRIPTION_COLUMNS if c in names]
    hits = without_search_columns(hits.select_related(*related), related)
    return hits.defer(*long_texts)


@rate_limited("search")
@query_parameters("q")
def search_page(request):
    clean, ignored = sanitise(request.GET, {"q": "text"}, always_known=())
    q, truncated = search.clean_query(clean.get("q", ""))
    groups = []
    if q:
        alikes = search.look_alikes(q)
        parts = search.query_parts(q)
        # The look-alikes are a value when there are some; whether there
        # are (None on SQLite, "" when a word looks like no name) shapes the SQL.
        given = [alikes] if alikes else []
        for kind in kinds.by_search_position():
            hits = _best_hits(
                q,
                parts.text,
                parts.needle,
                *given,
                kind=kind.name,
                has_words=parts.has_words,
                alikes=alikes if not alikes else True,
            )
            if not hits:
                continue
            count = hits[0].candidates
            groups.append(
                {
                    "key": kind.plural,
                    "label": kind.label,
                    "count": count,
                    "count_label": search.count_label(count),
                    "results": hits,
                    # Asked of a record that lacks it, a template looks
                    # through every attribute the record has (`dir`) before
                    # it gives up: 40 times on a search page, about 1 ms.
                    "short_names": kind.has_field("short_name"),
                    "summaries": kind.has_field("summary"),
                    "list_url": kind.list_url,
                }
            )
    context = {
        "q": q,
        "truncated": truncated,
        "max_length": search.MAX_QUERY_LENGTH,
        "groups": groups,
        "ignored": ignored,
        "total": sum(g["count"] for g in groups),
    }
    if q and not groups:
        # A search that finds nothing is no page to send anyone to (a search
        # narrowed further is noindex already: see seo.page_meta).
        context["robots_noindex"] = True
    return render(request, "directory/search.html", context)
