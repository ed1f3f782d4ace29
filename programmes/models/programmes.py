from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.models import (
    Citation,
    DatePrecision,
    OpenToScope,
    Organisation,
    Publishable,
    Region,
    Searchable,
    Sector,
    Translatable,
    alternative_names,
    translated,
)

SEARCH_FIELDS_EXCLUDED_FROM_HISTORY = ["search_document", "search_vector", "search_names"]


class Programme(Publishable, Searchable, Translatable):
    class Kind(models.TextChoices):
        SERVICE_CENTRE = "service_centre", _("Service centre")
        PLATFORM = "platform", _("Platform")
        FUND = "fund", _("Fund")
        SERVICE_PLAN = "service_plan", _("Service plan")
        AGREEMENT = "agreement", _("Cooperation agreement or memorandum")
        EVENT_SERIES = "event_series", _("Event series")
        INITIATIVE = "initiative", _("Initiative")
        FACILITY = "facility", _("Facility or park")
        INDUSTRIAL_CLUSTER = "industrial_cluster", _("Industrial cluster")

    class LifecycleStatus(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        UNKNOWN = "unknown", _("Not stated")

    name, name_zh_hans, name_zh_hant = translated(models.CharField, _("name"), max_length=300)
    short_name = models.CharField(_("short name or acronym"), max_length=100, blank=True)
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
    summary, summary_zh_hans, summary_zh_hant = translated(
        models.CharField, _("summary"), max_length=500, blank=True
    )
    description, description_zh_hans, description_zh_hant = translated(
        models.TextField, _("description"), blank=True
    )
    organisations = models.ManyToManyField(
        Organisation,
        through="ProgrammeOrganisation",
        verbose_name=_("organisations"),
        related_name="programmes",
    )
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("regions served"),
        blank=True,
        related_name="programmes",
        help_text=_("Where the firms it helps are."),
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="programmes"
    )
    launch_date = models.DateField(_("launched"), null=True, blank=True)
    launch_precision = models.CharField(
        _("precision of the launch date"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    lifecycle = models.CharField(
        _("status"),
        max_length=16,
        choices=LifecycleStatus.choices,
        default=LifecycleStatus.UNKNOWN,
        db_index=True,
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    how_to_get_involved, how_to_get_involved_zh_hans, how_to_get_involved_zh_hant = translated(
        models.TextField, _("how to get involved"), blank=True
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
        related_name="open_programmes",
        help_text=_("Only when it is open to firms from the listed regions."),
    )
    all_sectors = models.BooleanField(
        _("all technology sectors"),
        default=False,
        help_text=_("A source says it serves technology firms in general, not some sectors."),
    )
    citations = GenericRelation(Citation)

    history = HistoricalRecords(excluded_fields=SEARCH_FIELDS_EXCLUDED_FROM_HISTORY)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        permissions = [("publish_programme", _("Can publish, unpublish and archive programmes"))]
        indexes = [
            # The public list sorted by name, and by newest, within published records.
            models.Index(fields=["status", "name", "id"], name="prog_status_name_id"),
            models.Index(fields=["status", "-created_at", "-id"], name="prog_status_created_id"),
            # The home page's "recently updated programmes".
            models.Index(fields=["status", "-updated_at", "-id"], name="prog_status_updated_id"),
            # The same sorts under a filter on one kind and one lifecycle
            # status: without them the list walks the sort index past every
            # published programme of another kind or status.
            models.Index(
                fields=["status", "kind", "lifecycle", "name", "id"], name="prog_kind_life_name_id"
            ),
            models.Index(
                fields=["status", "kind", "lifecycle", "-created_at", "-id"],
                name="prog_kind_life_created_id",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:programme_detail", args=[self.slug])

    def owning_organisation(self):
        """The organisation that answers for it: its lead, else its operator."""
        roles = self.organisation_roles.select_related("organisation").order_by("pk")
        for role in (ProgrammeOrganisation.Role.LEAD, ProgrammeOrganisation.Role.OPERATOR):
            found = next((r.organisation for r in roles if r.role == role), None)
            if found:
                return found
        return None

    def search_related(self):
        related = [role.organisation for role in self.organisation_roles.all()]
        related += [*self.regions.all(), *self.sectors.all()]
        return related + [service.category for service in self.services.all()]

    @classmethod
    def search_prefetch(cls, queryset):
        return queryset.prefetch_related(
            "organisation_roles__organisation", "regions", "sectors", "services__category"
        )

    @classmethod
    def related_changes(cls, since):
        return [
            ProgrammeOrganisation.objects.filter(
                programme=models.OuterRef("pk"), organisation__updated_at__date__gt=since
            )
        ]


class ProgrammeOrganisation(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        PARTNER = "partner", _("Partner")
        CO_ORGANISER = "co_organiser", _("Co-organiser")
        SUPPORTER = "supporter", _("Supporter")
        SIGNATORY = "signatory", _("Signatory")
        GUIDANCE = "guidance", _("Guidance")
        OPERATOR = "operator", _("Operator")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="organisation_roles"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="programme_roles",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("organisation’s role in a programme")
        verbose_name_plural = _("organisations and their roles")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="one_role_per_programme_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.get_role_display()}"
