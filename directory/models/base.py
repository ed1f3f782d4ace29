"""What every directory record shares: publication, search and translations."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


def translated(field_class, verbose_name, **options):
    """A text field and its Simplified and Traditional Chinese versions beside it:
    `name, name_zh_hans, name_zh_hant = translated(models.CharField, _("name"), ...)`.
    The English text is the source; a Chinese text may be empty (the page then
    shows the English, marked). Help texts and indexes stay on the English field."""
    chinese = {k: v for k, v in options.items() if k not in ("help_text", "db_index", "unique")}
    chinese["blank"] = True
    return (
        field_class(verbose_name, **options),
        field_class(format_lazy("{} ({})", verbose_name, _("Simplified Chinese")), **chinese),
        field_class(format_lazy("{} ({})", verbose_name, _("Traditional Chinese")), **chinese),
    )


def alternative_names(help_text):
    """Other names people search for, comma-separated: in English, and the
    everyday Chinese names in each script (search aliases such as 贸发局)."""
    chinese_help = _("Everyday Chinese names people search for, separated by commas.")
    return (
        models.CharField(_("alternative names"), max_length=500, blank=True, help_text=help_text),
        models.CharField(
            _("alternative names (Simplified Chinese)"),
            max_length=500,
            blank=True,
            help_text=chinese_help,
        ),
        models.CharField(
            _("alternative names (Traditional Chinese)"),
            max_length=500,
            blank=True,
            help_text=chinese_help,
        ),
    )


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class OpenToScope(models.TextChoices):
    """Where the firms a programme or service takes may come from (blank: not stated)."""

    MAINLAND = "mainland", _("Firms registered anywhere on the mainland")
    HONG_KONG = "hong_kong", _("Firms registered in Hong Kong")
    REGION = "region", _("Firms from the listed regions")
    ANYWHERE = "anywhere", _("Firms from anywhere")


def publication_status():
    """The status field of everything that goes through the workflow
    (records and source articles); changed by directory/workflow.py only."""
    return models.CharField(
        _("publication status"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def visible_to(self, user):
        """Staff who may view this kind of record in the admin preview its
        drafts; everyone else (staff without that permission included) sees
        published records only."""
        if can_preview(user, self.model):
            return self
        return self.published()


def can_preview(user, model):
    """Whether `user` sees `model`'s unpublished records on the public pages."""
    opts = model._meta
    return (
        user.is_authenticated
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
    )


class Publishable(models.Model):
    """Editorial state shared by every record the public site shows."""

    status = publication_status()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    last_verified_on = models.DateField(_("last verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The seed loader's bookkeeping: which seed entry wrote this record, and a
    # fingerprint of what it wrote, so a later load can tell a staff edit
    # (current values no longer match the fingerprint) from an untouched record.
    seed_key = models.CharField(max_length=200, blank=True, editable=False)
    seed_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.status == PublicationStatus.PUBLISHED

    @classmethod
    def related_changes(cls, since):
        """Subqueries finding a related record updated after `since`: the
        review queue lists a record whose organisations or programme changed."""
        return []


class Searchable(models.Model):
    """Denormalised search text kept current by `search.refresh_search_index`.

    `search_document` holds the record's own names and texts plus the names of
    related records (partners, regions, acronyms), so that searching a partner
    finds its programmes. On PostgreSQL `search_vector` holds the weighted
    tsvector (name A, summary B, description C, related D) behind a GIN index.
    """

    search_document = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # The record's own names only (all languages, acronyms, other names), for
    # the misspelling match: a trigram index over short strings stays small and
    # fast where one over whole documents rechecks long texts for every hit.
    search_names = models.TextField(blank=True, editable=False)

    # Read by search only, and the widest columns of a row: pages defer them.
    SEARCH_COLUMNS = ("search_document", "search_vector", "search_names")

    class Meta:
        abstract = True

    def search_related(self):
        """Related records whose names find this one (part D of the vector)."""
        return []

    def search_extra_summary(self):
        """Text weighted like a summary besides `summary` itself."""
        return ""

    @classmethod
    def search_prefetch(cls, queryset):
        """`queryset` fetching what `search_related` reads in a few queries."""
        return queryset


class Translatable(models.Model):
    """Chinese versions of a record's texts sit beside the English ones
    (`name_zh_hans`, `name_zh_hant`…); see `directory.i18n.translation`."""

    # Per language, a fingerprint of the English texts when that translation was
    # last saved: if the English changes afterwards, the translation is flagged
    # as possibly outdated.
    translation_sources = models.JSONField(default=dict, blank=True, editable=False)
    # The fields (English names, e.g. ["name"]) whose Chinese texts are the
    # body's or place's official Chinese name; every other Chinese text is the
    # directory's own translation, and pages say so.
    zh_official = models.JSONField(
        _("fields whose Chinese is official"),
        default=list,
        blank=True,
        help_text=_(
            "Field names (e.g. name) whose Chinese text is an official name rather than "
            "the directory's translation."
        ),
    )

    class Meta:
        abstract = True
