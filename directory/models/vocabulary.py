"""The shared vocabularies records are filed under: regions, sectors, kinds of help."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.models.base import (
    Seeded,
    Translatable,
    alternative_names,
    descriptions,
    optional_link,
    translated,
)


class Term(Seeded, Translatable):
    """A term of a vocabulary; its page is the programme list filtered by it."""

    name, name_zh_hans, name_zh_hant = translated(models.CharField, _("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    # The programme list's GET parameter that filters by a term of this vocabulary.
    list_parameter = None

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:programme_list") + f"?{self.list_parameter}={self.slug}"


class Region(Term):
    class Kind(models.TextChoices):
        SAR = "sar", _("Special administrative region")
        PROVINCE = "province", _("Province")
        MUNICIPALITY = "municipality", _("Municipality")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        ZONE = "zone", _("Zone or new area")
        COUNTRY = "country", _("Country")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = optional_link("self", _("part of"), "children", on_delete=models.PROTECT)
    (
        alternative_names,
        alternative_names_zh_hans,
        alternative_names_zh_hant,
    ) = alternative_names(_("Other spellings people search for, separated by commas (e.g. Xian)."))
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    list_parameter = "region"

    history = HistoricalRecords()

    class Meta(Term.Meta):
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
        return with_descendants(region_ids, cls.objects.values_list("pk", "parent_id"))


def with_descendants(region_ids, regions):
    """`region_ids` and the ids of every region below them, walking `regions`:
    rows that start with a region's id and its parent's."""
    children = {}
    for pk, parent_id, *_rest in regions:
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), list(region_ids)
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, ()))
    return found


class Sector(Term):
    description, description_zh_hans, description_zh_hant = descriptions()

    list_parameter = "sector"

    history = HistoricalRecords()

    class Meta(Term.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class ServiceCategory(Term):
    description, description_zh_hans, description_zh_hant = descriptions()
    (
        alternative_names,
        alternative_names_zh_hans,
        alternative_names_zh_hant,
    ) = alternative_names(_("Abbreviations people search for, separated by commas (e.g. IP)."))

    list_parameter = "help"

    history = HistoricalRecords()

    class Meta(Term.Meta):
        verbose_name = _("kind of help")
        verbose_name_plural = _("kinds of help")
