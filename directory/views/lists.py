from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from directory import caching, search
from directory.filters import OrganisationFilterSet, Vocabulary
from directory.forms import sanitise
from directory.models import Organisation, Searchable
from directory.prepared import prepared
from directory.views.records import LINK_COLUMNS

PAGE_SIZE = 20

SORTS = {
    "name": ("name", "pk"),
    "newest": ("-created_at", "-pk"),
}
SORT_LABELS = {
    "relevance": _("Relevance"),
    "name": _("Name"),
    "newest": _("Newest first"),
    "date": _("Date"),
    "fit": _("Best fit"),
}
WHEN_LABELS = {
    "upcoming": _("Upcoming"),
    "past": _("Past"),
    "undated": _("Date not stated"),
}
# The sort of the lists that rank by how specifically each record fits the
# region, sector and kind of help chosen (programmes, services).
FIT_SORTS = {**SORTS, "fit": None}


def list_page(
    request, *, queryset, filterset_class, spec, template, context, sorts=None, more_context=None
):
    """The shared body of every public list: sanitise, filter, facet, rank, page.

    `more_context(clean, page)`, when given, adds what a kind's list shows
    beside its rows (the events list: the latest past events when none is
    upcoming)."""
    sorts = sorts or SORTS
    facet_names = [k for k, v in spec.items() if k not in ("q", "from", "to", "when")]
    spec = {
        **spec,
        "page": "page",
        "sort": tuple(["relevance", *sorts]),
        "more": tuple(facet_names),
    }
    clean, ignored = sanitise(request.GET, spec)
    notices = []
    q, truncated = search.clean_query(clean.get("q", ""))
    if truncated:
        notices.append(
            _("Your search was shortened to its first %(n)s characters.")
            % {"n": search.MAX_QUERY_LENGTH}
        )
    if q:
        clean["q"] = q
    notices += dates_in_order(clean)

    filterset = filterset_class(clean, queryset, Vocabulary.load())
    summary, was_cached = caching.shared(
        caching.summary_key(filterset_class.__name__, clean, request.path_info),
        lambda: summarise(filterset, clean, q),
        caching.page_tags(request.path_info),
    )
    if was_cached:
        replay(filterset, summary)
    facets = summary["facets"]
    ignored += filterset.ignored

    default_sort = "relevance" if q else next(iter(sorts))
    sort = clean.get("sort") or default_sort
    if sort == "relevance" and not q:
        sort = next(iter(sorts))
    ordering = filterset.fit_ordering() if sort == "fit" else sort_ordering(sorts, sort, clean)
    related = context.pop("select_related", ())
    columns = context.pop("columns", ())

    # The page's number first (from the total), then its rows only.
    paginator = Paginator([], PAGE_SIZE)
    paginator.count = summary["count"]
    page = requested_page(paginator, clean.get("page", "1"), notices)
    filtering = None if q else filterset.prepared_filtering()
    if page.number == 1 and filtering is not None:
        # The same rows as the queryset below, by a prepared query: the
        # queryset (with a subquery per match reason) is not even built.
        function, values, shape = filtering
        page.object_list = _first_page(
            *values,
            model=queryset.model,
            filtering=function,
            filtering_shape=shape,
            related=tuple(related),
            columns=tuple(columns),
            ordering=tuple(ordering),
        )
    else:
        results = filterset.with_reasons(row_columns(ranked(filterset, q), related, columns))
        # The bounds Paginator.page() gives.
        bottom = (page.number - 1) * PAGE_SIZE
        top = page.end_index() if paginator.count else 0
        page.object_list = results.order_by(*ordering)[bottom:top]
    for item in page.object_list:
        item.match_reasons = filterset.match_reasons(item)
    if more_context:
        context = {**context, **more_context(clean, page)}

    return render(
        request,
        template,
        {
            **context,
            "filterset": filterset,
            "facets": facets,
            "q": q,
            "clean_query": clean,
            "chips": chips(clean, facets, spec),
            "page_obj": page,
            "results": page.object_list,
            "result_count": search.count_label(paginator.count) if q else f"{paginator.count:,}",
            "sort": sort,
            "sort_options": [(k, SORT_LABELS[k]) for k in (["relevance"] if q else []) + [*sorts]],
            "ignored": ignored,
            "notices": notices,
            "hidden_params": [(name, value) for name in ("more",) for value in clean.getlist(name)],
            # The sort form carries every filter but the sort (a new order starts at page 1).
            "sort_hidden": [
                (name, value)
                for name, values in clean.lists()
                if name not in ("sort", "page")
                for value in values
            ],
            # The filters (and sort) for the list's downloads and feed.
            "export_query": export_query(clean),
        },
    )


@prepared
def _first_page(*values, model, filtering, filtering_shape, related, columns, ordering):
    """The first page of a list (its most read page) with no filters, or only
    those the filterset can say as `filtering(records, *values, **shape)`
    (upcoming events: from today; a filtered list: the ids the facet index
    found, and the values each filter selected, for the match reasons), as
    list_page builds it: built and compiled once per filtering, ordering and
    language (directory/prepared.py). Other pages are not prepared: their
    offsets are part of the SQL, and a process would keep a statement for
    every page of every list a crawler walks."""
    rows = model.objects.published()
    if filtering:
        rows = filtering(rows, *values, **dict(filtering_shape))
    return row_columns(rows, related, columns).order_by(*ordering)[:PAGE_SIZE]


def row_columns(records, related, columns):
    """`records` with the `related` records joined, reading only `columns`
    (as `list_view` declares them) or, without, all but the search columns."""
    records = records.select_related(*related)
    return records.only(*columns) if columns else without_search_columns(records, related)


def dates_in_order(clean):
    """A "from" date after the "to" date would match nothing; the reader
    almost certainly meant the other order, so swap them and say so."""
    start, end = clean.get("from"), clean.get("to")
    if not (start and end and start > end):  # ISO dates compare as strings
        return []
    clean["from"], clean["to"] = end, start
    return [
        _(
            "The “from” date (%(start)s) was after the “to” date (%(end)s), "
            "so no event could match: we swapped them."
        )
        % {"start": start, "end": end}
    ]


def export_query(clean):
    query = clean.copy()
    for name in ("page", "more"):
        query.pop(name, None)
    return query.urlencode()


def requested_page(paginator, requested, notices):
    """The page asked for (a sanitised number, or "last"); past the end, the
    last page with a notice saying so."""
    number = paginator.num_pages if requested == "last" else int(requested)
    if number > paginator.num_pages:
        if paginator.count:
            notices.append(_("There is no page %(n)s; this is the last page.") % {"n": requested})
        number = paginator.num_pages
    return paginator.page(number)


def without_search_columns(queryset, related):
    """The rows without the search columns of the record and of the related
    records joined to it: no list shows them, and they would make each row of
    a page several kilobytes wide."""
    model = queryset.model
    prefixes = [""] + [
        f"{path}__"
        for path in related
        if issubclass(model._meta.get_field(path).related_model, Searchable)
    ]
    return queryset.defer(*search_columns(*prefixes))


def search_columns(*prefixes):
    """The search columns of the record ("") and of the related records at `prefixes`."""
    return [prefix + column for prefix in prefixes for column in Searchable.SEARCH_COLUMNS]


def ranked_records(filterset, q, sorts, sort, clean):
    """(the records of `filterset` matching `q`, ranked when there is a search;
    the ordering that `sort`, "relevance" or one of `sorts`, stands for)."""
    return ranked(filterset, q), sort_ordering(sorts, sort, clean)


def ranked(filterset, q):
    """The records of `filterset` matching `q`, ranked when there is a search."""
    results = matching_records(filterset, q)
    return search.with_rank(results, q) if q else results


def sort_ordering(sorts, sort, clean):
    """The ordering that `sort`, "relevance" or one of `sorts`, stands for."""
    ordering = ("-search_rank", "name", "pk") if sort == "relevance" else sorts[sort]
    return ordering(clean) if callable(ordering) else ordering


def matching_records(filterset, q):
    """The filtered records; for a search, its capped candidates."""
    return search.capped(filterset.qs) if q else filterset.qs


def summarise(filterset, clean, q):
    """What a list shows beside its rows: facets and the total. The same for
    every page and sort order of one set of filters, so it is shared."""
    ignored_before = len(filterset.ignored)
    facets = [facet.settle() for facet in filterset.facets(clean.get("more"))]
    return {
        "facets": facets,
        "count": filterset.count(q),
        # What computing the facets found out about the filters, to replay.
        "ignored": filterset.ignored[ignored_before:],
        "dropped_organisation": "organisation" in clean
        and "organisation" not in filterset.form.cleaned_data,
    }


def replay(filterset, summary):
    """Applies to a new filterset what computing the cached facets did."""
    filterset.ignored += summary["ignored"]
    if summary["dropped_organisation"] and filterset.form.is_valid():
        filterset.form.cleaned_data.pop("organisation", None)
        filterset.__dict__.pop("_qs", None)


def chips(clean, facets, spec):
    """One removable chip per active filter value; each link drops that value."""
    found = []

    def without(name, value=None):
        query = clean.copy()
        remaining = [v for v in query.getlist(name) if value is not None and v != value]
        query.setlist(name, remaining)
        query.pop("page", None)
        return query

    if clean.get("q"):
        found.append({"label": _("Search: %(q)s") % {"q": clean["q"]}, "query": without("q")})
    for facet in facets:
        for option in facet.selected:
            found.append(
                {
                    "label": f"{facet.legend}: {option.label}",
                    "query": without(facet.name, option.value),
                }
            )
    labels = {"when": _("When"), "from": _("From"), "to": _("To")}
    for name, label in labels.items():
        if name in spec and clean.get(name):
            value = clean[name]
            if name == "when":
                value = WHEN_LABELS.get(value, value)
            found.append({"label": f"{label}: {value}", "query": without(name)})
    return found


def list_view(model, filterset_class, template, sorts=SORTS, more_context=None, **context):
    """The public list of a kind of record: its published records, filtered by
    `filterset_class` from the GET parameters it declares, sorted by `sorts`
    (`more_context`: see `list_page`). `columns`, when given, are the only
    ones its rows read (as for `QuerySet.only`): what the row template shows,
    not the long texts in three languages and search columns of each record
    and of the records joined to it."""

    @caching.query_parameters(*filterset_class.parameters, "page", "sort", "more")
    def view(request):
        return list_page(
            request,
            queryset=model.objects.published(),
            filterset_class=filterset_class,
            spec=filterset_class.parameters,
            template=template,
            # list_page pops from it: each request gets its own copy.
            context=dict(context),
            sorts=sorts,
            more_context=more_context,
        )

    return view


organisation_list = list_view(
    Organisation,
    OrganisationFilterSet,
    "directory/organisation_list.html",
    select_related=["region"],
    columns=[*LINK_COLUMNS, "short_name", "kind", "region"],
)
