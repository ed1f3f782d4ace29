from programmes.models.events import Event, EventOrganisation, last_day
from programmes.models.programmes import Programme, ProgrammeOrganisation
from programmes.models.services import Service

__all__ = [
    "Event",
    "EventOrganisation",
    "Programme",
    "ProgrammeOrganisation",
    "Service",
    "last_day",
]
