import re

from django.core.paginator import Paginator
from django.db.models import CharField, Count, F, Min, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from directory import caching, facets, search
from directory.filters import OrganisationFilterSet, Vocabulary
from directory.forms import sanitise
from directory.i18n.translation import SOURCE_LANGUAGE, content_language, field_for
from directory.models import (
    Citation,
    FacetTotal,
    Organisation,
    Searchable,
    Sector,
    SourceArticle,
    quote_anchor,
)

PAGE_SIZE = 20
# Detail pages list at most this many of one relation and link to the
# filtered list for the rest, so an organisation with 5,000 programmes
# renders as fast as one with five.
RELATED_CAP = 50
# Citations listed per page of a source article.
SOURCE_PAGE_SIZE = 50

SORTS = {
    "name": ("name", "pk"),
    "newest": ("-created_at", "-pk"),
}
SORT_LABELS = {
    "relevance": _("Relevance"),
    "name": _("Name"),
    "newest": _("Newest first"),
    "date": _("Date"),
}


# --- lists ----------------------------------------------------------------------


def list_page(request, *, queryset, filterset_class, spec, template, context, sorts=None):
    """The shared body of every public list: sanitise, filter, facet, rank, page."""
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

    filterset = filterset_class(clean, queryset, Vocabulary.load())
    summary, was_cached = caching.shared(
        caching.summary_key(filterset_class.__name__, clean),
        lambda: summarise(filterset, clean, q),
    )
    if was_cached:
        replay(filterset, summary)
    facets = summary["facets"]
    ignored += filterset.ignored

    default_sort = "relevance" if q else next(iter(sorts))
    sort = clean.get("sort") or default_sort
    if sort == "relevance" and not q:
        sort = next(iter(sorts))
    results = matching_records(filterset, q)
    if q:
        results = search.with_rank(results, q)
    ordering = ("-search_rank", "name", "pk") if sort == "relevance" else sorts[sort]
    if callable(ordering):
        ordering = ordering(clean)
    related = context.pop("select_related", ())
    results = without_search_columns(results.select_related(*related), related).order_by(*ordering)

    paginator = Paginator(results, PAGE_SIZE)
    paginator.count = summary["count"]
    page = requested_page(paginator, clean.get("page", "1"), notices)

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
        },
    )


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


def matching_records(filterset, q):
    """The filtered records; for a search, its capped candidates."""
    return search.capped(filterset.qs) if q else filterset.qs


def summarise(filterset, clean, q):
    """What a list shows beside its rows: facets and the total. The same for
    every page and sort order of one set of filters, so it is shared."""
    ignored_before = len(filterset.ignored)
    facets = filterset.facets(clean.get("more"))
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
                value = {"upcoming": _("Upcoming"), "past": _("Past")}.get(value, value)
            found.append({"label": f"{label}: {value}", "query": without(name)})
    return found


def organisation_list(request):
    return list_page(
        request,
        queryset=Organisation.objects.published(),
        filterset_class=OrganisationFilterSet,
        spec={
            "q": "text",
            "region": "slugs",
            "sector": "slugs",
            "kind": list(Organisation.Kind.values),
        },
        template="directory/organisation_list.html",
        context={"select_related": ["region"]},
    )


# --- details ---------------------------------------------------------------------


def visible_or_404(queryset, request, **lookup):
    try:
        return queryset.visible_to(request.user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def citations_for(record):
    # Joined on the content type's natural key rather than its cached id, so
    # the page's query count does not depend on a warm ContentType cache.
    meta = record._meta
    return list(
        Citation.objects.filter(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id=record.pk,
        ).select_related("article")
    )


def related_labels(*querysets):
    """Several small relations in one UNION query: rows of
    (relation, slug, name, name_zh_hans, name_zh_hant, extra, role)."""
    first, *rest = querysets
    rows = list(first.union(*rest)) if rest else list(first)
    grouped = {}
    for relation, slug, name, zh_hans, zh_hant, extra, role in sorted(
        rows, key=lambda r: (r[0], r[6], r[2])
    ):
        grouped.setdefault(relation, []).append(
            {
                "slug": slug,
                "name": name,
                "name_zh_hans": zh_hans,
                "name_zh_hant": zh_hant,
                "extra": extra,
                "role": role,
            }
        )
    return grouped


def label_rows(queryset, relation, slug="slug", name="name", extra=None, role=None):
    # The Chinese names ride along in the same row, so a Chinese page costs no
    # extra query; the template picks the page's language.
    text = CharField()
    return queryset.order_by().values_list(
        Value(relation, output_field=text),
        slug,
        name,
        f"{name}_zh_hans",
        f"{name}_zh_hant",
        extra or Value("", output_field=text),
        role or Value("", output_field=text),
    )


def in_page_language(column):
    """`column` (a translated name) in the page's language, English if empty."""
    language = content_language()
    if language == SOURCE_LANGUAGE:
        return F(column)
    return Coalesce(NullIf(F(field_for(column, language)), Value("")), F(column))


def organisation_detail(request, slug):
    from programmes.models import EventOrganisation, ProgrammeOrganisation, Service

    organisation = visible_or_404(
        Organisation.objects.select_related("parent", "region"), request, slug=slug
    )
    programme_roles = list(
        ProgrammeOrganisation.objects.filter(
            organisation=organisation, programme__status="published"
        )
        .select_related("programme")
        .order_by("role", "programme__name")[: RELATED_CAP + 1]
    )
    event_roles = list(
        EventOrganisation.objects.filter(organisation=organisation, event__status="published")
        .select_related("event")
        .order_by("-event__start_date", "event__name")[: RELATED_CAP + 1]
    )
    shared = ProgrammeOrganisation.objects.filter(
        organisation=organisation, programme__status="published"
    ).values("programme_id")
    partners = (
        Organisation.objects.published()
        .filter(programme_roles__programme_id__in=shared)
        .exclude(pk=organisation.pk)
    )
    labels = related_labels(
        label_rows(Sector.objects.filter(organisation=organisation), "sector"),
        label_rows(Organisation.objects.published().filter(parent=organisation), "child"),
        label_rows(partners, "partner", extra="short_name"),
        label_rows(
            Service.objects.published().filter(provider=organisation),
            "service",
            extra=in_page_language("category__name"),
        ),
    )
    by_role = {}
    for role in programme_roles[:RELATED_CAP]:
        by_role.setdefault(role.get_role_display(), []).append(role.programme)
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "record": organisation,
            "organisation": organisation,
            "programmes_by_role": by_role,
            "more_programmes": len(programme_roles) > RELATED_CAP,
            "event_roles": event_roles[:RELATED_CAP],
            "more_events": len(event_roles) > RELATED_CAP,
            "sectors": labels.get("sector", []),
            "children": labels.get("child", []),
            "partners": labels.get("partner", [])[:RELATED_CAP],
            "services": labels.get("service", [])[:RELATED_CAP],
            "more_services": len(labels.get("service", [])) > RELATED_CAP,
            "citations": citations_for(organisation),
        },
    )


# --- home and search ------------------------------------------------------------


def home(request):
    from programmes.filters import upcoming
    from programmes.models import Event, Programme

    vocab = Vocabulary.load()
    # Every count on the page, from the facet totals: one query.
    found = FacetTotal.objects.filter(
        Q(facet=facets.ALL) | Q(kind="programme", facet__in=("region", "sector", "help")),
        n__gt=0,
    ).values_list("kind", "facet", "value", "n")
    totals, programmes_by = {}, {"region": {}, "sector": {}, "help": {}}
    for kind, facet, value, n in found:
        if facet == facets.ALL:
            totals[kind] = n
        else:
            programmes_by[facet][int(value)] = n
    # Entry points: the top two levels of the tree (countries, SARs and
    # provinces), the largest first.
    shallow = {
        pk
        for pk, term in vocab.regions.items()
        if term.parent_id is None or vocab.regions[term.parent_id].parent_id is None
    }
    today = timezone.localdate()
    context = {
        "totals": {
            name: totals.get(kind, 0)
            for name, kind in (
                ("programmes", "programme"),
                ("organisations", "organisation"),
                ("services", "service"),
                ("events", "event"),
            )
        },
        "regions": _largest(
            {pk: n for pk, n in programmes_by["region"].items() if pk in shallow}, vocab.regions
        ),
        "sectors": _largest(programmes_by["sector"], vocab.sectors),
        "helps": _largest(programmes_by["help"], vocab.categories),
        "upcoming": list(
            soonest(upcoming(Event.objects.published(), today))
            .select_related("city")
            .order_by("start_date", "name")[:5]
        ),
        "recent": list(Programme.objects.published().order_by("-created_at", "-pk")[:6]),
    }
    return render(request, "directory/home.html", context)


def soonest(events):
    """`events` from the earliest start among them on, for a soonest-first box.

    Without the bound PostgreSQL reads the start-date index from the oldest
    event and skips every past one (tens of thousands) to find the first few;
    the earliest start comes from the last-day index (GROUP BY keeps it from
    being turned into that same walk). An event with no start date has no
    place in a soonest-first box.
    """
    first = events.order_by().values("status").annotate(first=Min("start_date")).values("first")
    return events.filter(start_date__gte=Subquery(first))


def _largest(counts, terms, size=12):
    found = [(terms[pk], n) for pk, n in counts.items() if pk in terms]
    return sorted(found, key=lambda pair: (-pair[1], pair[0].name))[:size]


SEARCH_KINDS = ("organisations", "programmes", "services", "events")
# The longest texts of a record; search results show names and summaries.
DESCRIPTION_COLUMNS = ("description", "description_zh_hans", "description_zh_hant")


def search_page(request):
    from programmes.models import Event, Programme, Service

    clean, ignored = sanitise(request.GET, {"q": "text"}, always_known=())
    q, truncated = search.clean_query(clean.get("q", ""))
    querysets = {
        "programmes": (Programme.objects.published(), _("Programmes"), "programmes:programme_list"),
        "organisations": (
            Organisation.objects.published(),
            _("Organisations"),
            "directory:organisation_list",
        ),
        "services": (
            Service.objects.published(),
            _("Services"),
            "programmes:service_list",
        ),
        "events": (Event.objects.published(), _("Events"), "programmes:event_list"),
    }
    groups = []
    if q:
        alikes = search.look_alikes(q)
        for key, (queryset, label, list_url) in querysets.items():
            # One query per kind: the ten best candidates, and how many there are.
            hits = search.best(queryset, q, limit=10, alikes=alikes)
            # The best are a new queryset: it keeps no select_related. The
            # columns no result shows are left unread.
            related = ("provider", "category") if key == "services" else ()
            long_texts = [*DESCRIPTION_COLUMNS]
            if key == "services":
                long_texts += [f"provider__{column}" for column in DESCRIPTION_COLUMNS]
            hits = without_search_columns(hits.select_related(*related), related)
            hits = list(hits.defer(*long_texts))
            if not hits:
                continue
            count = hits[0].candidates
            groups.append(
                {
                    "key": key,
                    "label": label,
                    "count": count,
                    "count_label": search.count_label(count),
                    "results": hits,
                    "list_url": list_url,
                }
            )
    return render(
        request,
        "directory/search.html",
        {
            "q": q,
            "truncated": truncated,
            "max_length": search.MAX_QUERY_LENGTH,
            "groups": groups,
            "ignored": ignored,
            "total": sum(g["count"] for g in groups),
        },
    )


# --- sources ---------------------------------------------------------------------


def quote_pattern(quote):
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(word) for word in words))


def highlight(text, quotes):
    """The article text, escaped, with each cited quote wrapped in <mark>.

    Quotes are found whitespace-normalised (a quote copied from a reflowed
    paragraph still matches). Overlapping quotes join the first mark; their
    own anchors still exist so every citation link lands somewhere. Returns
    the text and the anchors of the quotes found.
    """
    spans = {}
    for quote in quotes:
        anchor = quote_anchor(quote)
        pattern = quote_pattern(quote)
        found = pattern.search(text) if pattern and anchor not in spans else None
        if found:
            spans[anchor] = (found.start(), found.end(), anchor)
    out, position, anchors_only = [], 0, []
    for start, end, anchor in sorted(spans.values()):
        if start < position:
            anchors_only.append(anchor)
            continue
        out.append(escape(text[position:start]))
        out.append(f'<mark id="{anchor}">{escape(text[start:end])}</mark>')
        position = end
    out.append(escape(text[position:]))
    anchors = "".join(f'<span id="{anchor}"></span>' for anchor in anchors_only)
    return mark_safe(anchors + "".join(out)), set(spans)


def source_detail(request, slug):
    """An article's text with its cited quotes marked, and the records citing it.

    An article can support hundreds of records, so the citations are listed a
    page at a time; the text holds one mark per distinct quote. Four queries
    whatever the number of citations: the article, its distinct quotes with
    their counts, one page of citations, and the published records among them.
    """
    from programmes.models import Event, Programme, Service

    clean, ignored = sanitise(request.GET, {"page": "page"})
    notices = []
    try:
        article = SourceArticle.objects.get(slug=slug)
    except SourceArticle.DoesNotExist:
        raise Http404 from None
    cited = Citation.objects.filter(article=article)
    quote_counts = cited.order_by().values_list("quote").annotate(uses=Count("pk"))
    quotes = dict(quote_counts)
    paginator = Paginator(cited.select_related("content_type").order_by("pk"), SOURCE_PAGE_SIZE)
    paginator.count = sum(quotes.values())
    page = requested_page(paginator, clean.get("page", "1"), notices)
    citations = list(page.object_list)

    models = {
        ("directory", "organisation"): Organisation,
        ("programmes", "programme"): Programme,
        ("programmes", "service"): Service,
        ("programmes", "event"): Event,
    }
    wanted = {}
    for citation in citations:
        key = (citation.content_type.app_label, citation.content_type.model)
        if key in models:
            wanted.setdefault(key, set()).add(citation.object_id)
    branches = [
        models[key]
        .objects.published()
        .filter(pk__in=ids)
        .order_by()
        .values_list(
            Value(f"{key[0]}.{key[1]}", output_field=CharField()),
            "pk",
            "name",
            "name_zh_hans",
            "name_zh_hant",
            "slug",
        )
        for key, ids in wanted.items()
    ]
    records = {}
    if branches:
        first, *rest = branches
        for kind, pk, name, zh_hans, zh_hant, record_slug in first.union(*rest) if rest else first:
            model = models[tuple(kind.split("."))]
            records[(kind, pk)] = {
                "name": name,
                "name_zh_hans": zh_hans,
                "name_zh_hant": zh_hant,
                "url": model(slug=record_slug).get_absolute_url(),
                "kind": model._meta.verbose_name,
            }
    text = article.cleaned_text or article.raw_text
    highlighted, found_anchors = highlight(text, quotes)
    items = []
    for citation in citations:
        key = f"{citation.content_type.app_label}.{citation.content_type.model}"
        items.append(
            {
                "citation": citation,
                "record": records.get((key, citation.object_id)),
                "found": citation.anchor in found_anchors,
            }
        )
    return render(
        request,
        "directory/source_detail.html",
        {
            "article": article,
            "text": highlighted,
            "quotes": items,
            "page_obj": page,
            "clean_query": clean,
            "ignored": ignored,
            "notices": notices,
        },
    )
