from import_export import fields

from directory.admin.resources import (
    PublishableResource,
    RolesField,
    SlugsWidget,
    slug_of,
    verified_on_field,
)
from directory.models import Organisation, Region, Sector, ServiceCategory
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service


class ProgrammeResource(PublishableResource):
    regions = fields.Field("regions", "regions", SlugsWidget(Region))
    open_to_regions = fields.Field("open_to_regions", "open_to_regions", SlugsWidget(Region))
    sectors = fields.Field("sectors", "sectors", SlugsWidget(Sector))
    organisations = RolesField(ProgrammeOrganisation, "programme")
    last_verified_on = verified_on_field()

    class Meta:
        model = Programme
        import_id_fields = ["slug"]
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
        clean_model_instances = True
        skip_diff = False
        use_transactions = True


class ServiceResource(PublishableResource):
    programme = fields.Field("programme", "programme", slug_of(Programme))
    provider = fields.Field("provider", "provider", slug_of(Organisation))
    category = fields.Field("category", "category", slug_of(ServiceCategory))
    open_to_regions = fields.Field("open_to_regions", "open_to_regions", SlugsWidget(Region))
    last_verified_on = verified_on_field()

    class Meta:
        model = Service
        import_id_fields = ["slug"]
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
        clean_model_instances = True
        skip_diff = False
        use_transactions = True


class EventResource(PublishableResource):
    series = fields.Field("series", "series", slug_of(Programme))
    part_of = fields.Field("part_of", "part_of", slug_of(Event))
    city = fields.Field("city", "city", slug_of(Region))
    regions = fields.Field("regions", "regions", SlugsWidget(Region))
    sectors = fields.Field("sectors", "sectors", SlugsWidget(Sector))
    programmes = fields.Field("programmes", "programmes", SlugsWidget(Programme))
    organisations = RolesField(EventOrganisation, "event")
    last_verified_on = verified_on_field()

    class Meta:
        model = Event
        import_id_fields = ["slug"]
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
        clean_model_instances = True
        skip_diff = False
        use_transactions = True
