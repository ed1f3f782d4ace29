import re
from collections import Counter, defaultdict

from django.apps import apps
from django.core.paginator import Paginator
from django.db.models import CharField, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from directory import kinds
from directory.caching import query_parameters
from directory.forms import sanitise
from directory.models import (
    Citation,
    SourceArticle,
    quote_anchor,
)  # Citations listed per page of a source article.
from directory.models.base import can_preview
from directory.prepared import prepared
from directory.record_urls import record_url
from directory.views.lists import requested_page

SOURCE_PAGE_SIZE = 50
# A citation's quote is listed shortened to this many characters.
QUOTE_LENGTH = 120


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


def visible_citations(article, user):
    """(id, quote, model, record id) of the article's citations whose records
    `user` may see, oldest first. Two queries whatever the numbers: the
    citations, then the visible records among them, their ids sent as one
    array per kind. (A visibility test inside the first query made
    PostgreSQL hash every published programme's id, 85,000 of them, to keep
    609 citations: 20 ms, twice a page.)"""
    # The kind by its content type's natural key (a join to a table of a few
    # dozen rows), so the query count does not depend on a warm ContentType
    # cache, as for a record page's citations.
    cited = _citations_of(article.pk)
    models = kinds.by_label()
    ids = defaultdict(set)
    for _pk, _quote, label, object_id in cited:
        if label in models:
            ids[label].add(object_id)
    labels = tuple(ids)
    visible = set(
        _visible_records(
            *(sorted(ids[label]) for label in labels),
            labels=labels,
            drafts=tuple(can_preview(user, models[label]) for label in labels),
        )
        if labels
        else ()
    )
    return [
        (pk, quote, models[label], object_id)
        for pk, quote, label, object_id in cited
        if (label, object_id) in visible
    ]


@prepared
def _visible_records(*id_lists, labels, drafts):
    """(label, id) of the records among `id_lists` (one list of ids per
    model label) that a reader sees (`drafts`: per label, whether the reader
    also sees unpublished ones): one UNION ALL query, the ids of each kind
    sent as one array."""
    models = kinds.by_label()
    return union(
        [
            (models[label].objects.all() if draft else models[label].objects.published())
            .filter(pk__any_of=ids)
            .order_by()
            .values_list(Value(label, output_field=CharField()), "pk")
            for label, ids, draft in zip(labels, id_lists, drafts, strict=True)
        ]
    )


@prepared
def _record_names(*id_lists, models):
    """(label, id, names in three languages, slug) of the records `id_lists`
    (one list of ids per model of `models`): one UNION ALL query."""
    return union(
        [
            model.objects.filter(pk__any_of=ids)
            .order_by()
            .values_list(
                Value(model._meta.label_lower, output_field=CharField()),
                "pk",
                "name",
                "name_zh_hans",
                "name_zh_hant",
                "slug",
            )
            for model, ids in zip(models, id_lists, strict=True)
        ]
    )


@prepared
def _citations_of(pk):
    return (
        Citation.objects.filter(article_id=pk)
        .order_by("pk")
        # The kind as a model's label ("programmes.programme").
        .annotate(
            kind=Concat("content_type__app_label", Value("."), "content_type__model"),
        )
        .values_list("pk", "quote", "kind", "object_id")
    )


@prepared
def _article_rows(slug, *, drafts):
    articles = SourceArticle.objects.all() if drafts else SourceArticle.objects.published()
    return articles.filter(slug=slug)[:1]


def union(querysets):
    """One UNION ALL query of `querysets` (at least one: callers with nothing
    to look up make no query)."""
    first, *rest = querysets
    return first.union(*rest, all=True) if rest else first


@query_parameters("page")
def source_detail(request, slug):
    """An article's text with its cited quotes marked, and the records citing it.

    An article can support hundreds of records, so the citations are listed a
    page at a time; the text holds one mark per distinct quote. Four queries
    whatever the number of citations: the article, its citations, the
    published records among them, and the names of one page's records.

    An unpublished article is not found, and the quotes of unpublished records
    are neither listed nor marked (staff allowed to preview them see them).
    """
    clean, ignored = sanitise(request.GET, {"page": "page"})
    notices = []
    found = _article_rows(slug, drafts=can_preview(request.user, SourceArticle))
    if not found:
        raise Http404
    article = found[0]
    cited = visible_citations(article, request.user)
    quotes = Counter(quote for _pk, quote, _model, _id in cited)
    paginator = Paginator(cited, SOURCE_PAGE_SIZE)
    page = requested_page(paginator, clean.get("page", "1"), notices)
    citations = list(page.object_list)

    wanted = defaultdict(set)
    for _pk, _quote, model, object_id in citations:
        wanted[model].add(object_id)
    shown_models = tuple(wanted)
    names = (
        _record_names(*(sorted(wanted[model]) for model in shown_models), models=shown_models)
        if shown_models
        else []
    )
    records = {}
    for label, pk, name, zh_hans, zh_hant, record_slug in names:
        model = apps.get_model(label)
        records[(model, pk)] = {
            "name": name,
            "name_zh_hans": zh_hans,
            "name_zh_hant": zh_hant,
            # As get_absolute_url does, without building a record of some
            # sixty fields for each of fifty links.
            "url": record_url(model.detail_view, record_slug),
            "kind": model._meta.verbose_name,
        }
    text = article.cleaned_text or article.raw_text
    highlighted, found_anchors = highlight(text, quotes)
    # One quote often backs several records: each is shortened and named once.
    shown = {
        quote: {
            "quote": quote,
            "short": Truncator(quote).chars(QUOTE_LENGTH),
            "anchor": quote_anchor(quote),
        }
        for quote in {quote for _pk, quote, _model, _id in citations}
    }
    items = [
        {
            "citation": shown[quote],
            "record": records.get((model, object_id)),
            "found": shown[quote]["anchor"] in found_anchors,
        }
        for _pk, quote, model, object_id in citations
    ]
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
