"""Where the core's own rows show on public pages (see invalidation.py);
the apps defining other kinds add what their pages show of these."""

from django.contrib.contenttypes.models import ContentType

from directory import kinds
from directory.caching import invalidation
from directory.caching import tags as page_tags
from directory.models import (
    Citation,
    Enquiry,
    FacetChange,
    NameWord,
    Organisation,
    PendingSearchText,
    Region,
    Sector,
    ServiceCategory,
    SourceArticle,
    StaffConfirmation,
    UpcomingTotal,
    UpcomingTotalsDay,
)

# The lists every published record can change: its counts on the home page
# and the guided start, and search.
EVERY_RECORD_LIST = ("home", "search", "start")
# What staff change when they confirm a record is still right, shown on its
# own page, its list's feed and CSV and home's latest changes, not by the
# lists, search or the guided start.
BOOKKEEPING = ("updated_at", "last_verified_on", "verified_by_id", "seed_fingerprint")


def citing_articles(record):
    """The source pages listing `record` among the records citing them."""
    meta = record._meta
    return {
        SourceArticle: Citation.objects.filter(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            object_id=record.pk,
        ).values_list("article_id", flat=True)
    }


# What a list of another kind shows of a record by name: a link or label.
NAME_FIELDS = (
    "name",
    "name_zh_hans",
    "name_zh_hant",
    "short_name",
    "short_name_zh_hans",
    "short_name_zh_hant",
    "zh_official",
    "translation_sources",
)


def register_record(model, lists, shown_on=None, lists_when=None):
    """A kind of record: its own page, the source pages citing it, and
    `shown_on`; `lists` and `lists_when` as for `invalidation.register`."""
    invalidation.register(
        model,
        lists=(*(page_tags.outputs(section) for section in lists), "home"),
        lists_when=lists_when,
        lists_unless={section: BOOKKEEPING for section in (*lists, "search", "start")},
        shown_on=citing_articles,
        has_page=True,
    )
    if shown_on is not None:
        invalidation.extend(model, shown_on)


def _organisation_family(organisation):
    # An organisation's page names its parent and lists its children.
    return {
        Organisation: [
            organisation.parent_id,
            *Organisation.objects.filter(parent_id=organisation.pk).values_list("pk", flat=True),
        ]
    }


def _citation(citation):
    model = ContentType.objects.get_for_id(citation.content_type_id).model_class()
    pages = {SourceArticle: [citation.article_id]}
    if model in kinds.models():
        pages[model] = [citation.object_id]
    return pages


def _article(article):
    # Every record citing it lists its title among its sources.
    pages = {}
    for content_type_id, object_id in Citation.objects.filter(article=article).values_list(
        "content_type_id", "object_id"
    ):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        pages.setdefault(model, []).append(object_id)
    return {model: ids for model, ids in pages.items() if model in kinds.models()}


def register():
    # Organisations appear on every list: their own, as providers on services
    # (by name; the services' region facet counts a provider's region), as
    # the organisation facet of programmes and events (by name).
    by_name = (*NAME_FIELDS, "region_id")
    register_record(
        Organisation,
        lists=("organisations",),
        lists_when={"programmes": by_name, "services": by_name, "events": by_name},
        shown_on=_organisation_family,
    )
    invalidation.register(Citation, shown_on=_citation)
    invalidation.register(SourceArticle, shown_on=_article, has_page=True)
    for vocabulary in (Region, Sector, ServiceCategory):
        invalidation.register(vocabulary, everywhere=True)
    # Not shown as such, or derived from records whose own writes replace
    # the pages that show them (the totals of the events still to come).
    # (Search text left to redo replaces the pages itself once redone.)
    invalidation.ignore(
        Enquiry,
        FacetChange,
        StaffConfirmation,
        NameWord,
        PendingSearchText,
        UpcomingTotal,
        UpcomingTotalsDay,
    )
