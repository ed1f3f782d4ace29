"""The articles records are taken from, and the quotes that support them."""

import hashlib

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.models.base import (
    PublicationStatus,
    PublishableQuerySet,
    Seeded,
    Translatable,
    dated,
    publication_status,
    translated,
)
from directory.text import normalise_whitespace


class SourceArticle(Seeded, Translatable):
    """An article the directory quotes. It goes through the same workflow as
    the records (directory/workflow.py): public only once published."""

    status = publication_status()
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title, title_zh_hans, title_zh_hant = translated(
        models.CharField,
        _("title"),
        max_length=500,
        blank=True,
        help_text=_("The headline the article prints."),
    )
    given_title, given_title_zh_hans, given_title_zh_hant = translated(
        models.CharField,
        _("title given by the directory"),
        max_length=500,
        blank=True,
        help_text=_("A descriptive title for an article that prints no headline."),
    )
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on, published_precision = dated(_("date published"), _("precision of the date"))
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

    history = HistoricalRecords()

    objects = PublishableQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("source article")
        verbose_name_plural = _("source articles")
        permissions = [
            ("publish_sourcearticle", _("Can publish, unpublish and archive source articles"))
        ]

    @property
    def is_published(self):
        return self.status == PublicationStatus.PUBLISHED

    def __str__(self):
        return self.title or self.given_title or self.slug

    def get_absolute_url(self):
        return reverse("directory:source_detail", args=[self.slug])

    def contains_quote(self, quote):
        return normalise_whitespace(quote) in normalise_whitespace(self.cleaned_text)


class CitationQuerySet(models.QuerySet):
    def in_published_articles(self):
        """What the public may read: an unpublished article's quotes are not."""
        return self.filter(article__status=PublicationStatus.PUBLISHED)


class KeyFact(models.TextChoices):
    """The facts of a record page's key-facts panel a quote can back: its
    reference number is shown beside each one it is marked with."""

    NAME = "name", _("Name")
    RUNS = "runs", _("Runs it")
    PARTNERS = "partners", _("Partners")
    FOR_WHOM = "for_whom", _("For whom")
    HELP = "help", _("Kind of help")
    WHERE = "where", _("Where")
    STATUS = "status", _("Status")
    DATE = "date", _("Date")
    ATTENDANCE = "attendance", _("Attendance")
    SECTORS = "sectors", _("Sectors")


def unknown_facts(facts):
    """The entries of `facts` that are not `KeyFact` values (or all of it, as
    one entry, when it is not a list)."""
    if not isinstance(facts, list):
        return [facts]
    return [fact for fact in facts if fact not in KeyFact.values]


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
        help_text=_("A note on what the quote supports, in your words, e.g. 'launch date'."),
    )
    facts = models.JSONField(
        _("key facts it backs"),
        default=list,
        blank=True,
        help_text=_(
            "The page shows this quote's reference number beside each fact ticked here; "
            "with none ticked, beside the summary."
        ),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    objects = CitationQuerySet.as_manager()

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
        if wrong := unknown_facts(self.facts):
            raise ValidationError(
                {"facts": _("Not a key fact: %(facts)s.") % {"facts": ", ".join(map(str, wrong))}}
            )
        if self.article_id and self.quote and not self.article.contains_quote(self.quote):
            raise ValidationError(
                {"quote": _("This quote does not occur in the article’s cleaned text.")}
            )

    @property
    def fact_labels(self):
        """The names of the key facts the quote backs, in the reader's language."""
        return [KeyFact(fact).label for fact in self.facts or () if fact in KeyFact.values]

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
