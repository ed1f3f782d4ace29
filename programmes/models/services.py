from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.models import (
    Citation,
    OpenToScope,
    Organisation,
    Publishable,
    Region,
    Searchable,
    ServiceCategory,
    Translatable,
    translated,
)
from programmes.models.programmes import (
    SEARCH_FIELDS_EXCLUDED_FROM_HISTORY,
    Programme,
)


class Service(Publishable, Searchable, Translatable):
    name, name_zh_hans, name_zh_hant = translated(models.CharField, _("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
    )
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        null=True,
        blank=True,
        help_text=_(
            "Blank when the source names no single provider: the page then names the "
            "programme and the bodies that run it."
        ),
        on_delete=models.PROTECT,
        related_name="services",
    )
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("kind of help"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    audience, audience_zh_hans, audience_zh_hant = translated(
        models.CharField, _("who it is for"), max_length=500, blank=True
    )
    open_to_scope = models.CharField(
        _("open to"),
        max_length=16,
        choices=OpenToScope.choices,
        blank=True,
        help_text=_("Where the firms it takes may come from; blank when no source says."),
    )
    open_to_regions = models.ManyToManyField(
        Region,
        verbose_name=_("open to firms from"),
        blank=True,
        related_name="open_services",
        help_text=_("Only when it is open to firms from the listed regions."),
    )
    all_sectors = models.BooleanField(
        _("all technology sectors"),
        default=False,
        help_text=_("A source says it serves technology firms in general, not some sectors."),
    )
    description, description_zh_hans, description_zh_hant = translated(
        models.TextField, _("description"), blank=True
    )
    citations = GenericRelation(Citation)

    history = HistoricalRecords(excluded_fields=SEARCH_FIELDS_EXCLUDED_FROM_HISTORY)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        permissions = [("publish_service", _("Can publish, unpublish and archive services"))]
        indexes = [
            models.Index(fields=["status", "name", "id"], name="svc_status_name_id"),
            models.Index(fields=["status", "-created_at", "-id"], name="svc_status_created_id"),
            # The home page's "recently updated services".
            models.Index(fields=["status", "-updated_at", "-id"], name="svc_status_updated_id"),
            # The same sorts under a filter on one kind of help: names that
            # follow their category ("Market entry advice for ...") put a
            # category's services together, and the list walked the name
            # index past 85,000 services to show 20 (300 ms at 200,000).
            models.Index(fields=["status", "category", "name", "id"], name="svc_category_name_id"),
            models.Index(
                fields=["status", "category", "-created_at", "-id"], name="svc_category_created_id"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:service_detail", args=[self.slug])

    def owning_organisation(self):
        return self.provider

    def search_related(self):
        related = [self.provider, self.programme, self.category]
        if self.provider:
            related.append(self.provider.region)
        if self.programme:
            related += list(self.programme.regions.all())
        return related

    def search_extra_summary(self):
        return self.audience

    @classmethod
    def search_prefetch(cls, queryset):
        return queryset.select_related(
            "provider__region", "programme", "category"
        ).prefetch_related("programme__regions")

    @classmethod
    def related_changes(cls, since):
        return [
            Organisation.objects.filter(
                pk=models.OuterRef("provider_id"), updated_at__date__gt=since
            ),
            Programme.objects.filter(
                pk=models.OuterRef("programme_id"), updated_at__date__gt=since
            ),
        ]
