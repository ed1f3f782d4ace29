"""Facet counts that stay cheap at 100,000 records.

Counting "how many published programmes per region, sector, kind of help…"
straight from the relations means, for every facet of every list, a join over
the whole published table, a recursive walk up the region tree and a
COUNT(DISTINCT): seconds at 100,000 programmes. So the counts are kept in two
tables instead:

- `FacetEntry`: one row per published record and facet value it counts under
  (kind "programme", record 7, facet "region", value "12"), with regions
  already rolled up (a programme in Shenzhen has entries for Shenzhen,
  Guangdong and China) and relations already resolved (a programme's kinds of
  help are those of its published services). A filtered list counts with a
  plain GROUP BY over the entries of the records it shows: no joins, no
  recursion, no DISTINCT.
- `FacetTotal`: the same counts over every published record, so a list with
  no filters (and the home page) reads its facets from a few dozen rows.

Both are kept current on write: the signals below refresh the entries of every
record a save, delete or relation change affects, in the same transaction,
and move the totals by the difference. `rebuild()` recomputes both from
scratch (bulk loads, which send no signals; `manage.py rebuild_facets`).

Each facet's entries are defined once, as SQL over the relations (`_pairs`),
and that one definition serves both the refresh of a few records and the
rebuild of all of them.
"""

from directory.facets.entries import deferred, rebuild, refresh
from directory.facets.filtered import matched_and_counted, matching_records
from directory.facets.reading import (
    counts,
    records_in_all,
    records_with,
    top_organisations,
    totals,
)
from directory.facets.registry import (
    ALL,
    ANY_SECTOR,
    ANYWHERE,
    MAINLAND,
    OPEN,
    Source,
    extend,
    kinds,
    model_for,
    organisation_pairs,
    pairs_of,
    register,
    source_for,
)
from directory.facets.signals import (
    changed,
    connect_signals,
    refresh_dependents_of_organisations,
    track_many_to_many,
    track_previous,
)

__all__ = [
    "ALL",
    "ANYWHERE",
    "ANY_SECTOR",
    "MAINLAND",
    "OPEN",
    "extend",
    "pairs_of",
    "source_for",
    "Source",
    "changed",
    "connect_signals",
    "counts",
    "deferred",
    "kinds",
    "model_for",
    "organisation_pairs",
    "rebuild",
    "records_in_all",
    "matched_and_counted",
    "matching_records",
    "records_with",
    "refresh",
    "refresh_dependents_of_organisations",
    "register",
    "top_organisations",
    "totals",
    "track_many_to_many",
    "track_previous",
]
