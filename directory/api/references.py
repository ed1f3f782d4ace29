"""A record's texts in the asked language, the records it refers to, and
the citations that support it, as the API writes them."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation

from directory.i18n.translation import translate
from directory.models import Citation, PublicationStatus


def texts(record, fields, language, into):
    """`fields` of `record` in `language`, English where no translation exists
    (those fields are listed in `english_only`)."""
    english_only = into.setdefault("english_only", [])
    for field in fields:
        text = translate(record, field, language)
        into[field] = text.value
        if text.is_fallback:
            english_only.append(field)
    return into


def name_of(record, language, field="name"):
    return translate(record, field, language).value


def page_url(request, record, language):
    with translation.override(language):
        return request.build_absolute_uri(record.get_absolute_url())


def api_url(request, name, *args):
    return request.build_absolute_uri(reverse(f"api:{name}", args=args))


def ref(request, record, language, **extra):
    """A related record: slug, name in the language, its page."""
    if record is None:
        return None
    return {
        "slug": record.slug,
        "name": name_of(record, language),
        "url": page_url(request, record, language),
        **extra,
    }


def term(record, language):
    """A vocabulary term (region, sector, kind of help): slug and name."""
    return {"slug": record.slug, "name": name_of(record, language)}


def published(record):
    return record if record is not None and record.status == PublicationStatus.PUBLISHED else None


def partial_date(value, precision):
    """A date at the precision its source gives: 2024-05-10, 2024-05 or 2024."""
    if value is None:
        return None
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def record_common(request, record, language, name, citations):
    """What every published record carries: its slug, page and API URL, when
    it was last verified and changed, and its citations."""
    return {
        "slug": record.slug,
        "url": page_url(request, record, language),
        "api_url": api_url(request, name, record.slug),
        "last_verified": record.last_verified_on,
        "updated_at": record.updated_at,
        "citations": citations.get(record.pk, []),
    }


def serialised(request, model, records, language, own, fields, links=None):
    """The API's items for `records` of `model`: what every record carries,
    then `own(record)`, then `links(record.pk)` if given, and its texts
    `fields` in `language`."""
    citations = citations_by_record(request, model, [r.pk for r in records], language)
    name = model._meta.model_name
    return [
        texts(
            record,
            fields,
            language,
            record_common(request, record, language, name, citations)
            | own(record)
            | (links(record.pk) if links else {}),
        )
        for record in records
    ]


def citations_by_record(request, model, ids, language):
    """{record id: [citation, …]} for records of `model`: one query, joined on
    the content type's natural key (no content-type cache needed). `ids` is a
    list, or a query of ids (a whole table's, read as a subquery)."""
    meta = model._meta
    found = {}
    rows = (
        Citation.objects.filter(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id__in=ids if isinstance(ids, QuerySet) else list(ids),
        )
        .in_published_articles()
        .select_related("article")
        .defer("article__raw_text", "article__cleaned_text")
        .order_by("object_id", "article_id", "pk")
    )
    for citation in rows:
        found.setdefault(citation.object_id, []).append(citation_data(request, citation, language))
    return found


def citation_data(request, citation, language):
    article = citation.article
    return {
        "quote": citation.quote,
        "supports": citation.supports,
        "facts": citation.facts,
        "source": source_ref(request, article, language),
    }


def source_ref(request, article, language):
    title = name_of(article, language, "title") or name_of(article, language, "given_title")
    return {
        "slug": article.slug,
        "title": title or article.slug,
        "publisher": article.publisher,
        "published": partial_date(article.published_on, article.published_precision),
        "original_url": article.url,
        "url": page_url(request, article, language),
    }
