"""Writing the facet index: every entry recomputed (`rebuild`), or those of
a few records brought in line with their relations (`refresh`), with the
totals moved by the difference. `deferred()` gathers the refreshes of one
admin save and does each record once."""

import re
import threading
from collections import Counter, defaultdict
from contextlib import contextmanager

from django.db import connection, transaction

from directory.caching import invalidation
from directory.caching.tags import facets_tag
from directory.facets import kept, upcoming
from directory.facets.registry import (
    ANY_SECTOR,
    ANYWHERE,
    MAINLAND,
    OPEN,
    kinds,
    pairs_of,
    source_for,
    table,
)
from directory.facets.totals import move_counts
from directory.models import (
    FacetChange,
    FacetEntry,
    FacetTotal,
    PublicationStatus,
    Region,
    UpcomingTotal,
)

BATCH = 2000


_ONLY = re.compile(r"\{only:([\w.]+)\}")


def _entries_sql(kind, ids=None):
    """One statement selecting (facet, record_id, value, until) for every
    published record of `kind`, or only for those in `ids`, and its params."""
    restrict = "" if ids is None else ",".join(str(int(pk)) for pk in ids)

    def narrowed(sql):
        return _ONLY.sub(lambda m: f"AND {m.group(1)} IN ({restrict})" if restrict else "", sql)

    regions = table(Region)
    # SQLite allows no column list on a subquery's alias, so each facet's
    # pairs are a named CTE with one.
    ctes = [
        "ancestry(region_id, ancestor_id) AS ("
        f"SELECT id, id FROM {regions} UNION "
        f"SELECT a.region_id, r.parent_id FROM ancestry a JOIN {regions} r "
        "ON r.id = a.ancestor_id WHERE r.parent_id IS NOT NULL)"
    ]
    parts, params = [], []
    definition = source_for(kind)
    open_to = definition.open_to and narrowed(definition.open_to())
    all_sectors = definition.all_sectors and narrowed(definition.all_sectors())
    if open_to:
        ctes.append(f"open_to(record_id, scope, region_id) AS ({open_to})")
        params += [PublicationStatus.PUBLISHED] * open_to.count("%s")
        # The regions of mainland China: those under a top-level region that
        # is not a SAR or a country.
        ctes.append(
            f"mainland(region_id) AS (SELECT a.region_id FROM ancestry a JOIN {regions} r "
            f"ON r.id = a.ancestor_id WHERE r.parent_id IS NULL "
            f"AND r.kind NOT IN ('{Region.Kind.SAR}', '{Region.Kind.COUNTRY}'))"
        )
    if all_sectors:
        ctes.append(f"all_sectors(record_id) AS ({all_sectors})")
        params += [PublicationStatus.PUBLISHED] * all_sectors.count("%s")
    for n, (facet, rolled, distinct, sql) in enumerate(pairs_of(kind)):
        sql = narrowed(sql)
        params += [PublicationStatus.PUBLISHED] * sql.count("%s")
        if facet == "region" and open_to:
            # The regions it is open to count like the regions it serves:
            # rolled up, so that a province counts what its cities are open to.
            sql += " UNION ALL SELECT record_id, region_id FROM open_to WHERE scope = 'region'"
        ctes.append(f"pairs{n}(record_id, v) AS ({sql})")
        where = ""
        if rolled:
            # Each region counts the records of the regions below it.
            value = "a.ancestor_id"
            source = f"pairs{n} p JOIN ancestry a ON a.region_id = p.v"
            if facet == "region" and open_to:
                where = f"WHERE NOT ({_covered('p.record_id', 'a.ancestor_id')})"
        else:
            value, source = "p.v", f"pairs{n} p"
            if facet == "sector" and all_sectors:
                where = "WHERE p.record_id NOT IN (SELECT record_id FROM all_sectors)"
        parts.append(
            f"SELECT {'DISTINCT' if distinct or rolled else ''} '{facet}' AS facet, "
            f"p.record_id AS record_id, CAST({value} AS TEXT) AS value FROM {source} {where}"
        )
        if facet == "region" and open_to:
            parts.append(_open_entries())
        if facet == "sector" and all_sectors:
            parts.append(
                f"SELECT 'sector' AS facet, record_id, '{ANY_SECTOR}' AS value FROM all_sectors"
            )
    select = " UNION ALL ".join(parts)
    # Each entry of an event carries the event's last day (FacetEntry.until).
    if definition.until:
        select = (
            f"SELECT found.facet, found.record_id, found.value, {definition.until} AS until "
            f"FROM ({select}) found JOIN {table(definition.model)} ev ON ev.id = found.record_id"
        )
    else:
        select = (
            f"SELECT facet, record_id, value, CAST(NULL AS DATE) AS until FROM ({select}) found"
        )
    return "WITH RECURSIVE " + ", ".join(ctes), select, params


def _covered(record, region):
    """SQL: whether the record is open to firms from the region (so that its
    "open to" entry, not a plain one, counts it there)."""
    return (
        f"EXISTS (SELECT 1 FROM open_to x WHERE x.record_id = {record} AND ("
        "x.scope = 'anywhere' "
        f"OR (x.scope = 'mainland' AND {region} IN (SELECT region_id FROM mainland)) "
        "OR (x.scope = 'region' AND EXISTS (SELECT 1 FROM ancestry b "
        f"WHERE b.region_id = {region} AND b.ancestor_id = x.region_id))))"
    )


def _open_entries():
    """SQL: the "open to" entries, one per scope that no wider scope of the
    same record covers, so that a region filter finds each record through
    exactly one entry, plain or "open to", and counts add up."""
    wider = (
        "EXISTS (SELECT 1 FROM open_to x WHERE x.record_id = o.record_id AND ("
        "x.scope = 'anywhere' "
        "OR (x.scope = 'mainland' AND o.scope = 'region' "
        "AND o.region_id IN (SELECT region_id FROM mainland)) "
        "OR (x.scope = 'region' AND o.scope = 'region' AND x.region_id <> o.region_id "
        "AND EXISTS (SELECT 1 FROM ancestry b "
        "WHERE b.region_id = o.region_id AND b.ancestor_id = x.region_id))))"
    )
    key = (
        f"CASE o.scope WHEN 'anywhere' THEN '{OPEN}{ANYWHERE}' "
        f"WHEN 'mainland' THEN '{OPEN}{MAINLAND}' "
        f"ELSE '{OPEN}' || CAST(o.region_id AS TEXT) END"
    )
    return (
        f"SELECT DISTINCT 'region' AS facet, o.record_id AS record_id, {key} AS value "
        f"FROM open_to o WHERE o.scope <> 'anywhere' AND NOT {wider} "
        f"OR o.scope = 'anywhere'"
    )


def rebuild(rebuild_index=True):
    """Every entry and total recomputed from the relations (after bulk writes)."""
    entries, totals = FacetEntry._meta.db_table, FacetTotal._meta.db_table
    # On PostgreSQL the entries' index is built once at the end, which is
    # several times faster than keeping it up to date row by row.
    indexes = []
    if rebuild_index and connection.vendor == "postgresql":
        indexes = FacetEntry._meta.indexes
    # Bulk writes that needed a rebuild sent no signals: every page is out of date.
    with invalidation.coarse(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {entries}")
        cursor.execute(f"DELETE FROM {totals}")
        # Every kept value is computed again (`all` is replaced).
        cursor.execute(f"DELETE FROM {FacetChange._meta.db_table}")
        if indexes:
            with connection.schema_editor() as editor:
                for index in indexes:
                    editor.remove_index(FacetEntry, index)
        for kind in kinds().values():
            ctes, select, params = _entries_sql(kind)
            cursor.execute(
                f"{ctes} INSERT INTO {entries} (kind, facet, record_id, value, until) "
                f"SELECT %s, facet, record_id, value, until FROM ({select}) found",
                [*params, kind],
            )
        if indexes:
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            with connection.schema_editor() as editor:
                for index in indexes:
                    editor.add_index(FacetEntry, index)
        cursor.execute(
            f"INSERT INTO {totals} (kind, facet, value, n) "
            f"SELECT kind, facet, value, COUNT(*) FROM {entries} GROUP BY kind, facet, value"
        )
        for kind in upcoming.dated_kinds():
            upcoming.build(kind)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {entries}")
            cursor.execute(f"ANALYZE {totals}")
            cursor.execute(f"ANALYZE {UpcomingTotal._meta.db_table}")


def refresh(model, ids):
    """Brings the entries of these records (of one model) in line with their
    relations, and moves the totals by the difference."""
    ids = sorted({int(pk) for pk in ids if pk is not None})
    if not ids:
        return
    if _deferred.active:
        _deferred.pending[model].update(ids)
        return
    kind = kinds()[model]
    for start in range(0, len(ids), BATCH):
        _refresh_batch(model, kind, ids[start : start + BATCH])


def _refresh_batch(model, kind, ids):
    with transaction.atomic():
        # Lock the records, so that two transactions redoing the same records
        # take turns and each sees the other's entries (PostgreSQL; SQLite
        # writes one transaction at a time anyway).
        list(model.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
        ctes, select, params = _entries_sql(kind, ids)
        with connection.cursor() as cursor:
            cursor.execute(f"{ctes} {select}", params)
            # SQLite returns the computed day as text.
            day = FacetEntry._meta.get_field("until").to_python
            wanted = {(f, r, v, day(until)) for f, r, v, until in cursor.fetchall()}
        stored = {
            (facet, record_id, value, until): pk
            for pk, facet, record_id, value, until in FacetEntry.objects.filter(
                kind=kind, facet__in=[f for f, *_ in pairs_of(kind)], record_id__in=ids
            ).values_list("pk", "facet", "record_id", "value", "until")
        }
        gone = [key for key in stored if key not in wanted]
        new = [key for key in wanted if key not in stored]
        if gone:
            FacetEntry.objects.filter(pk__in=[stored[key] for key in gone]).delete()
        if new:
            FacetEntry.objects.bulk_create(
                [
                    FacetEntry(kind=kind, facet=f, record_id=r, value=v, until=until)
                    for f, r, v, until in new
                ],
                batch_size=500,
            )
        # An event whose dates moved has its entries replaced: no count moves.
        delta = Counter((f, v) for f, _r, v, _until in new)
        delta.subtract(Counter((f, v) for f, _r, v, _until in gone))
        move_counts(FacetTotal, kind, delta)
        if gone or new:
            # A filtered list's kept matches and counts are brought up to
            # date from the log (facets/kept.py); the tags of these facets
            # tell its readers to read it.
            kept.log_writes(kind, gone, new)
            invalidation.later({facets_tag(kind, f) for f, *_rest in (*gone, *new)})
        if source_for(kind).until:
            upcoming.move(kind, new, gone)


class _Deferred(threading.local):
    active = False

    def __init__(self):
        self.pending = defaultdict(set)


_deferred = _Deferred()


@contextmanager
def deferred():
    """Collects the refreshes asked for inside, and does each record once at
    the end (an admin save touches a record, its relations and its inlines)."""
    if _deferred.active:
        yield
        return
    _deferred.active = True
    try:
        yield
    except BaseException:
        _deferred.active = False
        _deferred.pending.clear()
        raise
    _deferred.active = False
    pending, _deferred.pending = _deferred.pending, defaultdict(set)
    for model, ids in pending.items():
        refresh(model, ids)
