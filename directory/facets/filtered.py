"""A list filtered by facets the index serves (a region, a sector, a kind of
help): the records matching them, and each facet's counts among them, read
once and kept in the shared cache as one value; after a write, brought up to
date from the log of facet changes (directory/facets/kept.py).

At 100,000 programmes, a region, a sector and a kind of help match some
1,100 records; finding them and counting each facet among them is one
statement of 20-30 ms. Bringing the kept value up to date after a save is
one statement that reads the few records the save changed (under 1 ms), and
one round trip to the cache each way.
"""

import hashlib

from django.db import connection

from directory.facets import kept
from directory.models import FacetEntry


def matched_and_counted(kind, within, limit, plan):
    """{"found": matches, "counts": {key: {facet: {value: n}}}} for the
    conditions `within` ((facet, values) each: an entry for one of the values
    of every facet). `found` is `matching_records`; `counts` has, for each
    key of `plan` whose records `found` lists (None: the matches; a facet of
    `within`: the records matching all the others), the counts of the
    facets `plan[key]` names among them. Kept in the shared cache, and
    brought up to date after a write."""
    from directory import caching
    from directory.caching.tags import EVERYTHING, facets_tag

    within = [(facet, [str(value) for value in values]) for facet, values in within]
    plan = {key: tuple(names) for key, names in plan.items()}
    read = _facets_read(within, plan)
    key = repr(("filtered", kind, within, limit, sorted(plan.items(), key=repr)))
    # The tags of the facets it reads say whether the log need be read at
    # all: a save that changes only a record's text leaves them.
    tags = (EVERYTHING, *(facets_tag(kind, facet) for facet in read))
    return caching.shared_updated(
        f"directory:filtered:{kind}:{hashlib.sha256(key.encode()).hexdigest()}",
        lambda: _computed(kind, within, limit, plan),
        lambda old: _updated(kind, within, limit, plan, old),
        tags,
    )


def matching_records(kind, within, limit):
    """The ids of the records matching every (facet, values) of `within` (an
    entry for one of the values of each facet), and for each facet those
    matching all the others: {None: ids, facet: ids, ...}. One query, which
    reads only the index ranges of the values asked for; None when more than
    `limit` records match all but one (the caller then leaves the sets to the
    database as subqueries).

    Listing the ids lets the queries that follow (the page, each facet's
    counts) start from a set of known size instead of recomputing it, and
    PostgreSQL's estimate of an INTERSECT is far from its size."""
    within = [(facet, [str(value) for value in values]) for facet, values in within]
    sql, params = _matching_sql(kind, within, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        met = dict(cursor.fetchall())
    return _found(within, met if len(met) <= limit else None)


def _facets_read(within, plan):
    return sorted({facet for facet, _values in within}.union(*plan.values()))


def _computed(kind, within, limit, plan):
    """{met, found, counts, position}: each matching record's conditions met
    (a bit each), the matches, the counts, and the log's position of the
    state they were read from. One statement, so one snapshot: the position
    holds for the matches and for every count."""
    matched, params = _matching_sql(kind, within, limit)
    entries = FacetEntry._meta.db_table
    postgresql = connection.vendor == "postgresql"
    full = (1 << len(within)) - 1
    parts = ["SELECT -1, record_id, met, NULL, NULL, 0 FROM matched"]
    for index, (key, names) in enumerate(plan.items()):
        if key is not None and len(within) < 2:
            continue  # not listed (see _found)
        bit = 0 if key is None else 1 << _position(key, within)
        members = f"SELECT record_id FROM matched WHERE (met | {bit}) = {full}"
        # On PostgreSQL one array of ids: each is then looked up in the
        # index, as a filtered list's counts always were.
        among = f"ANY(ARRAY({members}))" if postgresql else f"IN ({members})"
        facets_in = ", ".join(["%s"] * len(names))
        parts.append(
            f"SELECT {index}, NULL, NULL, facet, value, COUNT(*) FROM {entries} "
            f"WHERE kind = %s AND facet IN ({facets_in}) AND record_id {'=' if postgresql else ''} "
            f"{among} AND (SELECT COUNT(*) FROM matched) <= %s GROUP BY facet, value"
        )
        params += [kind, *names, limit]
    point, point_params = kept.position_sql(kind)
    parts.append(f"SELECT -2, NULL, NULL, NULL, {point}, 0")
    params += point_params
    sql = f"WITH matched AS ({matched}) " + " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    met, position = {}, None
    counts = {index: {facet: {} for facet in names} for index, names in enumerate(plan.values())}
    for part, record_id, bits, facet, value, n in rows:
        if part == -1:
            met[record_id] = bits
        elif part == -2:
            position = kept.stamped(value)
        else:
            counts[part][facet][value] = n
    if len(met) > limit:
        return {"met": None, "found": None, "counts": {}, "position": position}
    met = dict(sorted(met.items()))
    found = _found(within, met)
    kept_counts = {key: counts[index] for index, key in enumerate(plan) if key in found}
    return {"met": met, "found": found, "counts": kept_counts, "position": position}


def _matching_sql(kind, within, limit):
    """(SQL, params): each record meeting all the conditions of `within`
    or all but one, with the conditions it meets (a bit each): at most
    `limit` + 1 of them."""
    entries = FacetEntry._meta.db_table
    postgresql = connection.vendor == "postgresql"
    parts, params = [], []
    for position, (facet, values) in enumerate(within):
        # Each range marks its own bit: a record's bits together say which
        # conditions it meets.
        select = f"SELECT record_id, {1 << position} AS met FROM {entries} WHERE kind = %s"
        if postgresql:
            # A range per value, each read in record order from the index
            # and merged: records are then grouped as they come, not hashed
            # (8.3-9.5 ms instead of 11.5-13.7 for 25,000 entries). SQLite
            # takes no ORDER BY inside a UNION.
            for value in values:
                parts.append(f"({select} AND facet = %s AND value = %s ORDER BY record_id)")
                params += [kind, facet, value]
        else:
            placeholders = ", ".join(["%s"] * len(values))
            parts.append(f"{select} AND facet = %s AND value IN ({placeholders})")
            params += [kind, facet, *values]
    merged = " UNION ALL ".join(parts)
    if postgresql and len(parts) > 1:  # one range is in record order already
        merged += " ORDER BY record_id"
    full = (1 << len(within)) - 1
    need = max(len(within) - 1, 1)
    wanted = [met for met in range(1, full + 1) if met.bit_count() >= need]
    # One aggregate over one small integer: BIT_OR. (The same with a MAX
    # per condition took 25% longer; SQLite has no BIT_OR, and there a sum
    # of the distinct bits is the same thing.)
    met = "BIT_OR(met)" if postgresql else "SUM(DISTINCT met)"
    sql = (
        f"SELECT record_id, {met} AS met FROM ({merged}) matched GROUP BY record_id "
        f"HAVING {met} IN ({', '.join(['%s'] * len(wanted))}) ORDER BY record_id LIMIT %s"
    )
    return sql, [*params, *wanted, limit + 1]


def _found(within, met):
    """`matching_records` from each record's conditions met."""
    if met is None:
        return None
    full = (1 << len(within)) - 1
    found = {None: [record_id for record_id, bits in met.items() if bits == full]}
    if len(within) > 1:  # with one condition, "all the others" is every record
        for position, (facet, _values) in enumerate(within):
            # All the conditions, or all but this one.
            found[facet] = [
                record_id for record_id, bits in met.items() if bits | (1 << position) == full
            ]
    return found


def _position(facet, within):
    return next(bit for bit, (name, _values) in enumerate(within) if name == facet)


def _updated(kind, within, limit, plan, old):
    """`old` (from `_computed`) brought up to date by the records changed
    since its position, or None when it cannot be (too old, too many
    changes, or too many matches to list)."""
    if old["met"] is None or not kept.fresh(old["position"]):
        return None
    found = kept.changes_since(kind, old["position"], _facets_read(within, plan))
    if found is None:
        return None
    changes, current, position = found
    met = dict(old["met"])
    counts = {key: {f: dict(values) for f, values in c.items()} for key, c in old["counts"].items()}
    need = max(len(within) - 1, 1)
    came = False
    for record_id, logged in changes.items():
        now = current.get(record_id, set())
        before = kept.entries_before(now, logged)
        was, bits = met.get(record_id, 0), _bits(within, now)
        for key, names in plan.items():
            if key not in counts:
                continue
            if _in(was, key, within):
                _add(counts[key], before, names, -1)
            if _in(bits, key, within):
                _add(counts[key], now, names, 1)
        if bits.bit_count() >= need:
            came = came or record_id not in met
            met[record_id] = bits
        else:
            met.pop(record_id, None)
    if len(met) > limit:
        return None
    if came:  # in record order, as the database lists them
        met = dict(sorted(met.items()))
    counts = {
        key: {f: {v: n for v, n in values.items() if n > 0} for f, values in c.items()}
        for key, c in counts.items()
    }
    return {"met": met, "found": _found(within, met), "counts": counts, "position": position}


def _bits(within, entries):
    """The conditions of `within` a record with `entries` meets, a bit each."""
    return sum(
        1 << bit
        for bit, (facet, values) in enumerate(within)
        if any((facet, value) in entries for value in values)
    )


def _in(bits, key, within):
    """Whether a record meeting `bits` is among the records `key` names (None:
    the matches; a facet: those matching all the other conditions)."""
    full = (1 << len(within)) - 1
    if key is None:
        return bits == full
    return bits != 0 and bits | (1 << _position(key, within)) == full


def _add(counts, entries, names, step):
    for facet, value in entries:
        if facet in names:
            counts[facet][value] = counts[facet].get(value, 0) + step
