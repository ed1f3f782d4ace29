"""The seed files of programmes, services and events."""

from directory.seeding import SeedError, Spec
from directory.seeding.specs import ALIASES, with_chinese
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service


def _published(file, model, *, open_to=False, **options):
    """The seed file of a kind of record that is published through the workflow,
    its facts cited and its official Chinese names listed; `open_to`: it says
    who may apply (`open_to`) and whether it serves every sector."""
    if open_to:
        options.update(open_to=True, booleans=("all_sectors",))
    return Spec(
        file=file,
        model=model,
        citations=True,
        publishable=True,
        json_lists=("zh_official",),
        **options,
    )


PROGRAMMES = _published(
    "programmes.yaml",
    Programme,
    open_to=True,
    fields=with_chinese(
        "name",
        "short_name",
        "alternative_names",
        "kind",
        "summary",
        "description",
        "lifecycle",
        "website",
        "how_to_get_involved",
        "all_sectors",
    ),
    many_to_many={
        "regions": "regions.yaml",
        "sectors": "sectors.yaml",
        "open_to_regions": "regions.yaml",
    },
    dates={"launch_date": "launch"},
    list_fields=ALIASES,
    roles=(ProgrammeOrganisation, "programme"),
)
SERVICES = _published(
    "services.yaml",
    Service,
    open_to=True,
    fields=with_chinese("name", "audience", "description", "all_sectors"),
    foreign_keys={
        "programme": "programmes.yaml",
        "provider": "organisations.yaml",
        "category": "categories.yaml",
    },
    many_to_many={"open_to_regions": "regions.yaml"},
    joint_providers=True,
)
EVENTS = _published(
    "events.yaml",
    Event,
    fields=with_chinese(
        "name",
        "kind",
        "edition",
        "summary",
        "description",
        "venue",
        "attendance",
        "attendance_text",
        "attendance_qualifier",
    ),
    foreign_keys={"series": "programmes.yaml", "part_of": "events.yaml", "city": "regions.yaml"},
    many_to_many={
        "regions": "regions.yaml",
        "sectors": "sectors.yaml",
        "programmes": "programmes.yaml",
    },
    dates={"start_date": "start", "end_date": "end"},
    roles=(EventOrganisation, "event"),
    integers=("attendance",),
)

SPECS = (PROGRAMMES, SERVICES, EVENTS)


def check_joint_providers(entries):
    """Bodies credited jointly with a service must run its programme: the
    service page names them through the programme's organisations."""
    programmes = {entry.slug: entry for entry in entries if entry.spec.file == "programmes.yaml"}
    for entry in entries:
        if not entry.joint_providers:
            continue
        programme = programmes.get(entry.foreign_keys.get("programme"))
        if programme is None:
            raise SeedError(
                entry.spec.file, entry.slug, "'providers' needs the 'programme' they run"
            )
        running = {slug for slug, _role in programme.roles}
        missing = [slug for slug in entry.joint_providers if slug not in running]
        if missing:
            raise SeedError(
                entry.spec.file,
                entry.slug,
                f"'providers' {', '.join(missing)} are not organisations of programme "
                f"'{programme.slug}'",
            )
