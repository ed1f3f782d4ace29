import re

from django.core.paginator import Paginator
from django.db.models import CharField, Count, Q, Value
from django.http import Http404
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from directory import kinds
from directory.caching import query_parameters
from directory.forms import sanitise
from directory.models import (
    Citation,
    SourceArticle,
    quote_anchor,
)  # Citations listed per page of a source article.
from directory.views.lists import requested_page

SOURCE_PAGE_SIZE = 50


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


def visible_records(models, user):
    """Citations of the records of `models` that `user` may see (subqueries,
    so the page's query count does not grow with the kinds' sizes)."""
    condition = Q(pk__in=[])
    for (app_label, model_name), model in models.items():
        condition |= Q(
            content_type__app_label=app_label,
            content_type__model=model_name,
            object_id__in=model.objects.visible_to(user).values("pk"),
        )
    return condition


@query_parameters("page")
def source_detail(request, slug):
    """An article's text with its cited quotes marked, and the records citing it.

    An article can support hundreds of records, so the citations are listed a
    page at a time; the text holds one mark per distinct quote. Four queries
    whatever the number of citations: the article, its distinct quotes with
    their counts, one page of citations, and the published records among them.

    An unpublished article is not found, and the quotes of unpublished records
    are neither listed nor marked (staff allowed to preview them see them).
    """
    clean, ignored = sanitise(request.GET, {"page": "page"})
    notices = []
    try:
        article = SourceArticle.objects.visible_to(request.user).get(slug=slug)
    except SourceArticle.DoesNotExist:
        raise Http404 from None
    models = {tuple(label.split(".")): model for label, model in kinds.by_label().items()}
    cited = Citation.objects.filter(article=article).filter(visible_records(models, request.user))
    quote_counts = cited.order_by().values_list("quote").annotate(uses=Count("pk"))
    quotes = dict(quote_counts)
    paginator = Paginator(cited.select_related("content_type").order_by("pk"), SOURCE_PAGE_SIZE)
    paginator.count = sum(quotes.values())
    page = requested_page(paginator, clean.get("page", "1"), notices)
    citations = list(page.object_list)

    wanted = {}
    for citation in citations:
        key = (citation.content_type.app_label, citation.content_type.model)
        if key in models:
            wanted.setdefault(key, set()).add(citation.object_id)
    branches = [
        models[key]
        .objects.visible_to(request.user)
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
