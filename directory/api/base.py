"""The JSON API's shared machinery: parameters, language, paging, records'
citations, and responses with validators and cache headers.

Every list takes the same parameters as its HTML page, read by the same
FilterSet (its `parameters`, checked by `directory.forms.sanitise`), but
strictly: a parameter the API does not know, or a value it cannot use, is a
400 naming the parameter, where the HTML page ignores it and says so.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from directory import search
from directory.filters import Vocabulary
from directory.forms import MAX_PAGE, SLUG, sanitise
from directory.i18n.languages import preferred_language
from directory.i18n.translation import SOURCE_LANGUAGE, translate
from directory.models import Citation, PublicationStatus
from directory.views.lists import SORTS, matching_records, without_search_columns

LANGUAGES = ("en", "zh-hans", "zh-hant")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Responses may be kept this long by browsers and shared caches; the ETag
# makes revalidation after that cheap (304, no body).
MAX_AGE = 300


class ApiError(Exception):
    def __init__(self, status, message, parameter=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter

    def payload(self):
        body = {"error": self.message, "status": self.status}
        if self.parameter:
            body["parameter"] = self.parameter
        return body


def error_response(request, error):
    response = HttpResponse(
        json.dumps(error.payload(), ensure_ascii=False),
        status=error.status,
        content_type="application/json; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


# --- parameters ---------------------------------------------------------------

COMMON = {"lang": tuple(LANGUAGES)}
PAGED = {"page": "page", "page_size": "page_size"}


def read_parameters(request, spec):
    """The query string checked against `spec` (as `sanitise` reads it):
    a QueryDict of clean values, or an ApiError naming the first bad one."""
    spec = {**COMMON, **spec}
    for name in request.GET:
        if name not in spec:
            raise ApiError(400, f"Unknown parameter “{name[:40]}”.", name[:40])
    clean = QueryDict(mutable=True)
    for name, kind in spec.items():
        values = request.GET.getlist(name)
        if not values:
            continue
        if kind in ("page", "page_size"):
            value, most = values[-1], MAX_PAGE if kind == "page" else MAX_PAGE_SIZE
            if not (value.isdigit() and len(value) < 10 and 1 <= int(value) <= most):
                raise ApiError(400, f"“{name}” must be a whole number from 1 to {most}.", name)
            clean[name] = str(int(value))
            continue
        raw = QueryDict(mutable=True)
        raw.setlist(name, values)
        one, ignored = sanitise(raw, {name: kind}, ())
        if ignored or name not in one:
            shown = values[-1].replace("\x00", "")[:40]
            raise ApiError(400, f"“{shown}” is not a valid value for “{name}”.", name)
        clean.setlist(name, one.getlist(name))
    return clean


def api_language(request, clean):
    """`?lang=`, else the first language of Accept-Language the site has, else English."""
    return clean.get("lang") or (
        preferred_language(request.headers.get("Accept-Language")) or SOURCE_LANGUAGE
    )


def query_parameters(spec, sorts=None, paged=True):
    """OpenAPI parameter objects for a list's parameters."""
    params = []
    for name, kind in {**spec, **COMMON}.items():
        if kind == "text":
            schema = {"type": "string", "maxLength": search.MAX_QUERY_LENGTH}
            description = "Search words (the site search)."
        elif kind == "slug":
            schema = {"type": "string", "pattern": SLUG.pattern}
            description = "The slug of one organisation."
        elif kind == "slugs":
            schema = {"type": "array", "items": {"type": "string", "pattern": SLUG.pattern}}
            description = "Slugs; repeat the parameter for several (any of them)."
        elif kind == "date":
            schema = {"type": "string", "format": "date"}
            description = "A day, YYYY-MM-DD."
        elif kind == "years":
            schema = {"type": "array", "items": {"type": "string", "pattern": "^[0-9]{4}$"}}
            description = "Years (YYYY); repeat for several."
        elif isinstance(kind, list):
            schema = {"type": "array", "items": {"type": "string", "enum": kind}}
            description = "Values; repeat for several (any of them)."
        elif isinstance(kind, tuple):
            schema = {"type": "string", "enum": list(kind)}
            description = (
                "The language of texts (else Accept-Language, else English)."
                if name == "lang"
                else "One of the values."
            )
        else:
            raise ValueError(kind)
        param = {"name": name, "in": "query", "required": False, "schema": schema}
        param["description"] = description
        if schema["type"] == "array":
            param["style"], param["explode"] = "form", True
        params.append(param)
    if sorts is not None:
        params.append(
            {
                "name": "sort",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "enum": ["relevance", *sorts]},
                "description": "Order; relevance only with q. Ties are broken by id.",
            }
        )
    if paged:
        params += [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                "description": "Page number, from 1.",
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                "description": f"Records per page (default {DEFAULT_PAGE_SIZE}).",
            },
        ]
    return params


def check_slug(slug):
    if not SLUG.match(slug or ""):
        raise ApiError(404, "No such record.")
    return slug


# --- texts and references ---------------------------------------------------------


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


def citations_by_record(request, model, ids, language):
    """{record id: [citation, …]} for records of `model`: one query, joined on
    the content type's natural key (no content-type cache needed)."""
    meta = model._meta
    found = {}
    rows = (
        Citation.objects.filter(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id__in=list(ids),
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


# --- lists and responses ------------------------------------------------------------


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
        for name in filterset.vocabulary_filters:
            known = {t.slug for t in filterset.terms.get(name, [])}
            for slug in clean.getlist(name):
                if slug not in known:
                    raise ApiError(400, f"“{slug}” for “{name}” matches nothing.", name)
        sort = clean.get("sort") or ("relevance" if q else next(iter(sorts)))
        if sort == "relevance" and not q:
            raise ApiError(400, "“relevance” needs a search (q).", "sort")
        results = matching_records(filterset, q)
        if q:
            results = search.with_rank(results, q)
        ordering = ("-search_rank", "name", "pk") if sort == "relevance" else sorts[sort]
        if callable(ordering):
            ordering = ordering(clean)
        results = without_search_columns(results.select_related(*related), related).order_by(
            *ordering
        )
        count = filterset.count(q)
        size = int(clean.get("page_size", DEFAULT_PAGE_SIZE))
        number = int(clean.get("page", "1"))
        pages = max(1, -(-count // size))
        if number > pages:
            raise ApiError(404, f"There is no page {number}; the last is {pages}.", "page")
        records = list(results[(number - 1) * size : number * size])
        data = {
            "count": count,
            "count_is_capped": bool(q) and count >= search.CANDIDATE_CAP,
            "page": number,
            "pages": pages,
            "page_size": size,
            "next": page_link(request, number + 1) if number < pages else None,
            "previous": page_link(request, number - 1) if number > 1 else None,
            "language": language,
            "results": serialise(request, records, language),
        }
        last_modified = max(
            (r.updated_at for r in records if hasattr(r, "updated_at")), default=None
        )
        return respond(request, data, language, last_modified)


def simple_list(request, *, queryset, serialise, ordering):
    """A paged list without filters (the vocabularies, the sources)."""
    clean = read_parameters(request, PAGED)
    language = api_language(request, clean)
    size = int(clean.get("page_size", DEFAULT_PAGE_SIZE))
    number = int(clean.get("page", "1"))
    records = list(queryset.order_by(*ordering)[(number - 1) * size : number * size + 1])
    count = (number - 1) * size + len(records)
    if len(records) > size:
        count = queryset.count()
    records = records[:size]
    pages = max(1, -(-count // size))
    if number > pages:
        raise ApiError(404, f"There is no page {number}; the last is {pages}.", "page")
    with translation.override(language):
        data = {
            "count": count,
            "count_is_capped": False,
            "page": number,
            "pages": pages,
            "page_size": size,
            "next": page_link(request, number + 1) if number < pages else None,
            "previous": page_link(request, number - 1) if number > 1 else None,
            "language": language,
            "results": serialise(request, records, language),
        }
        last_modified = max(
            (r.updated_at for r in records if hasattr(r, "updated_at")), default=None
        )
        return respond(request, data, language, last_modified)


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


def page_link(request, number):
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(request.path + "?" + query.urlencode())


def respond(request, data, language, last_modified=None):
    """JSON with an ETag (of the body) and Last-Modified, answering 304 when
    the client's copy is current."""
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    cache_headers(response, etag, last_modified, language)
    timestamp = int(last_modified.timestamp()) if last_modified else None
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)


def cache_headers(response, etag, last_modified, language=None):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(int(last_modified.timestamp()))
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    if language:
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
