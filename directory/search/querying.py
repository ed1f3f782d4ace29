"""Finding, ranking and counting the records that match a query."""

from typing import NamedTuple

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
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
from directory.search.text import (
    CANDIDATE_CAP,
    CJK,
    SEARCH_CONFIG,
    is_postgresql,
    normalise,
    query_text,
    tokens,
)


def _sqlite_match(q):
    condition = Q()
    for token in tokens(q):
        if CJK.search(token):
            # A whole indexed word: a character pair, or one character.
            condition &= Q(search_document__contains=f" {token} ")
        else:
            condition &= Q(search_document__contains=f" {token}")
    return condition


def _pg_query(q, text=None):
    """`text`: query_text(q), when the caller has it (directory/prepared.py:
    a prepared search is given its texts, it must not derive them)."""
    text = query_text(q) if text is None else text
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


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
    return list(dict.fromkeys(tokens(q)))


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
    if not is_postgresql() or not tokens(q):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_look_alikes_sql(), [_name_tokens(q)])
        return cursor.fetchone()[0] or ""


def _pg_match(q, alikes, text=None):
    # Two conditions, not one tsquery: the words query is a constant the
    # planner can estimate, so a common term is read by a scan that stops at
    # the cap instead of a bitmap of all 200,000 services built first.
    words = Q(search_vector=_pg_query(q, text))
    if alikes == "":
        return words
    return words | Q(search_vector=NameLookAlikes(q, alikes))


def matching(queryset, q, alikes=None, parts=None):
    """`queryset` narrowed to records that match `q` (no ranking, no cap).
    `alikes`: the look-alikes of its words as `look_alikes(q)` found them, or
    None to look them up within the query. `parts`: `QueryParts` of `q`, when
    the caller has them."""
    parts = parts or query_parts(q)
    if not parts.has_words:
        return queryset
    if is_postgresql():
        return queryset.filter(_pg_match(q, alikes, parts.text))
    match = _sqlite_match(q)
    return queryset.filter(match) if match else queryset.none()


def capped(queryset, cap=CANDIDATE_CAP):
    """The same records, limited to the first `cap` candidates in one SQL
    statement (an `IN (... LIMIT cap)` subquery), so ranking sorts at most `cap`."""
    model = queryset.model
    ids = queryset.order_by().values("pk")[:cap]
    return model.objects.filter(pk__in=Subquery(ids))


class QueryParts(NamedTuple):
    """What a query is searched by besides itself: its text as matched
    (`query_text`), that text normalised (`needle`), and whether it has any
    word at all. A prepared search (directory/views/search.py) is given them
    as values of their own, as its build must not derive them from `q`."""

    text: str
    needle: str
    has_words: bool


def query_parts(q):
    text = query_text(q)
    return QueryParts(text, normalise(text).strip(), bool(tokens(q)))


def with_rank(queryset, q, parts=None):
    """Annotate `search_rank`: higher is better."""
    parts = parts or query_parts(q)
    needle = parts.needle
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
        query = _pg_query(q, parts.text)
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
    for token in tokens(q):
        if CJK.search(token):
            name_hit &= Q(name_zh_hans__contains=token) | Q(name_zh_hant__contains=token)
        else:
            name_hit &= Q(name__icontains=token)
    # A query of punctuation alone has no words (and matches nothing).
    name_rank = (
        Case(When(name_hit, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
        if name_hit
        else Value(0.0, output_field=FloatField())
    )
    rank = (
        Cast(boost, FloatField())
        + name_rank
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


def best(queryset, q, limit, alikes=None, cap=CANDIDATE_CAP, parts=None):
    """The `limit` best of the first `cap` records of `queryset` matching `q`,
    best first, each with `search_rank` and `candidates` (how many records
    matched, up to `cap`). One SQL statement; `alikes` as for `matching`.

    The candidates are matched and ranked in one pass over their rows, and
    only the `limit` shown are read whole. Ranking them after joining the
    capped ids back to their table carried every candidate's whole row through
    the ranking and the count (programmes for a common term, 100,000
    programmes: 12.8 ms of SQL, 4.3 ms like this).

    The ranked candidates are built and compiled once: the top and the count
    read the same subquery (the count's unused rank is never computed), and
    the rows shown take their rank as that compilation wrote it. Ranking and
    compiling them again for the count and the rows shown was two thirds of
    the Python a search page spent building its queries."""
    model = queryset.model
    found = matching(queryset, q, alikes, parts).order_by()
    ranked = with_rank(found, q, parts).values(
        hit_id=F("pk"), hit_name=F("name"), hit_rank=F("search_rank")
    )[:cap]
    compiler = ranked.query.get_compiler(queryset.db)
    try:
        ranked_sql, ranked_params = compiler.as_sql()
    except EmptyResultSet:
        return model.objects.none()
    # The rank's own SQL: it names only columns of the table, which the rows
    # shown are read from too.
    rank_sql, rank_params = next(sql for _, sql, alias in compiler.select if alias == "hit_rank")
    top = (
        f"SELECT c.hit_id FROM ({ranked_sql}) c "
        f"ORDER BY c.hit_rank DESC, c.hit_name, c.hit_id LIMIT {int(limit)}"
    )
    count = f"SELECT COUNT(*) FROM ({ranked_sql}) c"
    hits = model.objects.filter(pk__in=RawSQL(top, ranked_params)).annotate(
        search_rank=RawSQL(rank_sql, rank_params, output_field=FloatField()),
        candidates=RawSQL(count, ranked_params, output_field=IntegerField()),
    )
    return hits.order_by("-search_rank", "name", "pk")


def count_label(count, cap=CANDIDATE_CAP):
    return f"{cap:,}+" if count >= cap else f"{count:,}"
