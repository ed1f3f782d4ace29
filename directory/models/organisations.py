from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.models.base import (
    Publishable,
    Searchable,
    Translatable,
    alternative_names,
    translated,
)
from directory.models.sources import Citation
from directory.models.vocabulary import Region, Sector


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

    name, name_zh_hans, name_zh_hant = translated(models.CharField, _("name"), max_length=300)
    short_name = models.CharField(
        _("short name or acronym"), max_length=100, blank=True, help_text=_("e.g. HKPC, CDETO")
    )
    short_name_zh_hans = models.CharField(
        _("short name (Simplified Chinese)"), max_length=100, blank=True
    )
    short_name_zh_hant = models.CharField(
        _("short name (Traditional Chinese)"), max_length=100, blank=True
    )
    (
        alternative_names,
        alternative_names_zh_hans,
        alternative_names_zh_hant,
    ) = alternative_names(_("Other names the articles use, separated by commas."))
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
    # Public contact points, shown on its page and as the contact of what it
    # runs; filled only from a source (its own site or an article), never guessed.
    email = models.EmailField(
        _("public email"),
        blank=True,
        help_text=_("Shown on the public site. Only an address a source gives."),
    )
    phone = models.CharField(
        _("public phone"),
        max_length=40,
        blank=True,
        help_text=_("Shown on the public site, as the source prints it, with its country code."),
    )
    description, description_zh_hans, description_zh_hant = translated(
        models.TextField, _("description"), blank=True
    )
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True)
    # Where enquiries about its records go; never shown on the public site.
    staff_contact_email = models.EmailField(
        _("staff contact email"),
        blank=True,
        help_text=_("Not public: enquiries about its records are sent here."),
    )
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

    def owning_organisation(self):
        return self

    def search_related(self):
        return [self.parent, self.region, *self.sectors.all()]

    @classmethod
    def search_prefetch(cls, queryset):
        return queryset.select_related("parent", "region").prefetch_related("sectors")

    @classmethod
    def related_changes(cls, since):
        return [cls.objects.filter(pk=models.OuterRef("parent_id"), updated_at__date__gt=since)]
