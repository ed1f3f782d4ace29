"""Endpoints of the core's records: organisations, regions, sectors, kinds of
help and sources."""

from ninja import Router

from directory.api import api, schemas
from directory.api.endpoints import add_record_endpoints
from directory.api.lists import record_detail, simple_list
from directory.api.openapi import query_parameters
from directory.api.references import (
    api_url,
    page_url,
    partial_date,
    published,
    ref,
    serialised,
    term,
    texts,
)
from directory.filters import OrganisationFilterSet
from directory.models import Organisation, Region, Sector, ServiceCategory, SourceArticle
from directory.views.lists import SORTS

router = Router(tags=["Organisations and vocabularies"])


def serialise_organisations(request, records, language):
    sectors = {}
    ids = [r.pk for r in records]
    through = Organisation.sectors.through.objects.filter(organisation_id__in=ids)
    for row in through.select_related("sector").order_by("sector__name"):
        sectors.setdefault(row.organisation_id, []).append(term(row.sector, language))

    def own(record):
        return {
            "kind": record.kind,
            "kind_label": str(record.get_kind_display()),
            "website": record.website,
            "email": record.email,
            "phone": record.phone,
            "region": term(record.region, language) if record.region else None,
            "parent": ref(request, published(record.parent), language),
            "sectors": sectors.get(record.pk, []),
        }

    fields = ("name", "short_name", "description")
    return serialised(request, Organisation, records, language, own, fields)


add_record_endpoints(
    router,
    "organisations",
    Organisation,
    OrganisationFilterSet,
    schemas.Organisation,
    serialise_organisations,
    SORTS,
    ("region", "parent"),
    "Organisations",
    page="OrganisationPage",
)


def serialise_regions(request, records, language):
    parents = {}
    return [
        texts(
            r,
            ("name",),
            language,
            {
                "slug": r.slug,
                "kind": r.kind,
                "parent": parents.get(r.parent_id, r.parent.slug if r.parent else None),
                "latitude": float(r.latitude) if r.latitude is not None else None,
                "longitude": float(r.longitude) if r.longitude is not None else None,
            },
        )
        for r in records
    ]


def serialise_vocabulary(request, records, language):
    return [texts(r, ("name", "description"), language, {"slug": r.slug}) for r in records]


def serialise_sources(request, records, language):
    out = []
    for article in records:
        item = {
            "slug": article.slug,
            "publisher": article.publisher,
            "published": partial_date(article.published_on, article.published_precision),
            "dateline": article.dateline,
            "original_url": article.url,
            "url": page_url(request, article, language),
            "api_url": api_url(request, "source", article.slug),
        }
        texts(article, ("title",), language, item)
        if not item["title"]:
            item["title"] = texts(article, ("given_title",), language, {})["given_title"]
        item["title"] = item["title"] or article.slug
        out.append(item)
    return out


def vocabulary_endpoints(path, model, schema, serialise, label, ordering, related=()):
    page = schemas.page_of(schema, f"{schema.__name__}Page_{path.strip('/').replace('-', '_')}")
    queryset = model.objects.select_related(*related)
    if model is SourceArticle:
        # Drafts and articles in review are not public.
        queryset = queryset.published().defer("raw_text", "cleaned_text")

    def listing(request):
        return simple_list(request, queryset=queryset, serialise=serialise, ordering=ordering)

    def detail(request, slug: str):
        return record_detail(request, queryset=queryset, slug=slug, serialise=serialise)

    name = path.strip("/").replace("-", "_")
    listing.__name__, detail.__name__ = name, name + "_detail"
    router.get(
        path,
        response={200: page, **schemas.ERRORS},
        url_name=name,
        summary=label,
        openapi_extra={"parameters": query_parameters({}, None)},
    )(listing)
    router.get(
        path + "/{slug}",
        response={200: schema, **schemas.ERRORS},
        url_name=name.rstrip("s") if name != "kinds_of_help" else "kind_of_help",
        summary=f"One of: {label.lower()}",
        openapi_extra={"parameters": query_parameters({}, paged=False)},
    )(detail)


vocabulary_endpoints(
    "/regions", Region, schemas.Region, serialise_regions, "Regions", ("name", "pk"), ("parent",)
)
vocabulary_endpoints(
    "/sectors", Sector, schemas.Vocabulary, serialise_vocabulary, "Sectors", ("name", "pk")
)
vocabulary_endpoints(
    "/kinds-of-help",
    ServiceCategory,
    schemas.Vocabulary,
    serialise_vocabulary,
    "Kinds of help",
    ("name", "pk"),
)
vocabulary_endpoints(
    "/sources",
    SourceArticle,
    schemas.Source,
    serialise_sources,
    "Sources",
    ("-published_on", "title", "pk"),
)

api.add_router("", router)
