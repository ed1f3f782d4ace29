"""The facet counts of the records still to come (events whose last day is
today or later), kept as totals instead of counted from every upcoming
event's entries on each cold list.

Counting them from the entries read all 36,938 entries of the 4,555 upcoming
events at 50,000 events (7 ms for the counts, 3 for the organisations, on a
20 ms page). `UpcomingTotal` holds, per facet value, the entries whose last
day is on or after one day, `UpcomingTotalsDay.day`, moved on every write
like `FacetTotal`. A reader on a later day subtracts the entries whose last
day fell in between (a day's worth of events: a few index entries), so the
counts stay exact whether or not the totals were moved on to today since.
Any write of an event moves them on first; `roll`, run daily (`manage.py
roll_upcoming_totals`), does it on days nothing is saved, which keeps that
correction small.
Until a kind has a day (a database migrated before its first event), its
counts come from the entries, as before.
"""

from collections import Counter

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from directory.facets.registry import kinds, source_for
from directory.facets.totals import move_counts
from directory.models import FacetEntry, UpcomingTotal, UpcomingTotalsDay


def dated_kinds():
    """The kinds whose entries carry a last day."""
    return [kind for kind in kinds().values() if source_for(kind).until]


def totals_sql(kind, facets, today):
    """(SQL, params) selecting (facet, value, n): how many published records
    of `kind` whose last day is `today` or later have an entry for each value
    of `facets` (values with none left out). One statement, so the totals
    and their correction are read in one snapshot."""
    totals = UpcomingTotal._meta.db_table
    among = ", ".join(["%s"] * len(facets))
    facets = list(facets)
    since, since_params = _since_the_day(kind, facets, today)
    not_kept, not_kept_params = _not_kept(kind, facets, today)
    sql = (
        "SELECT facet, value, SUM(n) AS n FROM ("
        f"SELECT t.facet AS facet, t.value AS value, t.n AS n FROM {totals} t "
        f"WHERE t.kind = %s AND t.facet IN ({among}) "
        f"UNION ALL {since} UNION ALL {not_kept}"
        ") counted GROUP BY facet, value HAVING SUM(n) > 0"
    )
    return sql, [kind, *facets, *since_params, *not_kept_params]


def top_sql(kind, facet, today, limit):
    """(SQL, params) selecting (value, n): the `limit` values of `facet` with
    the most records of `kind` still to come, largest first.

    Only the values the correction touches can move, so the top is the
    kept order (an index read that stops after `limit` rows, instead of
    adding up every organisation's totals: 5,584 of them at 50,000 events)
    merged with those values recounted."""
    totals = UpcomingTotal._meta.db_table
    since, since_params = _since_the_day(kind, [facet], today)
    not_kept, not_kept_params = _not_kept(kind, [facet], today)
    moved = f"SELECT value FROM ({since}) moved"
    sql = (
        "SELECT value, SUM(n) AS n FROM ("
        "SELECT value, n FROM ("
        f"SELECT t.value AS value, t.n AS n FROM {totals} t "
        f"WHERE t.kind = %s AND t.facet = %s AND t.n > 0 AND t.value NOT IN ({moved}) "
        "ORDER BY t.n DESC, t.value LIMIT %s) unmoved "
        f"UNION ALL SELECT t.value, t.n FROM {totals} t "
        f"WHERE t.kind = %s AND t.facet = %s AND t.value IN ({moved}) "
        f"UNION ALL SELECT value, n FROM ({since}) since "
        f"UNION ALL SELECT value, n FROM ({not_kept}) not_kept"
        ") counted GROUP BY value HAVING SUM(n) > 0 ORDER BY 2 DESC, 1 LIMIT %s"
    )
    params = [
        *[kind, facet, *since_params, limit],
        *[kind, facet, *since_params],
        *since_params,
        *not_kept_params,
        limit,
    ]
    return sql, params


def _since_the_day(kind, facets, today):
    """(SQL, params) selecting (facet, value, n) for each entry whose last day
    lies between the kind's day and `today`: -1 for those now past (counted,
    and no longer to come), +1 for those still to come (not counted), should
    a server's today be behind the day."""
    entries, days = FacetEntry._meta.db_table, UpcomingTotalsDay._meta.db_table
    among = ", ".join(["%s"] * len(facets))
    sql = (
        "SELECT e.facet AS facet, e.value AS value, "
        "CASE WHEN e.until < %s THEN -1 ELSE 1 END AS n "
        f"FROM {entries} e JOIN {days} d ON d.kind = e.kind "
        f"WHERE e.kind = %s AND e.facet IN ({among}) "
        "AND e.until >= CASE WHEN d.day < %s THEN d.day ELSE %s END "
        "AND e.until < CASE WHEN d.day < %s THEN %s ELSE d.day END"
    )
    return sql, [today, kind, *facets, today, today, today, today]


def _not_kept(kind, facets, today):
    """(SQL, params) selecting (facet, value, 1) for every entry still to
    come, while the kind has no day (nothing is kept for it yet)."""
    entries, days = FacetEntry._meta.db_table, UpcomingTotalsDay._meta.db_table
    among = ", ".join(["%s"] * len(facets))
    sql = (
        f"SELECT e.facet AS facet, e.value AS value, 1 AS n FROM {entries} e "
        f"WHERE e.kind = %s AND e.facet IN ({among}) AND e.until >= %s "
        f"AND NOT EXISTS (SELECT 1 FROM {days} d WHERE d.kind = %s)"
    )
    return sql, [kind, *facets, today, kind]


def build(kind, today=None):
    """The kind's totals counted afresh from its entries, from `today`."""
    today = today or timezone.localdate()
    with transaction.atomic():
        _lock_day(kind, creating=today)
        UpcomingTotalsDay.objects.filter(kind=kind).update(day=today)
        _count_afresh(kind, today)


def _count_afresh(kind, day):
    entries, totals = FacetEntry._meta.db_table, UpcomingTotal._meta.db_table
    with connection.cursor() as cursor:
        # In SQL: the ORM's delete() would read and signal each row.
        cursor.execute(f"DELETE FROM {totals} WHERE kind = %s", [kind])
        cursor.execute(
            f"INSERT INTO {totals} (kind, facet, value, n) "
            f"SELECT kind, facet, value, COUNT(*) FROM {entries} "
            "WHERE kind = %s AND until >= %s GROUP BY kind, facet, value",
            [kind, day],
        )


def roll(today=None):
    """Moves each dated kind's totals on to `today`. Returns {kind: entries
    taken off}; a kind without a day is built."""
    today = today or timezone.localdate()
    taken = {}
    for kind in dated_kinds():
        with transaction.atomic():
            day = _lock_day(kind)
            if day is None:
                build(kind, today)
                taken[kind] = 0
            else:
                taken[kind] = _take_off_past(kind, day, today)
    return taken


def _take_off_past(kind, day, today):
    """With the kind's day locked: the entries whose last day has passed
    since `day` taken off its totals, which then count from `today`. Returns
    how many."""
    if day >= today:
        return 0
    past = (
        FacetEntry.objects.filter(kind=kind, until__gte=day, until__lt=today)
        .values("facet", "value")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("facet", "value", "n")
    )
    delta = Counter({(facet, value): -n for facet, value, n in past})
    _move(kind, delta)
    UpcomingTotalsDay.objects.filter(kind=kind).update(day=today)
    return -sum(delta.values())


def move(kind, new, gone):
    """After a refresh of some records' entries of a dated kind: the totals
    moved on to today, then by the entries `new` and `gone` ((facet, record,
    value, last day) each) whose last day is today or later. In the
    refresh's transaction; builds the totals when the kind has none yet."""
    day = _lock_day(kind)
    today = timezone.localdate()
    if day is None:
        # The kind's first totals, this refresh's entries among them. Two
        # first saves at once take turns on the new day's row and each
        # counts afresh: the second's count holds both.
        _count_afresh(kind, _lock_day(kind, creating=today))
        return
    # A write rolls the totals on to today on the way, so that they stay
    # current on a site that saves events, with or without the daily roll.
    if day < today:
        _take_off_past(kind, day, today)
        day = today
    delta = Counter((f, v) for f, _r, v, until in new if _counts_from(until, day))
    delta.subtract(Counter((f, v) for f, _r, v, until in gone if _counts_from(until, day)))
    _move(kind, delta)


def _counts_from(until, day):
    return until is not None and until >= day


def _lock_day(kind, creating=None):
    """The kind's day, its row locked until the transaction ends (writers of
    the totals take turns), or None; `creating`: the day to give a kind that
    has none (another transaction's, if it gave one first)."""
    if creating is not None:
        UpcomingTotalsDay.objects.bulk_create(
            [UpcomingTotalsDay(kind=kind, day=creating)], ignore_conflicts=True
        )
    return (
        UpcomingTotalsDay.objects.select_for_update()
        .filter(kind=kind)
        .values_list("day", flat=True)
        .first()
    )


def _move(kind, delta):
    move_counts(UpcomingTotal, kind, delta)
