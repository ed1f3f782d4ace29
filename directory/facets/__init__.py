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

import re
import threading
from collections import Counter, defaultdict
from contextlib import contextmanager

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from directory.models import FacetEntry, FacetTotal, Organisation, PublicationStatus, Region, Sector

ALL = "all"  # the facet whose one value, "", counts every published record
BATCH = 2000


def _tables():
    from programmes.models import (
        Event,
        EventOrganisation,
        Programme,
        ProgrammeOrganisation,
        Service,
    )

    return {
        "org": Organisation._meta.db_table,
        "org_sectors": Organisation.sectors.through._meta.db_table,
        "region": Region._meta.db_table,
        "programme": Programme._meta.db_table,
        "programme_regions": Programme.regions.through._meta.db_table,
        "programme_sectors": Programme.sectors.through._meta.db_table,
        "programme_roles": ProgrammeOrganisation._meta.db_table,
        "service": Service._meta.db_table,
        "event": Event._meta.db_table,
        "event_regions": Event.regions.through._meta.db_table,
        "event_sectors": Event.sectors.through._meta.db_table,
        "event_roles": EventOrganisation._meta.db_table,
    }


def kinds():
    """Model -> the kind its entries are stored under."""
    from programmes.models import Event, Programme, Service

    return {
        Organisation: "organisation",
        Programme: "programme",
        Service: "service",
        Event: "event",
    }


def model_for(kind):
    return {k: model for model, k in kinds().items()}[kind]


def _year(column):
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%%Y', {column}) AS INTEGER)"


# (facet, rolled up the region tree?, needs DISTINCT?, SQL selecting
# (record_id, value) pairs of published records). `%s` is the published
# status; `{only:column}` is where a refresh narrows to the records it redoes.
def _pairs(kind):
    t = _tables()
    published = "o.status = %s"
    if kind == "organisation":
        return [
            (
                ALL,
                False,
                False,
                f"SELECT o.id, '' FROM {t['org']} o WHERE {published} {{only:o.id}}",
            ),
            (
                "kind",
                False,
                False,
                f"SELECT o.id, o.kind FROM {t['org']} o WHERE {published} {{only:o.id}}",
            ),
            (
                "region",
                True,
                False,
                f"SELECT o.id, o.region_id FROM {t['org']} o "
                f"WHERE {published} AND o.region_id IS NOT NULL {{only:o.id}}",
            ),
            (
                "sector",
                False,
                False,
                f"SELECT x.organisation_id, x.sector_id FROM {t['org_sectors']} x "
                f"JOIN {t['org']} o ON o.id = x.organisation_id WHERE {published} "
                "{only:x.organisation_id}",
            ),
        ]
    if kind == "programme":
        p = f"{t['programme']} p"
        return [
            (ALL, False, False, f"SELECT p.id, '' FROM {p} WHERE p.status = %s {{only:p.id}}"),
            # Kind and lifecycle together, so that each can be counted under
            # a filter on the other from the totals alone.
            (
                "kind_status",
                False,
                False,
                f"SELECT p.id, p.kind || '|' || p.lifecycle FROM {p} WHERE p.status = %s "
                "{only:p.id}",
            ),
            (
                "region",
                True,
                False,
                f"SELECT x.programme_id, x.region_id FROM {t['programme_regions']} x "
                f"JOIN {p} ON p.id = x.programme_id WHERE p.status = %s {{only:x.programme_id}}",
            ),
            (
                "sector",
                False,
                False,
                f"SELECT x.programme_id, x.sector_id FROM {t['programme_sectors']} x "
                f"JOIN {p} ON p.id = x.programme_id WHERE p.status = %s {{only:x.programme_id}}",
            ),
            (
                "help",
                False,
                True,
                f"SELECT s.programme_id, s.category_id FROM {t['service']} s "
                f"JOIN {p} ON p.id = s.programme_id WHERE p.status = %s AND s.status = %s "
                "{only:s.programme_id}",
            ),
            (
                "organisation",
                False,
                False,
                f"SELECT x.programme_id, x.organisation_id FROM {t['programme_roles']} x "
                f"JOIN {p} ON p.id = x.programme_id JOIN {t['org']} o ON o.id = x.organisation_id "
                f"WHERE p.status = %s AND {published} {{only:x.programme_id}}",
            ),
        ]
    if kind == "service":
        s = f"{t['service']} s"
        return [
            (ALL, False, False, f"SELECT s.id, '' FROM {s} WHERE s.status = %s {{only:s.id}}"),
            (
                "help",
                False,
                False,
                f"SELECT s.id, s.category_id FROM {s} WHERE s.status = %s {{only:s.id}}",
            ),
            # Where the provider is based, or where its programme serves.
            (
                "region",
                True,
                True,
                f"SELECT s.id, o.region_id FROM {s} JOIN {t['org']} o ON o.id = s.provider_id "
                "WHERE s.status = %s AND o.region_id IS NOT NULL {only:s.id} "
                f"UNION ALL SELECT s.id, x.region_id FROM {s} "
                f"JOIN {t['programme_regions']} x ON x.programme_id = s.programme_id "
                "WHERE s.status = %s {only:s.id}",
            ),
            (
                "organisation",
                False,
                False,
                f"SELECT s.id, s.provider_id FROM {s} JOIN {t['org']} o ON o.id = s.provider_id "
                f"WHERE s.status = %s AND {published} {{only:s.id}}",
            ),
        ]
    if kind == "event":
        e = f"{t['event']} e"
        return [
            (ALL, False, False, f"SELECT e.id, '' FROM {e} WHERE e.status = %s {{only:e.id}}"),
            (
                "kind",
                False,
                False,
                f"SELECT e.id, e.kind FROM {e} WHERE e.status = %s {{only:e.id}}",
            ),
            # Where it takes place, or the regions it serves.
            (
                "region",
                True,
                True,
                f"SELECT e.id, e.city_id FROM {e} WHERE e.status = %s AND e.city_id IS NOT NULL "
                "{only:e.id} "
                f"UNION ALL SELECT x.event_id, x.region_id FROM {t['event_regions']} x "
                f"JOIN {e} ON e.id = x.event_id WHERE e.status = %s {{only:x.event_id}}",
            ),
            (
                "sector",
                False,
                False,
                f"SELECT x.event_id, x.sector_id FROM {t['event_sectors']} x "
                f"JOIN {e} ON e.id = x.event_id WHERE e.status = %s {{only:x.event_id}}",
            ),
            (
                "year",
                False,
                False,
                f"SELECT e.id, {_year('e.start_date')} FROM {e} "
                "WHERE e.status = %s AND e.start_date IS NOT NULL {only:e.id}",
            ),
            (
                "organisation",
                False,
                False,
                f"SELECT x.event_id, x.organisation_id FROM {t['event_roles']} x "
                f"JOIN {e} ON e.id = x.event_id JOIN {t['org']} o ON o.id = x.organisation_id "
                f"WHERE e.status = %s AND {published} {{only:x.event_id}}",
            ),
        ]
    raise ValueError(kind)


_ONLY = re.compile(r"\{only:([\w.]+)\}")


def _entries_sql(kind, ids=None):
    """One statement selecting (facet, record_id, value, until) for every
    published record of `kind`, or only for those in `ids`, and its params."""
    t = _tables()
    restrict = "" if ids is None else ",".join(str(int(pk)) for pk in ids)
    # SQLite allows no column list on a subquery's alias, so each facet's
    # pairs are a named CTE with one.
    ctes = [
        "ancestry(region_id, ancestor_id) AS ("
        f"SELECT id, id FROM {t['region']} UNION "
        f"SELECT a.region_id, r.parent_id FROM ancestry a JOIN {t['region']} r "
        "ON r.id = a.ancestor_id WHERE r.parent_id IS NOT NULL)"
    ]
    parts, params = [], []
    for n, (facet, rolled, distinct, sql) in enumerate(_pairs(kind)):
        sql = _ONLY.sub(lambda m: f"AND {m.group(1)} IN ({restrict})" if restrict else "", sql)
        params += [PublicationStatus.PUBLISHED] * sql.count("%s")
        ctes.append(f"pairs{n}(record_id, v) AS ({sql})")
        if rolled:
            # Each region counts the records of the regions below it.
            value = "a.ancestor_id"
            source = f"pairs{n} p JOIN ancestry a ON a.region_id = p.v"
        else:
            value, source = "p.v", f"pairs{n} p"
        parts.append(
            f"SELECT {'DISTINCT' if distinct or rolled else ''} '{facet}' AS facet, "
            f"p.record_id AS record_id, CAST({value} AS TEXT) AS value FROM {source}"
        )
    select = " UNION ALL ".join(parts)
    # Each entry of an event carries the event's last day (FacetEntry.until).
    if kind == "event":
        select = (
            "SELECT found.facet, found.record_id, found.value, "
            "COALESCE(ev.end_date, ev.start_date) AS until "
            f"FROM ({select}) found JOIN {t['event']} ev ON ev.id = found.record_id"
        )
    else:
        select = (
            f"SELECT facet, record_id, value, CAST(NULL AS DATE) AS until FROM ({select}) found"
        )
    return "WITH RECURSIVE " + ", ".join(ctes), select, params


def rebuild(rebuild_index=True):
    """Every entry and total recomputed from the relations (after bulk writes)."""
    entries, totals = FacetEntry._meta.db_table, FacetTotal._meta.db_table
    # On PostgreSQL the entries' index is built once at the end, which is
    # several times faster than keeping it up to date row by row.
    indexes = []
    if rebuild_index and connection.vendor == "postgresql":
        indexes = FacetEntry._meta.indexes
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {entries}")
        cursor.execute(f"DELETE FROM {totals}")
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
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {entries}")
            cursor.execute(f"ANALYZE {totals}")


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
                kind=kind, facet__in=[f for f, *_ in _pairs(kind)], record_id__in=ids
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
        _move_totals(kind, delta)


def _move_totals(kind, delta):
    delta = {key: n for key, n in delta.items() if n}
    if not delta:
        return
    FacetTotal.objects.bulk_create(
        [FacetTotal(kind=kind, facet=f, value=v, n=0) for f, v in delta],
        ignore_conflicts=True,
    )
    by_step = defaultdict(list)
    for (facet, value), n in delta.items():
        by_step[n].append(Q(facet=facet, value=value))
    for n, keys in by_step.items():
        condition = Q()
        for key in keys:
            condition |= key
        FacetTotal.objects.filter(condition, kind=kind).update(n=F("n") + n)


# --- batching ------------------------------------------------------------------


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


# --- what a write affects -------------------------------------------------------


def affected_by_value(facet, value):
    """Records, by model, with an entry for this facet value."""
    found = defaultdict(set)
    rows = FacetEntry.objects.filter(facet=facet, value=str(value)).values_list("kind", "record_id")
    for kind, record_id in rows:
        found[model_for(kind)].add(record_id)
    return found


def _refresh_all(found):
    for model, ids in found.items():
        refresh(model, ids)


def _stash_previous(sender, instance, **kwargs):
    # What the dependent records' entries rest on, before this save.
    if instance.pk:
        fields = _TRACKED[sender]
        instance._facet_previous = sender.objects.filter(pk=instance.pk).values(*fields).first()


def _changed(instance, *fields):
    previous = getattr(instance, "_facet_previous", None)
    if previous is None:
        return True
    return any(previous[f] != getattr(instance, f) for f in fields)


def _organisation_saved(sender, instance, **kwargs):
    from programmes.models import Event, Programme, Service

    refresh(Organisation, [instance.pk])
    if _changed(instance, "status", "region_id"):
        # Others count it as a partner only while published, and its services
        # count where it is based.
        refresh(Programme, instance.programme_roles.values_list("programme_id", flat=True))
        refresh(Event, instance.event_roles.values_list("event_id", flat=True))
        refresh(Service, instance.services.values_list("pk", flat=True))


def _programme_deleting(sender, instance, **kwargs):
    # Its services lose their programme (SET_NULL, no signals) and its regions.
    instance._facet_services = list(instance.services.values_list("pk", flat=True))


def _programme_changed(sender, instance, **kwargs):
    from programmes.models import Programme, Service

    refresh(Programme, [instance.pk])
    refresh(Service, getattr(instance, "_facet_services", ()))


def _service_changed(sender, instance, **kwargs):
    from programmes.models import Programme, Service

    refresh(Service, [instance.pk])
    # Its programme counts its kind of help while it is published.
    previous = getattr(instance, "_facet_previous", None) or {}
    refresh(Programme, [instance.programme_id, previous.get("programme_id")])


def _record_changed(sender, instance, **kwargs):
    refresh(type(instance), [instance.pk])


def _role_changed(sender, instance, **kwargs):
    from programmes.models import Event, Programme, ProgrammeOrganisation

    if sender is ProgrammeOrganisation:
        refresh(Programme, [instance.programme_id])
    else:
        refresh(Event, [instance.event_id])


def _region_saved(sender, instance, created, **kwargs):
    if not created and _changed(instance, "parent_id"):
        _refresh_all(affected_by_value("region", instance.pk))


def _vocabulary_deleted(sender, instance, **kwargs):
    facet = "region" if sender is Region else "sector"
    _refresh_all(affected_by_value(facet, instance.pk))


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    from programmes.models import Programme, Service

    if sender not in _M2M:
        return
    owner = _M2M[sender]
    if action == "pre_clear" and reverse:
        column = sender._meta.get_field(owner._meta.model_name).column
        other = next(
            f for f in sender._meta.fields if f.is_relation and f.related_model is not owner
        )
        instance._facet_cleared = list(
            sender.objects.filter(**{other.attname: instance.pk}).values_list(column, flat=True)
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        ids = pk_set if action != "post_clear" else getattr(instance, "_facet_cleared", [])
    else:
        ids = [instance.pk]
    refresh(owner, ids)
    if sender is Programme.regions.through:
        # A service counts where its programme serves.
        refresh(
            Service, Service.objects.filter(programme_id__in=list(ids)).values_list("pk", flat=True)
        )


_TRACKED = {}
_M2M = {}


def connect_signals():
    from programmes.models import (
        Event,
        EventOrganisation,
        Programme,
        ProgrammeOrganisation,
        Service,
    )

    _TRACKED.update(
        {
            Organisation: ("status", "region_id"),
            Service: ("programme_id",),
            Region: ("parent_id",),
        }
    )
    _M2M.update(
        {
            Organisation.sectors.through: Organisation,
            Programme.regions.through: Programme,
            Programme.sectors.through: Programme,
            Event.regions.through: Event,
            Event.sectors.through: Event,
        }
    )
    uid = "directory.facets"
    for model in _TRACKED:
        pre_save.connect(_stash_previous, sender=model, dispatch_uid=f"{uid}:pre:{model.__name__}")
    connections = [
        (post_save, Organisation, _organisation_saved),
        (post_delete, Organisation, _record_changed),
        (post_save, Programme, _programme_changed),
        (pre_delete, Programme, _programme_deleting),
        (post_delete, Programme, _programme_changed),
        (post_save, Service, _service_changed),
        (post_delete, Service, _service_changed),
        (post_save, Event, _record_changed),
        (post_delete, Event, _record_changed),
        (post_save, ProgrammeOrganisation, _role_changed),
        (post_delete, ProgrammeOrganisation, _role_changed),
        (post_save, EventOrganisation, _role_changed),
        (post_delete, EventOrganisation, _role_changed),
        (post_save, Region, _region_saved),
        (post_delete, Region, _vocabulary_deleted),
        (post_delete, Sector, _vocabulary_deleted),
    ]
    for signal, model, receiver in connections:
        signal.connect(
            receiver, sender=model, dispatch_uid=f"{uid}:{receiver.__name__}:{model.__name__}"
        )
    m2m_changed.connect(_m2m_changed, dispatch_uid=f"{uid}:m2m")


# --- reading ---------------------------------------------------------------------


def totals(kind, facets):
    """{facet: {value: n}} over every published record of `kind`. One query."""
    found = defaultdict(dict)
    rows = FacetTotal.objects.filter(kind=kind, facet__in=facets, n__gt=0).values_list(
        "facet", "value", "n"
    )
    for facet, value, n in rows:
        found[facet][value] = n
    return found


def counts(kind, facet_names, records=None, within=(), record_ids=None, until=None):
    """{facet: {value: n}}: how many published records of `kind` have an entry
    for each value of each of `facet_names`, among `records` (a queryset; None
    for all) that have an entry for one of the values of each (facet, values)
    of `within`, or whose ids are `record_ids` when those are already known;
    and, for events, whose last day is `until` or later.
    One query, whatever the number of facets: the records are found once."""
    rows = FacetEntry.objects.filter(kind=kind, facet__in=facet_names)
    if until is not None:
        rows = rows.filter(until__gte=until)
    if record_ids is not None:
        rows = rows.filter(record_id__in=record_ids)
    elif within:
        rows = rows.filter(record_id__in=records_in_all(kind, within))
    if records is not None:
        rows = rows.filter(record_id__in=records.order_by().values("pk"))
    rows = (
        rows.values("facet", "value")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("facet", "value", "n")
    )
    found = {facet: {} for facet in facet_names}
    for facet, value, n in rows:
        found[facet][value] = n
    return found


def records_with(kind, facet, values):
    """Ids of the published records of `kind` with an entry for any of
    `values` of `facet`, as a subquery."""
    return FacetEntry.objects.filter(
        kind=kind, facet=facet, value__in=[str(v) for v in values]
    ).values("record_id")


def records_in_all(kind, within):
    """Ids of the records with an entry for one of the values of every
    (facet, values) of `within`, as one subquery (an INTERSECT)."""
    first, *rest = (records_with(kind, facet, values) for facet, values in within)
    return first.intersection(*rest) if rest else first


def records_matching(kind, within, limit):
    """The ids of the records matching every (facet, values) of `within` (an
    entry for one of the values of each facet), and for each facet those
    matching all the others: {None: ids, facet: ids, ...}. One query, which
    reads only the index ranges of the values asked for; None when more than
    `limit` records match all but one (the caller then leaves the sets to the
    database as subqueries).

    Listing the ids lets the queries that follow (the page, each facet's
    counts) start from a set of known size instead of recomputing it, and
    PostgreSQL's estimate of an INTERSECT is far from its size."""
    entries = FacetEntry._meta.db_table
    marks = [f"m{position}" for position in range(len(within))]
    parts, params = [], []
    for position, (facet, values) in enumerate(within):
        values = [str(value) for value in values]
        # Each range marks its own column: plain MAX()es then say which
        # conditions a record meets (DISTINCT aggregates would sort each group).
        columns = ", ".join(f"{int(i == position)} AS {mark}" for i, mark in enumerate(marks))
        parts.append(
            f"SELECT record_id, {columns} FROM {entries} "
            f"WHERE kind = %s AND facet = %s AND value IN ({', '.join(['%s'] * len(values))})"
        )
        params += [kind, facet, *values]
    met = [f"MAX({mark})" for mark in marks]
    sql = (
        f"SELECT record_id, {', '.join(met)} FROM ({' UNION ALL '.join(parts)}) matched "
        f"GROUP BY record_id HAVING {' + '.join(met)} >= %s LIMIT %s"
    )
    params += [max(len(within) - 1, 1), limit + 1]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if len(rows) > limit:
        return None
    names = [facet for facet, _values in within]
    # With one condition, "all the others" is every record: not listed here.
    others = names if len(names) > 1 else []
    found = {None: []} | {facet: [] for facet in others}
    for record_id, *met_each in rows:
        missing = [facet for facet, met_it in zip(names, met_each, strict=True) if not met_it]
        if not missing:
            found[None].append(record_id)
        for facet in others:
            if missing in ([], [facet]):
                found[facet].append(record_id)
    return found


def top_organisations(kind, records, selected, limit, until=None):
    """Published organisations with the most `records` (a queryset of
    published records of `kind`; None for all of them, or for those whose
    last day is `until` or later), largest first, each with its count as `n`;
    plus the one whose slug is `selected`, whatever its count. One query."""
    entries, totals_table = FacetEntry._meta.db_table, FacetTotal._meta.db_table
    columns = "o.id, o.slug, o.name, o.name_zh_hans, o.name_zh_hant, o.short_name"
    if records is None and until is None:
        top = (
            f"SELECT value, n FROM {totals_table} WHERE kind = %s AND facet = 'organisation' "
            "AND n > 0 ORDER BY n DESC, value LIMIT %s"
        )
        top_params = [kind, limit]
        one = (
            f"SELECT t.n FROM {totals_table} t WHERE t.kind = %s "
            "AND t.facet = 'organisation' AND t.value = CAST(o.id AS TEXT)"
        )
        one_params = [kind]
    else:
        if records is None:
            among, among_params = "e.until >= %s", [until]
        else:
            try:
                sub_sql, sub_params = records.order_by().values("pk").query.sql_with_params()
            except EmptyResultSet:
                sub_sql, sub_params = "SELECT CAST(NULL AS BIGINT) WHERE 1 = 0", ()
            among, among_params = f"e.record_id IN ({sub_sql})", list(sub_params)
        top = (
            f"SELECT value, COUNT(*) AS n FROM {entries} e WHERE kind = %s "
            f"AND facet = 'organisation' AND {among} "
            "GROUP BY value ORDER BY n DESC, value LIMIT %s"
        )
        top_params = [kind, *among_params, limit]
        one = (
            f"SELECT COUNT(*) FROM {entries} e WHERE e.kind = %s AND e.facet = 'organisation' "
            f"AND e.value = CAST(o.id AS TEXT) AND {among}"
        )
        one_params = [kind, *among_params]
    sql = (
        f"SELECT {columns}, c.n AS n FROM ({top}) c "
        f"JOIN {Organisation._meta.db_table} o ON o.id = CAST(c.value AS BIGINT)"
    )
    params = top_params
    if selected:
        sql += (
            f" UNION ALL SELECT {columns}, COALESCE(({one}), 0) AS n "
            f"FROM {Organisation._meta.db_table} o WHERE o.slug = %s AND o.status = %s"
        )
        params = [*params, *one_params, selected, PublicationStatus.PUBLISHED]
    return list(Organisation.objects.raw(sql, params))
