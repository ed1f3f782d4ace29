import hashlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.text import normalise_whitespace


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PublicationStatus.PUBLISHED)

    def visible_to(self, user):
        """Staff preview drafts; everyone else sees published records only."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()


class Publishable(models.Model):
    """Editorial state shared by every record the public site shows."""

    status = models.CharField(
        _("publication status"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
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

    class Meta:
        abstract = True


class Region(Translatable):
    class Kind(models.TextChoices):
        SAR = "sar", _("Special administrative region")
        PROVINCE = "province", _("Province")
        MUNICIPALITY = "municipality", _("Municipality")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        ZONE = "zone", _("Zone or new area")
        COUNTRY = "country", _("Country")

    name = models.CharField(_("name"), max_length=200)
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=200, blank=True)
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    alternative_names = models.CharField(
        _("alternative names"),
        max_length=500,
        blank=True,
        help_text=_("Other spellings people search for, separated by commas (e.g. Xian)."),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    seed_key = models.CharField(max_length=200, blank=True, editable=False)
    seed_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90),
                name="region_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180),
                name="region_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:programme_list") + f"?region={self.slug}"

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A region cannot be part of itself.")})
            ancestor = ancestor.parent

    @classmethod
    def descendant_ids(cls, region_ids):
        """The given regions and everything below them (a province and its cities).

        One query over the region table, which stays small (a few thousand rows
        even with every county of China), walked in Python.
        """
        children = {}
        for pk, parent_id in cls.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, stack = set(), list(region_ids)
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.add(pk)
                stack.extend(children.get(pk, ()))
        return found


class Sector(Translatable):
    name = models.CharField(_("name"), max_length=200)
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=200, blank=True)
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    description_zh_hans = models.TextField(_("description (Simplified Chinese)"), blank=True)
    description_zh_hant = models.TextField(_("description (Traditional Chinese)"), blank=True)
    seed_key = models.CharField(max_length=200, blank=True, editable=False)
    seed_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:programme_list") + f"?sector={self.slug}"


class ServiceCategory(Translatable):
    name = models.CharField(_("name"), max_length=200)
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=200, blank=True)
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    description_zh_hans = models.TextField(_("description (Simplified Chinese)"), blank=True)
    description_zh_hant = models.TextField(_("description (Traditional Chinese)"), blank=True)
    alternative_names = models.CharField(
        _("alternative names"),
        max_length=500,
        blank=True,
        help_text=_("Abbreviations people search for, separated by commas (e.g. IP)."),
    )
    seed_key = models.CharField(max_length=200, blank=True, editable=False)
    seed_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kind of help")
        verbose_name_plural = _("kinds of help")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:programme_list") + f"?help={self.slug}"


class SourceArticle(models.Model):
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on = models.DateField(_("date published"), null=True, blank=True)
    published_precision = models.CharField(
        _("precision of the date"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    dateline = models.CharField(
        _("dateline as printed"),
        max_length=200,
        blank=True,
        help_text=_("The date as the article prints it, when it is not a full date."),
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    raw_text = models.TextField(_("raw text"))
    cleaned_text = models.TextField(_("cleaned text"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    seed_key = models.CharField(max_length=200, blank=True, editable=False)
    seed_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("source article")
        verbose_name_plural = _("source articles")

    def __str__(self):
        return self.title or self.slug

    def get_absolute_url(self):
        return reverse("directory:source_detail", args=[self.slug])

    def contains_quote(self, quote):
        return normalise_whitespace(quote) in normalise_whitespace(self.cleaned_text)


class Citation(models.Model):
    """A verbatim quote from a source article that supports a record."""

    article = models.ForeignKey(
        SourceArticle,
        verbose_name=_("article"),
        on_delete=models.PROTECT,
        related_name="citations",
    )
    quote = models.TextField(_("quote"), help_text=_("Copied word for word from the article."))
    supports = models.CharField(
        _("supports"),
        max_length=200,
        blank=True,
        help_text=_("Which facts of the record the quote supports, e.g. 'launch date'."),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article_id", "pk"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        indexes = [
            # Serves the prefetch of a record's citations on every detail page.
            models.Index(fields=["content_type", "object_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "article", "quote"],
                name="citation_unique_quote_per_record",
            ),
            models.CheckConstraint(condition=~models.Q(quote=""), name="citation_quote_not_empty"),
        ]

    def __str__(self):
        return f"{self.article}: “{self.quote[:60]}”"

    @property
    def anchor(self):
        return quote_anchor(self.quote)

    def clean(self):
        if self.article_id and self.quote and not self.article.contains_quote(self.quote):
            raise ValidationError(
                {"quote": _("This quote does not occur in the article’s cleaned text.")}
            )

    @property
    def quote_found(self):
        return self.article.contains_quote(self.quote)


def quote_anchor(quote):
    """The id of a quote's mark on its source page.

    Made from the words themselves, so every citation of the same words links
    to one mark (an article cited by 600 records holds one mark, not 600), and
    a record's page can link to it without asking the database.
    """
    digest = hashlib.sha1(normalise_whitespace(quote).encode(), usedforsecurity=False)
    return "quote-" + digest.hexdigest()[:12]


class Organisation(Publishable, Searchable, Translatable):
    class Kind(models.TextChoices):
        HK_GOVERNMENT = "hk_government", _("Hong Kong government body")
        STATUTORY_BODY = "statutory_body", _("Statutory body")
        HKSAR_MAINLAND_OFFICE = "hksar_mainland_office", _("HKSAR office on the mainland")
        MAINLAND_GOVERNMENT = "mainland_government", _("Mainland government body")
        INNOVATION_HUB = "innovation_hub", _("Innovation hub or zone")
        UNIVERSITY = "university", _("University or research institute")
        COMPANY = "company", _("Company")
        CHAMBER = "chamber", _("Chamber or association")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300)
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=300, blank=True)
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=300, blank=True)
    short_name = models.CharField(
        _("short name or acronym"), max_length=100, blank=True, help_text=_("e.g. HKPC, CDETO")
    )
    alternative_names = models.CharField(
        _("alternative names"),
        max_length=500,
        blank=True,
        help_text=_("Other names the articles use, separated by commas."),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("based in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_zh_hans = models.TextField(_("description (Simplified Chinese)"), blank=True)
    description_zh_hant = models.TextField(_("description (Traditional Chinese)"), blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True)
    citations = GenericRelation(Citation)

    history = HistoricalRecords(
        excluded_fields=["search_document", "search_vector", "search_names"]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [
            ("publish_organisation", _("Can publish, unpublish and archive organisations"))
        ]
        indexes = [
            # The public list: published organisations by name, and by newest.
            models.Index(fields=["status", "name", "id"], name="org_status_name_id"),
            models.Index(fields=["status", "-created_at", "-id"], name="org_status_created_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="organisation_not_own_parent"
            ),
        ]

    def __str__(self):
        if self.short_name:
            return f"{self.name} ({self.short_name})"
        return self.name

    def get_absolute_url(self):
        return reverse("directory:organisation_detail", args=[self.slug])

    def search_related(self):
        return [self.parent, self.region, *self.sectors.all()]

    @classmethod
    def search_prefetch(cls, queryset):
        return queryset.select_related("parent", "region").prefetch_related("sectors")

    @classmethod
    def related_changes(cls, since):
        return [cls.objects.filter(pk=models.OuterRef("parent_id"), updated_at__date__gt=since)]


class FacetEntry(models.Model):
    """One published record counted under one facet value; see `directory.facets`.

    Regions are rolled up: a programme in Shenzhen has entries for Shenzhen,
    Guangdong and China, so a region's count is a plain GROUP BY.
    """

    kind = models.CharField(max_length=16)
    facet = models.CharField(max_length=16)
    record_id = models.BigIntegerField()
    value = models.CharField(max_length=64)
    # An event's last day (its end, or its start when it has none); empty for
    # the other kinds. An upcoming-events list then counts its facets from one
    # index range per facet, instead of looking up each upcoming event's entries.
    until = models.DateField(null=True)

    class Meta:
        indexes = [
            # Counts for the records of a list, and a record's own entries.
            # Byte-wise text comparison (PostgreSQL; ignored elsewhere): only
            # equality is ever asked, and the index builds twice as fast.
            models.Index(
                fields=["kind", "facet", "record_id", "value"],
                name="facet_entry_lookup",
                opclasses=[
                    "varchar_pattern_ops",
                    "varchar_pattern_ops",
                    "int8_ops",
                    "varchar_pattern_ops",
                ],
            ),
            # A filter: the records with any of the selected values.
            models.Index(
                fields=["kind", "facet", "value", "record_id"],
                name="facet_entry_records",
                opclasses=[
                    "varchar_pattern_ops",
                    "varchar_pattern_ops",
                    "varchar_pattern_ops",
                    "int8_ops",
                ],
            ),
            # The facets of the events still to come: an index-only range
            # (PostgreSQL; SQLite has no INCLUDE and takes the plain index).
            models.Index(
                fields=["kind", "facet", "until"],
                include=["value"],
                condition=models.Q(until__isnull=False),
                name="facet_entry_until",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.record_id}: {self.facet}={self.value}"


class FacetTotal(models.Model):
    """How many published records of a kind have an entry for a facet value."""

    kind = models.CharField(max_length=16)
    facet = models.CharField(max_length=16)
    value = models.CharField(max_length=64)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "facet", "value"], name="one_facet_total"),
        ]
        indexes = [
            # The organisations with the most records, for the unfiltered lists.
            models.Index(fields=["kind", "facet", "-n", "value"], name="facet_total_largest"),
        ]

    def __str__(self):
        return f"{self.kind} {self.facet}={self.value}: {self.n}"


class NameWord(models.Model):
    """A word that occurs in some record's names (`search_names`).

    PostgreSQL's misspelling match compares each word of a query with this
    short list (a trigram index over single words) instead of with every
    record's names, and searches the look-alike words it finds as words of a
    name. Added to by `search.refresh_search_index`; never pruned, since a word
    that no record has any more finds nothing.
    """

    word = models.CharField(max_length=100, primary_key=True)

    def __str__(self):
        return self.word
