from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation, Record, ServiceCategory
from directory.models.base import (
    descriptions,
    open_to,
    optional_link,
    public_list_indexes,
    translated,
)
from directory.models.slugs import not_reserved
from programmes.models.programmes import Programme


class Service(Record):
    name, name_zh_hans, name_zh_hant = translated(models.CharField, _("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, validators=[not_reserved])
    programme = optional_link(Programme, _("programme"), "services")
    provider = optional_link(
        Organisation,
        _("provider"),
        "services",
        on_delete=models.PROTECT,
        help_text=_(
            "Blank when the source names no single provider: the page then names the "
            "programme and the bodies that run it."
        ),
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
    open_to_scope, open_to_regions, all_sectors = open_to("open_services")
    description, description_zh_hans, description_zh_hant = descriptions()

    detail_view = "programmes:service_detail"

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        permissions = [("publish_service", _("Can publish, unpublish and archive services"))]
        indexes = [
            *public_list_indexes("svc"),
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

    def owning_organisation(self):
        return self.provider

    def search_related(self):
        related = [self.provider, self.programme, self.category]
        if self.provider:
            related.append(self.provider.region)
        if self.programme:
            related += list(self.programme.regions.all())
        return related

    search_vocabulary = ("category", "provider__region", "programme__regions")

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
