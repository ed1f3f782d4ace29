from directory.models import OpenToScope
from programmes.models.events import (
    AttendanceQualifier,
    Event,
    EventOrganisation,
    first_day,
    last_day,
)
from programmes.models.programmes import Programme, ProgrammeOrganisation
from programmes.models.services import Service

__all__ = [
    "AttendanceQualifier",
    "OpenToScope",
    "Event",
    "EventOrganisation",
    "Programme",
    "ProgrammeOrganisation",
    "Service",
    "first_day",
    "last_day",
]
