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
from directory.models.index import FacetEntry, FacetTotal, NameWord
from directory.models.organisations import Organisation
from directory.models.sources import Citation, SourceArticle, quote_anchor
from directory.models.vocabulary import Region, Sector, ServiceCategory

__all__ = [
    "Citation",
    "DatePrecision",
    "Enquiry",
    "StaffConfirmation",
    "FacetEntry",
    "FacetTotal",
    "NameWord",
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
