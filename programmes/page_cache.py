"""Which public pages show programmes, services, events and their roles, for
the page cache's invalidation (directory/caching/invalidation.py). Each
function mirrors what a detail view reads (programmes/views/details.py,
programmes/views/organisations.py): when a view starts showing another
relation, the function here names it too."""

from directory.caching import core, invalidation
from directory.models import Organisation
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service


def _ids(queryset, column="pk"):
    return queryset.values_list(column, flat=True)


def _programme_and_organisations(programme_id):
    return {
        Programme: [programme_id],
        # Its organisations list it, and name each other as partners.
        Organisation: _ids(
            ProgrammeOrganisation.objects.filter(programme_id=programme_id), "organisation_id"
        ),
        # Its services name it (and, without a provider, its organisations).
        Service: _ids(Service.objects.filter(programme_id=programme_id)),
    }


def _programme(programme):
    return {
        **_programme_and_organisations(programme.pk),
        # Its editions name their series; related events list it.
        Event: [
            *_ids(Event.objects.filter(series=programme)),
            *_ids(Event.programmes.through.objects.filter(programme=programme), "event_id"),
        ],
    }


def _service(service):
    # Listed on its programme's page and its provider's page.
    return {Programme: [service.programme_id], Organisation: [service.provider_id]}


def _event(event):
    return {
        Programme: [
            event.series_id,
            *_ids(Event.programmes.through.objects.filter(event=event), "programme_id"),
        ],
        Organisation: _ids(EventOrganisation.objects.filter(event=event), "organisation_id"),
        # Its sessions name it, the event it is part of lists it, and the
        # other editions of its series list it.
        Event: [
            event.part_of_id,
            *_ids(Event.objects.filter(part_of=event)),
            *(_ids(Event.objects.filter(series_id=event.series_id)) if event.series_id else ()),
        ],
    }


def _organisation(organisation):
    programmes = ProgrammeOrganisation.objects.filter(organisation=organisation)
    programme_ids = _ids(programmes, "programme_id")
    return {
        Programme: [
            *programme_ids,
            # A programme's page names the provider of each of its services.
            *_ids(Service.objects.filter(provider=organisation), "programme_id"),
        ],
        Event: _ids(EventOrganisation.objects.filter(organisation=organisation), "event_id"),
        Service: [
            *_ids(Service.objects.filter(provider=organisation)),
            # A service without a provider names its programme's organisations.
            *_ids(Service.objects.filter(programme_id__in=programme_ids)),
        ],
        # Its partners' pages (organisations sharing a programme) name it.
        Organisation: _ids(
            ProgrammeOrganisation.objects.filter(programme_id__in=programme_ids),
            "organisation_id",
        ),
    }


def _programme_role(role):
    # Not the programme's events: their pages name the programme, not its organisations.
    pages = _programme_and_organisations(role.programme_id)
    pages[Organisation] = [role.organisation_id, *pages[Organisation]]
    return pages


def _event_role(role):
    return {Event: [role.event_id], Organisation: [role.organisation_id]}


def register():
    # Other kinds' lists show a record through a few fields only: their facets
    # (programmes/facets.py) and, on the services list, the programme's name.
    core.register_record(
        Programme,
        lists=("programmes",),
        lists_when={
            # Where an organisation is active: its published programmes' regions.
            "organisations": (),
            # A service's row names its programme; its "open to" and sectors
            # facets may follow the programme's.
            "services": (*core.NAME_FIELDS, "open_to_scope", "all_sectors"),
        },
        shown_on=_programme,
    )
    core.register_record(
        Service,
        lists=("services",),
        # A programme is found by the kinds of help of its services, where
        # they are provided and to whom they are open.
        lists_when={
            "programmes": (
                "category_id",
                "programme_id",
                "provider_id",
                "open_to_scope",
                "all_sectors",
            )
        },
        shown_on=_service,
    )
    core.register_record(
        Event,
        lists=("events",),
        # Where an organisation is active: its published events' cities.
        lists_when={"organisations": ("city_id",)},
        shown_on=_event,
    )
    invalidation.extend(Organisation, _organisation)
    # A role changes both ends' pages and lists (an organisation is active
    # where its programmes serve; a programme is listed under its organisations).
    invalidation.register(
        ProgrammeOrganisation,
        lists=("programmes", "organisations", "services", *core.EVERY_RECORD_LIST),
        shown_on=_programme_role,
    )
    invalidation.register(
        EventOrganisation,
        lists=("events", "organisations", *core.EVERY_RECORD_LIST),
        shown_on=_event_role,
    )
