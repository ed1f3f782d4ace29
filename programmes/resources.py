from directory.admin.resources import PublishableResource, RolesField, record_fields
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service

# Who may apply: the columns of a record that says so.
OPEN_TO = ("open_to_scope", "open_to_regions", "all_sectors")


class ProgrammeResource(PublishableResource):
    organisations = RolesField(ProgrammeOrganisation, "programme")

    class Meta(PublishableResource.Meta):
        model = Programme
        fields = record_fields(
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
            *OPEN_TO,
        )
        export_order = fields


class ServiceResource(PublishableResource):
    class Meta(PublishableResource.Meta):
        model = Service
        fields = record_fields(
            "programme", "provider", "category", "audience", "description", *OPEN_TO
        )
        export_order = fields


class EventResource(PublishableResource):
    organisations = RolesField(EventOrganisation, "event")

    class Meta(PublishableResource.Meta):
        model = Event
        fields = record_fields(
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
        )
        export_order = fields
