"""FilterSets for the public lists, and the facet counts beside them.

Every list runs a fixed number of queries, whatever the data size:

1. the vocabulary: regions, sectors and kinds of help in one UNION query
   (small tables), which validates slugs and labels options;
2. the facet counts (`directory.facets`): with no other filter active, a
   facet reads the totals kept for every published record (one query for all
   of them); otherwise one GROUP BY per facet over the facet entries of the
   records that every *other* active filter leaves;
3. the paginator's count and the page itself.

Region, sector and kind-of-help filters select through the same facet index,
whose region entries are rolled up the tree: a province includes its cities
and zones without walking the tree here.
"""

from directory.filters.base import PublicFilterSet, SlugsFilter
from directory.filters.options import choice_facet, region_facet, vocabulary_facet
from directory.filters.organisations import OrganisationFilterSet
from directory.filters.vocabulary import Term, Vocabulary

__all__ = [
    "OrganisationFilterSet",
    "PublicFilterSet",
    "SlugsFilter",
    "Term",
    "Vocabulary",
    "choice_facet",
    "region_facet",
    "vocabulary_facet",
]
