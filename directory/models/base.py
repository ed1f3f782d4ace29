"""What every directory record shares: publication, search and translations."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.record_urls import record_url


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


def short_names(help_text=""):
    """A short name or acronym (e.g. HKPC) and its Chinese versions."""
    return (
        models.CharField(
            _("short name or acronym"), max_length=100, blank=True, help_text=help_text
        ),
        models.CharField(_("short name (Simplified Chinese)"), max_length=100, blank=True),
        models.CharField(_("short name (Traditional Chinese)"), max_length=100, blank=True),
    )


def descriptions():
    """A record's description and its Chinese versions."""
    return translated(models.TextField, _("description"), blank=True)


def summaries():
    """A record's one-paragraph summary and its Chinese versions."""
    return translated(models.CharField, _("summary"), max_length=500, blank=True)


def optional_link(to, verbose_name, related_name, on_delete=models.SET_NULL, **options):
    """A link a record may lack (no source names it): blank in forms, NULL in the
    table; deleting the linked record empties it unless `on_delete` says otherwise."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
        **options,
    )


def organisation_and_role(related_name, roles):
    """The organisation of an `OrganisationRole` row (reached from an
    organisation as `related_name`) and its role, one of `roles`."""
    return (
        models.ForeignKey(
            "directory.Organisation",
            verbose_name=_("organisation"),
            on_delete=models.PROTECT,
            related_name=related_name,
        ),
        models.CharField(_("role"), max_length=16, choices=roles.choices),
    )


def dated(verbose_name, precision_verbose_name):
    """An optional date and how precise the source is about it (a day, a month, a year):
    `launch_date, launch_precision = dated(_("launched"), _("precision of the launch date"))`."""
    return (
        models.DateField(verbose_name, null=True, blank=True),
        models.CharField(
            precision_verbose_name,
            max_length=8,
            choices=DatePrecision.choices,
            default=DatePrecision.DAY,
        ),
    )


def open_to(related_name):
    """Who may apply: the scope, the regions of a regional scope (reached from a
    region as `related_name`), and whether it serves every technology sector."""
    return (
        models.CharField(
            _("open to"),
            max_length=16,
            choices=OpenToScope.choices,
            blank=True,
            help_text=_("Where the firms it takes may come from; blank when no source says."),
        ),
        models.ManyToManyField(
            "directory.Region",
            verbose_name=_("open to firms from"),
            blank=True,
            related_name=related_name,
            help_text=_("Only when it is open to firms from the listed regions."),
        ),
        models.BooleanField(
            _("all technology sectors"),
            default=False,
            help_text=_("A source says it serves technology firms in general, not some sectors."),
        ),
    )


def public_list_indexes(prefix):
    """The public list of a kind, sorted by name and by newest within published
    records; ties broken by id so that paging is stable."""
    return [
        models.Index(fields=["status", "name", "id"], name=f"{prefix}_status_name_id"),
        models.Index(fields=["status", "-created_at", "-id"], name=f"{prefix}_status_created_id"),
    ]


class PublicationStatus(models.TextChoices):
    """Where a record stands in the editorial workflow; the public sees published ones."""

    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class DatePrecision(models.TextChoices):
    """How much of a date the source gives: "March 2024" is a month, shown as one."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class OpenToScope(models.TextChoices):
    """Where the firms a programme or service takes may come from (blank: not stated)."""

    MAINLAND = "mainland", _("Firms registered anywhere on the mainland")
    HONG_KONG = "hong_kong", _("Firms registered in Hong Kong")
    REGION = "region", _("Firms from the listed regions")
    ANYWHERE = "anywhere", _("Firms from anywhere")


class Seeded(models.Model):
    """A record the seed loader may write (see `directory.seeding`)."""

    # The seed loader's bookkeeping: which seed entry wrote this record, and a
    # fingerprint of what it wrote, so a later load can tell a staff edit
    # (current values no longer match the fingerprint) from an untouched record.
    seed_key = models.CharField(max_length=200, blank=True, editable=False)
    seed_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True


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


class Publishable(Seeded):
    """Editorial state shared by every record the public site shows."""

    status = publication_status()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    last_verified_on = models.DateField(_("last verified"), null=True, blank=True)
    verified_by = optional_link(settings.AUTH_USER_MODEL, _("verified by"), "+")

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

    # The relations to the records whose `search_related` includes this one:
    # their search text repeats its names, so a change of them is redone for
    # those too (`search.with_search_dependents`).
    search_dependent_relations = ()

    # The lookups from a record to the vocabulary terms (regions, sectors,
    # kinds of help) whose names its `search_related` repeats: renaming a
    # term redoes the search text of the records they reach
    # (`search.records_naming`).
    search_vocabulary = ()

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


def one_role_per_organisation(record_field):
    """An organisation holds one role in a record (`record_field` names the record)."""
    return models.UniqueConstraint(
        fields=[record_field, "organisation"], name=f"one_role_per_{record_field}_organisation"
    )


def organisation_in_role(record, roles):
    """The organisation in `record` holding the first of `roles` that anyone
    holds: the one that answers for the record."""
    rows = record.organisation_roles.select_related("organisation").order_by("pk")
    for role in roles:
        found = next((row.organisation for row in rows if row.role == role), None)
        if found:
            return found
    return None


class OrganisationRole(models.Model):
    """What one organisation does in a record (lead, host…): the rows behind a
    record's `organisations`. Subclasses add the record, the organisation (each
    with its own reverse name) and their `Role` choices."""

    class Meta:
        abstract = True
        ordering = ["role", "organisation__name"]
        verbose_name_plural = _("organisations and their roles")

    def __str__(self):
        return f"{self.organisation} – {self.get_role_display()}"


class Record(Publishable, Searchable, Translatable):
    """A kind of record the public site lists (organisation, programme, service,
    event): published through the workflow, searched, translated, supported by
    quotes from articles, and with every change kept in its history."""

    citations = GenericRelation("directory.Citation")

    # The search columns are derived from the rest: history leaves them out.
    history = HistoricalRecords(inherit=True, excluded_fields=list(Searchable.SEARCH_COLUMNS))

    # The URL name of the record's public page, which takes its slug.
    detail_view = None

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_url(self.detail_view, self.slug)
