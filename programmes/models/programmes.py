from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from directory.models import Organisation, OrganisationRole, Record, Region, Sector
from directory.models.base import (
    alternative_names,
    dated,
    descriptions,
    one_role_per_organisation,
    open_to,
    organisation_and_role,
    organisation_in_role,
    public_list_indexes,
    short_names,
    summaries,
    translated,
)
from directory.models.slugs import not_reserved


class Programme(Record):
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
    short_name, short_name_zh_hans, short_name_zh_hant = short_names()
    (
        alternative_names,
        alternative_names_zh_hans,
        alternative_names_zh_hant,
    ) = alternative_names(_("Other names the articles use, separated by commas."))
    slug = models.SlugField(_("slug"), max_length=200, unique=True, validators=[not_reserved])
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    summary, summary_zh_hans, summary_zh_hant = summaries()
    description, description_zh_hans, description_zh_hant = descriptions()
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
    launch_date, launch_precision = dated(_("launched"), _("precision of the launch date"))
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
    open_to_scope, open_to_regions, all_sectors = open_to("open_programmes")

    detail_view = "programmes:programme_detail"

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        permissions = [("publish_programme", _("Can publish, unpublish and archive programmes"))]
        indexes = [
            *public_list_indexes("prog"),
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

    def owning_organisation(self):
        """The organisation that answers for it: its lead, else its operator."""
        roles = ProgrammeOrganisation.Role
        return organisation_in_role(self, (roles.LEAD, roles.OPERATOR))

    def search_related(self):
        related = [role.organisation for role in self.organisation_roles.all()]
        related += [*self.regions.all(), *self.sectors.all()]
        return related + [service.category for service in self.services.all()]

    # Its services and the events about it are found by its name, and so
    # are the editions of an event series.
    search_dependent_relations = ("services", "events", "editions")
    search_vocabulary = ("regions", "sectors", "services__category")

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


class ProgrammeOrganisation(OrganisationRole):
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
    organisation, role = organisation_and_role("programme_roles", Role)

    history = HistoricalRecords()

    class Meta(OrganisationRole.Meta):
        verbose_name = _("organisation’s role in a programme")
        constraints = [one_role_per_organisation("programme")]
