from directory.models.base import (
    DatePrecision,
    OpenToScope,
    OrganisationRole,
    PublicationStatus,
    Publishable,
    Record,
    Searchable,
    Seeded,
    Translatable,
)
from directory.models.enquiries import Enquiry, StaffConfirmation
from directory.models.index import (
    FacetChange,
    FacetEntry,
    FacetTotal,
    NameWord,
    PendingSearchText,
    UpcomingTotal,
    UpcomingTotalsDay,
)
from directory.models.lookups import AnyOf
from directory.models.organisations import Organisation
from directory.models.sources import Citation, KeyFact, SourceArticle, quote_anchor, unknown_facts
from directory.models.vocabulary import Region, Sector, ServiceCategory

__all__ = [
    "AnyOf",
    "Citation",
    "KeyFact",
    "unknown_facts",
    "DatePrecision",
    "Enquiry",
    "StaffConfirmation",
    "FacetChange",
    "FacetEntry",
    "FacetTotal",
    "NameWord",
    "PendingSearchText",
    "UpcomingTotal",
    "UpcomingTotalsDay",
    "OpenToScope",
    "OrganisationRole",
    "Organisation",
    "Publishable",
    "PublicationStatus",
    "Record",
    "Searchable",
    "Seeded",
    "SourceArticle",
    "Translatable",
    "Region",
    "Sector",
    "ServiceCategory",
    "quote_anchor",
]
