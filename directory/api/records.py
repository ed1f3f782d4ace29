"""Endpoints of the core's records: organisations, regions, sectors, kinds of
help and sources."""

from ninja import Router

from directory.api import api, schemas
from directory.api.base import (
    api_url,
    citations_by_record,
    page_url,
    partial_date,
    published,
    query_parameters,
    record_detail,
    record_list,
    ref,
    simple_list,
    term,
    texts,
)
from directory.filters import OrganisationFilterSet
from directory.models import Organisation, Region, Sector, ServiceCategory, SourceArticle
from directory.views.lists import SORTS, without_search_columns

router = Router(tags=["Organisations and vocabularies"])


def serialise_organisations(request, records, language):
    ids = [r.pk for r in records]
    citations = citations_by_record(request, Organisation, ids, language)
    sectors = {}
    through = Organisation.sectors.through.objects.filter(organisation_id__in=ids)
    for row in through.select_related("sector").order_by("sector__name"):
        sectors.setdefault(row.organisation_id, []).append(term(row.sector, language))
    out = []
    for record in records:
        item = {
            "slug": record.slug,
            "url": page_url(request, record, language),
            "api_url": api_url(request, "organisation", record.slug),
            "kind": record.kind,
            "kind_label": str(record.get_kind_display()),
            "website": record.website,
            "region": term(record.region, language) if record.region else None,
            "parent": ref(request, published(record.parent), language),
            "sectors": sectors.get(record.pk, []),
            "last_verified": record.last_verified_on,
            "updated_at": record.updated_at,
            "citations": citations.get(record.pk, []),
        }
        texts(record, ("name", "short_name", "description"), language, item)
        out.append(item)
    return out


ORGANISATION_RELATED = ("region", "parent")


@router.get(
    "/organisations",
    response={200: schemas.page_of(schemas.Organisation, "OrganisationPage"), **schemas.ERRORS},
    url_name="organisations",
    summary="Organisations",
    description="Published organisations, with the filters, search and sorts of /organisations/.",
    openapi_extra={"parameters": query_parameters(OrganisationFilterSet.parameters, SORTS)},
)
def organisations(request):
    return record_list(
        request,
        queryset=Organisation.objects.published(),
        filterset_class=OrganisationFilterSet,
        serialise=serialise_organisations,
        related=ORGANISATION_RELATED,
        list_name="organisations",
    )


@router.get(
    "/organisations/{slug}",
    response={200: schemas.Organisation, **schemas.ERRORS},
    url_name="organisation",
    summary="One organisation",
    openapi_extra={"parameters": query_parameters({}, paged=False)},
)
def organisation(request, slug: str):
    return record_detail(
        request,
        queryset=without_search_columns(
            Organisation.objects.published().select_related(*ORGANISATION_RELATED),
            ORGANISATION_RELATED,
        ),
        slug=slug,
        serialise=serialise_organisations,
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
