"""The shared vocabularies records are filed under: regions, sectors, kinds of help."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.models.base import Translatable, alternative_names, translated


class Region(Translatable):
    class Kind(models.TextChoices):
        SAR = "sar", _("Special administrative region")
        PROVINCE = "province", _("Province")
        MUNICIPALITY = "municipality", _("Municipality")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        ZONE = "zone", _("Zone or new area")
        COUNTRY = "country", _("Country")

    name, name_zh_hans, name_zh_hant = translated(models.CharField, _("name"), max_length=200)
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
    name, name_zh_hans, name_zh_hant = translated(models.CharField, _("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description, description_zh_hans, description_zh_hant = translated(
        models.TextField, _("description"), blank=True
    )
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
    name, name_zh_hans, name_zh_hant = translated(models.CharField, _("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description, description_zh_hans, description_zh_hant = translated(
        models.TextField, _("description"), blank=True
    )
    (
        alternative_names,
        alternative_names_zh_hans,
        alternative_names_zh_hant,
    ) = alternative_names(_("Abbreviations people search for, separated by commas (e.g. IP)."))
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
