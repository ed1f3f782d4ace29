from directory.admin.resources import (
    PublishableResource,
    RolesField,
    slug_field,
    slugs_field,
    verified_on_field,
)
from directory.models import Organisation, Region, Sector, ServiceCategory
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service


class ProgrammeResource(PublishableResource):
    regions = slugs_field("regions", Region)
    open_to_regions = slugs_field("open_to_regions", Region)
    sectors = slugs_field("sectors", Sector)
    organisations = RolesField(ProgrammeOrganisation, "programme")
    last_verified_on = verified_on_field()

    class Meta(PublishableResource.Meta):
        model = Programme
        fields = [
            "slug",
            "name",
            "short_name",
            "alternative_names",
            "kind",
            "summary",
            "description",
            "organisations",
            "regions",
            "sectors",
            "launch_date",
            "launch_precision",
            "lifecycle",
            "website",
            "how_to_get_involved",
            "open_to_scope",
            "open_to_regions",
            "all_sectors",
            "status",
            "last_verified_on",
        ]
        export_order = fields


class ServiceResource(PublishableResource):
    programme = slug_field("programme", Programme)
    provider = slug_field("provider", Organisation)
    category = slug_field("category", ServiceCategory)
    open_to_regions = slugs_field("open_to_regions", Region)
    last_verified_on = verified_on_field()

    class Meta(PublishableResource.Meta):
        model = Service
        fields = [
            "slug",
            "name",
            "programme",
            "provider",
            "category",
            "audience",
            "description",
            "open_to_scope",
            "open_to_regions",
            "all_sectors",
            "status",
            "last_verified_on",
        ]
        export_order = fields


class EventResource(PublishableResource):
    series = slug_field("series", Programme)
    part_of = slug_field("part_of", Event)
    city = slug_field("city", Region)
    regions = slugs_field("regions", Region)
    sectors = slugs_field("sectors", Sector)
    programmes = slugs_field("programmes", Programme)
    organisations = RolesField(EventOrganisation, "event")
    last_verified_on = verified_on_field()

    class Meta(PublishableResource.Meta):
        model = Event
        fields = [
            "slug",
            "name",
            "kind",
            "series",
            "edition",
            "part_of",
            "summary",
            "description",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "venue",
            "city",
            "regions",
            "sectors",
            "programmes",
            "organisations",
            "attendance",
            "attendance_qualifier",
            "attendance_text",
            "status",
            "last_verified_on",
        ]
        export_order = fields
