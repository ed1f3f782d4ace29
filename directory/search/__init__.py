"""One search over organisations, programmes, services and events.

Two backends behind one interface (`matching`, `with_rank`, `search`):

- PostgreSQL: a stored, weighted `search_vector` (GIN index) queried with a
  websearch `SearchQuery`, OR with words of names that look like the query's
  words (`NameWord`, trigram GIN index) as words of a name (weight A), so a
  misspelt name still finds its record. Both conditions use the same GIN index.
- SQLite: a case-insensitive word-prefix match of every query token against
  `search_document`, ranked by where it matched.

Chinese is written without spaces, so both sides split Chinese text into
overlapping two-character words ("香港生产力" gives 香港 港生 生产 产力), and the
document also holds each character alone: a query for part of a name becomes
the same pairs ANDed (a one-character query, that character), which the same
word index serves. The Simplified and Traditional texts are both indexed, so a
search in either script (or in English) finds the record from any page.

Call `refresh_search_index(records)` after writing records or their relations
(the seed loader, admin saves, imports), with `with_search_dependents(records)`
where their names may have changed: other records' text repeats them; after
renaming a region, sector or kind of help, `refresh_naming(term)` (which
lists what it leaves for `refresh_pending`, `manage.py refresh_search_text`). It is
explicit rather than a signal so that bulk writers can batch it.
"""

from directory.search.documents import (
    TERM_NAME_FIELDS,
    add_name_words,
    build_search_document,
    name_words_from_tables_sql,
    names_text,
    records_naming,
    refresh_naming,
    refresh_pending,
    refresh_search_index,
    with_search_dependents,
)
from directory.search.querying import (
    NameLookAlikes,
    QueryParts,
    best,
    capped,
    count_label,
    look_alikes,
    matching,
    query_parts,
    search,
    with_rank,
)
from directory.search.text import (
    CANDIDATE_CAP,
    MAX_QUERY_LENGTH,
    SEARCH_CONFIG,
    clean_query,
    index_text,
    is_postgresql,
    normalise,
    query_text,
)

__all__ = [
    "CANDIDATE_CAP",
    "MAX_QUERY_LENGTH",
    "NameLookAlikes",
    "QueryParts",
    "SEARCH_CONFIG",
    "TERM_NAME_FIELDS",
    "add_name_words",
    "best",
    "build_search_document",
    "capped",
    "clean_query",
    "count_label",
    "index_text",
    "is_postgresql",
    "look_alikes",
    "matching",
    "name_words_from_tables_sql",
    "names_text",
    "normalise",
    "query_parts",
    "query_text",
    "records_naming",
    "refresh_naming",
    "refresh_pending",
    "refresh_search_index",
    "with_search_dependents",
    "search",
    "with_rank",
]
