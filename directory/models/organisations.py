from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models.base import (
    Record,
    alternative_names,
    descriptions,
    optional_link,
    public_list_indexes,
    short_names,
    translated,
)
from directory.models.slugs import not_reserved
from directory.models.vocabulary import Region, Sector


class Organisation(Record):
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
    short_name, short_name_zh_hans, short_name_zh_hant = short_names(_("e.g. HKPC, CDETO"))
    (
        alternative_names,
        alternative_names_zh_hans,
        alternative_names_zh_hant,
    ) = alternative_names(_("Other names the articles use, separated by commas."))
    slug = models.SlugField(_("slug"), max_length=200, unique=True, validators=[not_reserved])
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    parent = optional_link("self", _("part of"), "children")
    region = optional_link(Region, _("based in"), "organisations")
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
    description, description_zh_hans, description_zh_hant = descriptions()
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True)
    # Where enquiries about its records go; never shown on the public site.
    staff_contact_email = models.EmailField(
        _("staff contact email"),
        blank=True,
        help_text=_("Not public: enquiries about its records are sent here."),
    )

    detail_view = "directory:organisation_detail"

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [
            ("publish_organisation", _("Can publish, unpublish and archive organisations"))
        ]
        indexes = public_list_indexes("org")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="organisation_not_own_parent"
            ),
        ]

    def __str__(self):
        if self.short_name:
            return f"{self.name} ({self.short_name})"
        return self.name

    def owning_organisation(self):
        return self

    def search_related(self):
        return [self.parent, self.region, *self.sectors.all()]

    # Programmes, services and events are found by their partners' names,
    # and organisations by the name of the one they are part of.
    search_dependent_relations = ("children", "programmes", "services", "events")
    search_vocabulary = ("region", "sectors")

    @classmethod
    def search_prefetch(cls, queryset):
        return queryset.select_related("parent", "region").prefetch_related("sectors")

    @classmethod
    def related_changes(cls, since):
        return [cls.objects.filter(pk=models.OuterRef("parent_id"), updated_at__date__gt=since)]
