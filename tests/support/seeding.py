"""What the seed files write (no tests of its own)."""

from directory.models import Citation, Organisation, Region, Sector, ServiceCategory, SourceArticle
from programmes.models import Event, Programme, Service

# The records with texts in English and Chinese, in the order the seeds load them.
TRANSLATED_MODELS = (
    SourceArticle,
    Region,
    Sector,
    ServiceCategory,
    Organisation,
    Programme,
    Service,
    Event,
)
# Every table the seed files write to.
SEEDED_MODELS = (*TRANSLATED_MODELS, Citation)
