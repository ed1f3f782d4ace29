from django.contrib import admin
from django.db.models import Max, Min, Prefetch
from django.utils.translation import gettext_lazy as _

from directory.admin.base import (
    PUBLISHABLE_FILTERS,
    CitationInline,
    PublishableAdmin,
    record_fieldsets,
)
from directory.admin.columns import publication_status
from directory.admin.editorial import StaffConfirmationInline
from directory.admin.filters import (
    SectorFilter,
    organisation_filter,
    region_filter,
    titled_choices,
)
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service
from programmes.resources import EventResource, ProgrammeResource, ServiceResource


class RoleInline(admin.TabularInline):
    """The organisations of a programme or event, one role each."""

    extra = 0
    autocomplete_fields = ["organisation"]
    verbose_name_plural = _("organisations and their roles")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


class ProgrammeOrganisationInline(RoleInline):
    model = ProgrammeOrganisation


class ServiceInline(admin.TabularInline):
    """Services of the programme. Status is not here: a service is published
    from its own page, by someone allowed to."""

    model = Service
    fk_name = "programme"
    extra = 0
    fields = ["name", "slug", "provider", "category", "audience"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["provider", "category"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("provider", "category")


class EventOrganisationInline(RoleInline):
    model = EventOrganisation


class SessionInline(admin.TabularInline):
    model = Event
    fk_name = "part_of"
    extra = 0
    fields = ["name", "slug", "kind", "start_date", "end_date", "venue"]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True
    verbose_name = _("session")
    verbose_name_plural = _("sessions and sub-events")


def organisations_column(record):
    return ", ".join(
        role.organisation.short_name or role.organisation.name
        for role in record.organisation_roles.all()
    )


@admin.register(Programme)
class ProgrammeAdmin(PublishableAdmin):
    resource_classes = [ProgrammeResource]
    # Short names are found by the search box; kind and the statuses are
    # short words, so the list fits a 1280 px screen beside its filters.
    list_display = [
        "name",
        "organisations_list",
        "kind",
        "lifecycle_status",
        publication_status,
        "last_verified_on",
        "updated_at",
    ]
    list_filter = [
        *PUBLISHABLE_FILTERS,
        "kind",
        ("lifecycle", titled_choices(_("lifecycle status"))),
        region_filter("regions"),
        organisation_filter("organisation_roles__organisation"),
        SectorFilter,
        ("launch_date", admin.DateFieldListFilter),
        ("updated_at", admin.DateFieldListFilter),
    ]
    # Each has an index (name, id) and so on; kind and statuses have filters instead.
    sortable_by = ["name", "short_name", "last_verified_on", "updated_at"]
    search_fields = [
        "name",
        "name_zh_hans",
        "name_zh_hant",
        "short_name",
        "alternative_names",
        "slug",
        "organisation_roles__organisation__short_name",
        "organisation_roles__organisation__name",
    ]
    autocomplete_fields = ["regions", "sectors", "open_to_regions"]
    inlines = [ProgrammeOrganisationInline, ServiceInline, CitationInline, StaffConfirmationInline]
    fieldsets = record_fieldsets(
        Programme,
        [
            "name",
            "short_name",
            "alternative_names",
            "slug",
            "kind",
            "summary",
            "description",
            "regions",
            "sectors",
            "all_sectors",
            ("open_to_scope", "open_to_regions"),
            ("launch_date", "launch_precision"),
            "lifecycle",
            "website",
            "how_to_get_involved",
        ],
    )

    def get_queryset(self, request):
        roles = ProgrammeOrganisation.objects.select_related("organisation")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("organisation_roles", queryset=roles))
        )

    @admin.display(description=_("organisations"))
    def organisations_list(self, programme):
        return organisations_column(programme)

    @admin.display(description=_("lifecycle status"))
    def lifecycle_status(self, programme):
        return programme.get_lifecycle_display()


@admin.register(Service)
class ServiceAdmin(PublishableAdmin):
    resource_classes = [ServiceResource]
    list_display = [
        "name",
        "provider",
        "category",
        "programme",
        publication_status,
        "last_verified_on",
        "updated_at",
    ]
    list_filter = [
        *PUBLISHABLE_FILTERS,
        "category",
        region_filter("programme__regions"),
        organisation_filter("provider"),
        ("updated_at", admin.DateFieldListFilter),
    ]
    # Each has an index (name, id) and so on; the related records' columns
    # would sort every service by a joined name.
    sortable_by = ["name", "last_verified_on", "updated_at"]
    list_select_related = ["provider", "category", "programme"]
    search_fields = [
        "name",
        "name_zh_hans",
        "name_zh_hant",
        "slug",
        "audience",
        "provider__name",
        "provider__short_name",
        "programme__name",
        "programme__short_name",
    ]
    autocomplete_fields = ["programme", "provider", "category", "open_to_regions"]
    fieldsets = record_fieldsets(
        Service,
        [
            "name",
            "slug",
            "programme",
            "provider",
            "category",
            "audience",
            ("open_to_scope", "open_to_regions"),
            "all_sectors",
            "description",
        ],
    )


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    resource_classes = [EventResource]
    list_display = [
        "name",
        "kind",
        "start_date",
        "end_date",
        "city",
        "series",
        publication_status,
        "last_verified_on",
    ]
    list_filter = [
        *PUBLISHABLE_FILTERS,
        "kind",
        region_filter("city"),
        organisation_filter("organisation_roles__organisation"),
        SectorFilter,
        ("start_date", admin.DateFieldListFilter),
        ("updated_at", admin.DateFieldListFilter),
    ]
    # Each has an index (start_date, name, id) and so on; kind and status have filters.
    sortable_by = ["name", "start_date", "end_date", "last_verified_on"]
    list_select_related = ["city", "series"]
    date_hierarchy = "start_date"
    change_list_template = "admin/programmes/event/change_list.html"
    search_fields = [
        "name",
        "name_zh_hans",
        "name_zh_hant",
        "slug",
        "summary",
        "venue",
        "series__name",
        "organisation_roles__organisation__short_name",
        "organisation_roles__organisation__name",
    ]
    autocomplete_fields = ["series", "part_of", "city", "regions", "sectors", "programmes"]
    inlines = [EventOrganisationInline, SessionInline, CitationInline, StaffConfirmationInline]
    fieldsets = record_fieldsets(
        Event,
        [
            "name",
            "slug",
            "kind",
            ("series", "edition"),
            "part_of",
            "summary",
            "description",
            ("start_date", "start_precision"),
            ("end_date", "end_precision"),
            "venue",
            "city",
            "regions",
            "sectors",
            "programmes",
            ("attendance", "attendance_qualifier"),
            "attendance_text",
        ],
    )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            response.context_data["year_links"] = year_links(changelist)
        return response


def year_links(changelist):
    """The first level of the date hierarchy: every year from the first start
    date of any event to the last, read from the two ends of the date index.
    Django's own finds the years that have listed events by reading every
    listed row, a tenth of a second on a broad filter; the ends of the
    *filtered* list would make PostgreSQL walk the date index past every
    non-matching row (0.4 s for a rare search term). So on a filtered list a
    year may hold no match. None once a year is chosen (Django's lists its
    months cheaply) or when all events fall in one year."""
    field = changelist.date_hierarchy
    if any(key.startswith(f"{field}__") for key in changelist.params):
        return None
    dates = changelist.model._default_manager.aggregate(first=Min(field), last=Max(field))
    if dates["first"] is None or dates["first"].year == dates["last"].year:
        return None
    return [
        {
            "link": changelist.get_query_string({f"{field}__year": str(year)}, [f"{field}__"]),
            "title": str(year),
        }
        for year in range(dates["first"].year, dates["last"].year + 1)
    ]
