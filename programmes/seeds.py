"""The seed files of programmes, services and events."""

from directory.seeding import Spec
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service

PROGRAMMES = Spec(
    file="programmes.yaml",
    model=Programme,
    fields=(
        "name",
        "short_name",
        "alternative_names",
        "kind",
        "summary",
        "description",
        "lifecycle",
        "website",
        "how_to_get_involved",
    ),
    many_to_many={"regions": "regions.yaml", "sectors": "sectors.yaml"},
    dates={"launch_date": "launch"},
    list_fields=("alternative_names",),
    roles=(ProgrammeOrganisation, "programme"),
    citations=True,
    publishable=True,
)
SERVICES = Spec(
    file="services.yaml",
    model=Service,
    fields=("name", "audience", "description"),
    foreign_keys={
        "programme": "programmes.yaml",
        "provider": "organisations.yaml",
        "category": "categories.yaml",
    },
    citations=True,
    publishable=True,
)
EVENTS = Spec(
    file="events.yaml",
    model=Event,
    fields=(
        "name",
        "kind",
        "edition",
        "summary",
        "description",
        "venue",
        "attendance",
        "attendance_text",
    ),
    foreign_keys={"series": "programmes.yaml", "part_of": "events.yaml", "city": "regions.yaml"},
    many_to_many={
        "regions": "regions.yaml",
        "sectors": "sectors.yaml",
        "programmes": "programmes.yaml",
    },
    dates={"start_date": "start", "end_date": "end"},
    roles=(EventOrganisation, "event"),
    citations=True,
    publishable=True,
    integers=("attendance",),
)

SPECS = (PROGRAMMES, SERVICES, EVENTS)
