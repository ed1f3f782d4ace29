"""A filtered list's matches and counts, kept in the shared cache and
brought up to date after a write from the log of the facet entries it
added and removed (FacetChange), instead of being counted again.

Counting again is the list's whole cost after a save: at 100,000
programmes, the matches of a region, a sector and a kind of help and each
facet's counts among them read some 2,000 index ranges (20-30 ms of SQL).
Bringing them up to date reads the log past the point they were computed
at and the entries of the few records it names: one statement.

The point is exact, whatever the order in which concurrent writers commit:
on PostgreSQL it is the snapshot of the statement that computed the value
(`pg_current_snapshot()`), and a change is past it when its transaction was
not visible in that snapshot; SQLite commits one writer at a time, so the
highest id it saw is enough. A value and its point are read by one
statement (facets/filtered.py, `_computed`), hence in one snapshot, and so
is each update and its new point.
"""

import datetime

from django.db import connection
from django.utils import timezone

from directory import prepared
from directory.models import FacetChange, FacetEntry

# The log is kept this long (entries.refresh deletes older rows) ...
LOG_DAYS = 2
# ... and a value whose point is older than this is computed again, so the
# changes past its point are always still in the log.
MAX_AGE = datetime.timedelta(days=1)
# More changed records than this since a value's point (a bulk refresh):
# it is computed again rather than brought up to date.
MOST_CHANGED = 500


def position_sql(kind):
    """(SQL expression, params): this statement's point in the log, as text."""
    log = FacetChange._meta.db_table
    if connection.vendor == "postgresql":
        # The reader's own transaction, if it has written, is in progress in
        # its snapshot, yet its changes so far are seen: those up to the
        # highest id it has logged (later ones have higher ids).
        own = "pg_current_xact_id_if_assigned()"
        return (
            f"(pg_current_snapshot()::text || ';' || COALESCE({own}::text, '') || ';' || "
            f"COALESCE((SELECT MAX(id) FROM {log} WHERE kind = %s "
            f"AND xact = {own}::text::bigint), 0)::text)",
            [kind],
        )
    return f"CAST(COALESCE((SELECT MAX(id) FROM {log}), 0) AS TEXT)", []


def log_writes(kind, gone, new):
    """Logs the entries a write removed and added ((facet, record_id, value,
    until) each), in its transaction, and deletes the log's old rows."""
    xact = None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_current_xact_id()::text")
            xact = int(cursor.fetchone()[0])
        cutoff = timezone.now() - datetime.timedelta(days=LOG_DAYS)
        cursor.execute(f"DELETE FROM {FacetChange._meta.db_table} WHERE changed_at < %s", [cutoff])
    FacetChange.objects.bulk_create(
        [
            FacetChange(kind=kind, facet=f, record_id=r, value=v, added=added, xact=xact)
            for added, entries in ((False, gone), (True, new))
            for f, r, v, _until in entries
        ],
        batch_size=500,
    )


def fresh(position):
    """Whether a value computed at `position` may be brought up to date."""
    return timezone.now() - position[1] < MAX_AGE


def stamped(text):
    """A position as kept with a value: the statement's point and the time."""
    return (text, timezone.now())


def changes_since(kind, position, facets):
    """(changes, entries, position) since `position`, from one statement:
    the log's changes of `facets` past it ({record_id: [(id, facet, value,
    added)]}), the current entries of `facets` of the records they name
    ({record_id: {(facet, value)}}), and the new position. None when more
    than MOST_CHANGED records changed."""
    log, entries = FacetChange._meta.db_table, FacetEntry._meta.db_table
    facets = list(facets)
    point, point_params = position_sql(kind)
    if connection.vendor == "postgresql":
        snapshot, own, own_max = position[0].split(";")
        past = (
            "c.xact >= pg_snapshot_xmin(%s::pg_snapshot)::text::bigint AND CASE "
            "WHEN c.xact = %s THEN c.id > %s "
            "ELSE NOT pg_visible_in_snapshot(c.xact::text::xid8, %s::pg_snapshot) END"
        )
        # No transaction has id -1; a parameter that is never None keeps
        # the statement preparable (directory/prepared.py).
        past_params = [snapshot, int(own) if own else -1, int(own_max), snapshot]
        in_facets, facet_params = "= ANY(%s)", [facets]
        # One array of ids: the planner then looks each record up in the
        # index (as an IN of a subquery it may read the whole index).
        records = "e.record_id = ANY(ARRAY(SELECT record_id FROM changed))"
    else:
        past, past_params = "c.id > %s", [int(position[0])]
        in_facets = f"IN ({', '.join(['%s'] * len(facets))})"
        facet_params = facets
        records = "e.record_id IN (SELECT record_id FROM changed)"
    sql = (
        f"WITH changed AS (SELECT c.id, c.record_id, c.facet, c.value, c.added FROM {log} c "
        f"WHERE c.kind = %s AND c.facet {in_facets} AND {past} LIMIT %s) "
        "SELECT 'c', id, record_id, facet, value, added FROM changed "
        "UNION ALL SELECT 'e', NULL, e.record_id, e.facet, e.value, NULL "
        f"FROM {entries} e WHERE e.kind = %s AND e.facet {in_facets} AND {records} "
        f"UNION ALL SELECT 'p', NULL, NULL, NULL, {point}, NULL"
    )
    params = [
        kind,
        *facet_params,
        *past_params,
        MOST_CHANGED * 4 + 1,
        kind,
        *facet_params,
        *point_params,
    ]
    changes, current, new_position = {}, {}, None
    # Run by the first reader of each kept value after a write: planned
    # once per database session (0.4 ms of planning at 100,000 programmes).
    for tag, pk, record_id, facet, value, added in prepared.rows(sql, params):
        if tag == "c":
            changes.setdefault(record_id, []).append((pk, facet, value, bool(added)))
        elif tag == "e":
            current.setdefault(record_id, set()).add((facet, value))
        else:
            new_position = stamped(value)
    logged = sum(len(found) for found in changes.values())
    if logged > MOST_CHANGED * 4 or len(changes) > MOST_CHANGED:
        return None
    return changes, current, new_position


def entries_before(now, changes):
    """A record's entries before `changes` (its logged changes past a point),
    from its entries `now`: the changes undone, latest first."""
    before = set(now)
    for _pk, facet, value, added in sorted(changes, reverse=True):
        if added:
            before.discard((facet, value))
        else:
            before.add((facet, value))
    return before
