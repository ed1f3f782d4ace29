from directory.models.base import (
    DatePrecision,
    OpenToScope,
    PublicationStatus,
    Publishable,
    Searchable,
    Translatable,
    alternative_names,
    translated,
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
    "Organisation",
    "Publishable",
    "PublicationStatus",
    "Searchable",
    "SourceArticle",
    "Translatable",
    "Region",
    "Sector",
    "ServiceCategory",
    "quote_anchor",
    "alternative_names",
    "translated",
]
