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
(the seed loader, admin saves, imports). It is explicit rather than a signal so
that bulk writers can batch it.
"""

import re
import unicodedata

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    IntegerField,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from directory.models import NameWord

# Ranking sorts its candidates; capping them keeps a term that matches most
# records (say "Hong Kong") as fast as a rare one. Counts above it show "1,000+".
CANDIDATE_CAP = 1000
MAX_QUERY_LENGTH = 200
SEARCH_CONFIG = "english"

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_APOSTROPHES = re.compile(r"['’‘`]")
_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Han characters (and kana, hangul) written without spaces; CJK punctuation
# (U+3000-U+303F) separates runs instead of joining them.
_CJK_RUN = re.compile(r"[\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff]+")


def is_postgresql():
    return connection.vendor == "postgresql"


def normalise(text):
    """Lower-cased words separated by single spaces, padded with a space at
    each end so that a word-prefix match is a plain `LIKE '% word%'`.

    Apostrophes are dropped *and* split on ("Xi'an" gives "xian xi an"), so
    both spellings people type find the record.
    """
    text = unicodedata.normalize("NFKC", text or "").casefold()
    joined = _NON_WORD.sub(" ", _APOSTROPHES.sub("", text)).split()
    split = _NON_WORD.sub(" ", text).split()
    words = list(dict.fromkeys(joined + split)) if joined != split else joined
    return f" {' '.join(words)} " if words else ""


def clean_query(raw):
    """The query as searched, and whether it had to be shortened."""
    text = (raw or "").replace("\x00", "")
    text = " ".join(text.split())
    truncated = len(text) > MAX_QUERY_LENGTH
    return text[:MAX_QUERY_LENGTH], truncated


def _cjk_runs(text, *, with_characters):
    def expand(match):
        run = match.group()
        if len(run) == 1:
            return f" {run} "
        pairs = [run[i : i + 2] for i in range(len(run) - 1)]
        return " " + " ".join(pairs + (list(run) if with_characters else [])) + " "

    return _CJK_RUN.sub(expand, text or "")


def index_text(text):
    """Text as indexed: Chinese runs as their character pairs and characters."""
    return _cjk_runs(text, with_characters=True)


def query_text(q):
    """A query as matched: Chinese runs as their character pairs only (all must match)."""
    return _cjk_runs(q, with_characters=False)


def _tokens(q):
    return normalise(query_text(q)).split()[:12]


# --- building the documents -------------------------------------------------


def _names(*records):
    parts = []
    for record in records:
        if record is None:
            continue
        parts += [
            getattr(record, "name", ""),
            getattr(record, "name_zh_hans", ""),
            getattr(record, "name_zh_hant", ""),
            getattr(record, "short_name", ""),
            getattr(record, "alternative_names", ""),
            getattr(record, "alternative_names_zh_hans", ""),
            getattr(record, "alternative_names_zh_hant", ""),
        ]
    return " ".join(p for p in parts if p)


def _weighted_parts(record):
    """(A, B, C, D): own names, summary, description, related names."""
    own = _names(record)
    summary = " ".join(
        p for p in (_all_languages(record, "summary"), record.search_extra_summary()) if p
    )
    description = _all_languages(record, "description")
    parts = (own, summary, description, _names(*record.search_related()))
    return tuple(index_text(part) for part in parts)


def _all_languages(record, field):
    values = [getattr(record, name, "") for name in (field, f"{field}_zh_hans", f"{field}_zh_hant")]
    return " ".join(v for v in values if v)


def names_text(own_names):
    """`search_names`: the record's own names (part A), normalised."""
    return normalise(own_names)


def build_search_document(record):
    """The text a search matches: the record's own names and texts plus the
    names of related records (partners, regions, provider, programme,
    categories), so that searching a partner finds the programmes it is in."""
    return normalise(" ".join(_weighted_parts(record)))


def _vector(parts):
    vector = None
    for text, weight in zip(parts, "ABCD", strict=True):
        # Apostrophe-free spellings ("Xian") go in beside the originals.
        text = f"{text} {normalise(text)}" if "'" in text or "’" in text else text
        part = SearchVector(Value(text or ""), weight=weight, config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    return vector


def refresh_search_index(records):
    """Recompute `search_document` (and `search_vector` on PostgreSQL) for the
    given records, re-reading their relations in a few batched queries, and
    add the new words of their names to `NameWord` (PostgreSQL)."""
    by_model = {}
    words = set()
    for record in records:
        by_model.setdefault(type(record), []).append(record.pk)
    for model, pks in by_model.items():
        for record in model.search_prefetch(model.objects.filter(pk__in=pks)):
            parts = _weighted_parts(record)
            values = {
                "search_document": normalise(" ".join(parts)),
                "search_names": names_text(parts[0]),
            }
            if is_postgresql():
                values["search_vector"] = _vector(parts)
                words.update(values["search_names"].split())
            model.objects.filter(pk=record.pk).update(**values)
    add_name_words(words)


def add_name_words(words):
    """Adds the words of names that the look-alike match does not know yet
    (collected on PostgreSQL only: SQLite has no trigram match)."""
    longest = NameWord._meta.get_field("word").max_length
    new = [NameWord(word=w) for w in sorted(words) if len(w) <= longest]
    NameWord.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)


def name_words_from_tables_sql(tables):
    """SQL adding every word of `search_names` in `tables` to the name words
    (a migration's backfill; bulk loads that write `search_names` with COPY)."""
    words = " UNION ".join(
        f"SELECT unnest(string_to_array(btrim(search_names), ' ')) AS word FROM {table}"
        for table in tables
    )
    # 100: NameWord.word's max_length (a migration cannot import the model).
    return (
        f"INSERT INTO directory_nameword (word) SELECT word FROM ({words}) AS w "
        "WHERE word <> '' AND length(word) <= 100 ON CONFLICT DO NOTHING"
    )


# --- querying ---------------------------------------------------------------


def _sqlite_match(q):
    condition = Q()
    for token in _tokens(q):
        if _CJK.search(token):
            # A whole indexed word: a character pair, or one character.
            condition &= Q(search_document__contains=f" {token} ")
        else:
            condition &= Q(search_document__contains=f" {token}")
    return condition


def _pg_query(q):
    return SearchQuery(query_text(q), search_type="websearch", config=SEARCH_CONFIG)


# For each word of the query, the words of names that look like it (trigram
# word similarity above pg_trgm's threshold; the 20 closest), as words of the
# record's names (weight A), in to_tsquery's syntax. NULL when a word looks
# like no word of any name; stop words are left out, as the words side
# leaves them out.
LOOK_ALIKES_SQL = """SELECT CASE WHEN count(*) = max(wanted)
            THEN string_agg(alternatives, ' & ') END
        FROM (
            SELECT '(' || string_agg('''' || w.word || ''':A', ' | ') || ')' AS alternatives,
                t.wanted
            FROM (
                SELECT token, count(*) OVER () AS wanted
                FROM unnest(%s::text[]) AS token
                WHERE numnode(plainto_tsquery({config}, token)) > 0
            ) AS t
            CROSS JOIN LATERAL (
                SELECT word FROM {table}
                WHERE word %%> t.token
                ORDER BY word_similarity(t.token, word) DESC, word
                LIMIT 20
            ) AS w
            GROUP BY t.token, t.wanted
        ) AS per_token"""


def _look_alikes_sql():
    config = f"'{SEARCH_CONFIG}'::regconfig"
    return LOOK_ALIKES_SQL.format(config=config, table=NameWord._meta.db_table)


def _name_tokens(q):
    # Name words are normalised words: so are the words looked up, each once.
    return list(dict.fromkeys(_tokens(q)))


class NameLookAlikes(SearchQuery):
    """The look-alikes of the query's words (LOOK_ALIKES_SQL) as a tsquery:
    looked up inside the statement that uses it, or given as `look_alikes`
    found them.

    Comparing each word with the distinct words of all names (`NameWord`:
    59,983 at 100,000 programmes) and then using the tsvector index costs a
    few milliseconds; comparing the whole query with the names of every
    candidate the trigram index returned, as before, cost 20-60 ms for a rare
    term (about 700 candidates, each rechecked).

    Either way it is a scalar subquery: built once per statement, not once
    per row, and estimated by the planner as any match, not from its words.
    Given as a constant, twenty look-alikes ORed were estimated to match
    12,736 services (128 did) and the planner ANDed them with the 170,000
    published ones (a rare term's services: 6 -> 29 ms).
    """

    # A SearchQuery so that `search_vector=` takes it as a tsquery as it is;
    # its SQL is its own (`as_sql`).
    def __init__(self, q, alikes=None):
        super().__init__(q, config=SEARCH_CONFIG)
        self.tokens = _name_tokens(q)
        self.alikes = alikes

    def as_sql(self, compiler, connection, function=None, template=None):
        config = f"'{SEARCH_CONFIG}'::regconfig"
        if self.alikes is not None:
            return f"(SELECT to_tsquery({config}, %s))", [self.alikes]
        return f"(SELECT to_tsquery({config}, ({_look_alikes_sql()})))", [self.tokens]


def look_alikes(q):
    """The look-alikes of the query's words, looked up once (one query) for a
    page that searches several kinds of record: "" when some word looks like
    no word of any name; None on SQLite, which has no trigram match.

    Built inside each statement instead, the lookup ran twice per kind (the
    ranked candidates and their count): 2-2.5 ms each time at 100,000
    programmes, eight times per search page."""
    if not is_postgresql() or not _tokens(q):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_look_alikes_sql(), [_name_tokens(q)])
        return cursor.fetchone()[0] or ""


def _pg_match(q, alikes):
    # Two conditions, not one tsquery: the words query is a constant the
    # planner can estimate, so a common term is read by a scan that stops at
    # the cap instead of a bitmap of all 200,000 services built first.
    words = Q(search_vector=_pg_query(q))
    if alikes == "":
        return words
    return words | Q(search_vector=NameLookAlikes(q, alikes))


def matching(queryset, q, alikes=None):
    """`queryset` narrowed to records that match `q` (no ranking, no cap).
    `alikes`: the look-alikes of its words as `look_alikes(q)` found them, or
    None to look them up within the query."""
    if not _tokens(q):
        return queryset
    if is_postgresql():
        return queryset.filter(_pg_match(q, alikes))
    match = _sqlite_match(q)
    return queryset.filter(match) if match else queryset.none()


def capped(queryset, cap=CANDIDATE_CAP):
    """The same records, limited to the first `cap` candidates in one SQL
    statement (an `IN (... LIMIT cap)` subquery), so ranking sorts at most `cap`."""
    model = queryset.model
    ids = queryset.order_by().values("pk")[:cap]
    return model.objects.filter(pk__in=Subquery(ids))


def with_rank(queryset, q):
    """Annotate `search_rank`: higher is better."""
    needle = normalise(query_text(q)).strip()
    exact_name = Q(name__iexact=q) | Q(name_zh_hans=q) | Q(name_zh_hant=q)
    if hasattr(queryset.model, "short_name"):
        exact_name |= Q(short_name__iexact=q)
    boost = Case(When(exact_name, then=Value(2.0)), default=Value(0.0), output_field=FloatField())
    if is_postgresql():
        # A record that has the words ranks above one that only looks like
        # them (a misspelt name), and among those by where the words are
        # (weights A-D). The trigram similarity is computed only for the
        # look-alikes: over the 1,000 candidates of a common term it was most
        # of the ranking's cost (the programmes' ranked query, 100,000
        # programmes: 82 ms with it on every candidate, 33 ms like this).
        query = _pg_query(q)
        rank = (
            Case(
                When(search_vector=query, then=SearchRank(F("search_vector"), query) + 1.0),
                default=TrigramWordSimilarity(needle, "search_names"),
                output_field=FloatField(),
            )
            + boost
        )
        return queryset.annotate(search_rank=rank)
    # SQLite: where the words matched, name before texts before related names.
    name_hit = Q()
    for token in _tokens(q):
        if _CJK.search(token):
            name_hit &= Q(name_zh_hans__contains=token) | Q(name_zh_hant__contains=token)
        else:
            name_hit &= Q(name__icontains=token)
    rank = (
        Cast(boost, FloatField())
        + Case(When(name_hit, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
        + Case(
            When(search_document__startswith=f" {needle}", then=Value(0.5)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    )
    return queryset.annotate(search_rank=rank)


def search(queryset, q, cap=CANDIDATE_CAP):
    """Matching records of `queryset`, capped and ordered best first."""
    return with_rank(capped(matching(queryset, q), cap), q).order_by("-search_rank", "name", "pk")


def best(queryset, q, limit, alikes=None, cap=CANDIDATE_CAP):
    """The `limit` best of the first `cap` records of `queryset` matching `q`,
    best first, each with `search_rank` and `candidates` (how many records
    matched, up to `cap`). One SQL statement; `alikes` as for `matching`.

    The candidates are matched and ranked in one pass over their rows, and
    only the `limit` shown are read whole. Ranking them after joining the
    capped ids back to their table carried every candidate's whole row through
    the ranking and the count (programmes for a common term, 100,000
    programmes: 12.8 ms of SQL, 4.3 ms like this)."""
    model = queryset.model
    found = matching(queryset, q, alikes).order_by()
    try:
        ranked = with_rank(found, q).values(
            hit_id=F("pk"), hit_name=F("name"), hit_rank=F("search_rank")
        )
        ranked_sql, ranked_params = ranked[:cap].query.sql_with_params()
        found_sql, found_params = found.values("pk")[:cap].query.sql_with_params()
    except EmptyResultSet:
        return model.objects.none()
    top = (
        f"SELECT c.hit_id FROM ({ranked_sql}) c "
        f"ORDER BY c.hit_rank DESC, c.hit_name, c.hit_id LIMIT {int(limit)}"
    )
    count = f"SELECT COUNT(*) FROM ({found_sql}) c"
    hits = model.objects.filter(pk__in=RawSQL(top, ranked_params))
    # The rank again, for the few rows shown: the same expression, the same values.
    hits = with_rank(hits, q).annotate(
        candidates=RawSQL(count, found_params, output_field=IntegerField())
    )
    return hits.order_by("-search_rank", "name", "pk")


def count_label(count, cap=CANDIDATE_CAP):
    return f"{cap:,}+" if count >= cap else f"{count:,}"
