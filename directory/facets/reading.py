"""Reading the facet index: counts per facet value, the records with some
values as subqueries, and the organisations with the most records (a
filtered list's matches and counts: facets/filtered.py)."""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count

from directory.facets import upcoming
from directory.models import FacetEntry, FacetTotal, Organisation, PublicationStatus


def totals(kind, facets):
    """{facet: {value: n}} over every published record of `kind`. One query,
    or none while the shared cache holds them: every change to a published
    record replaces the home page's generation (its counts), and with it these."""
    from directory import caching

    key = f"directory:totals:{kind}:{','.join(facets)}"
    found, _cached = caching.shared(key, lambda: read_totals(kind, facets), caching.TOTALS_TAGS)
    return found


def read_totals(kind, facets):
    found = {}
    rows = FacetTotal.objects.filter(kind=kind, facet__in=facets, n__gt=0).values_list(
        "facet", "value", "n"
    )
    for facet, value, n in rows:
        found.setdefault(facet, {})[value] = n
    return found


def counts(kind, facet_names, records=None, within=(), record_ids=None, until=None):
    """{facet: {value: n}}: how many published records of `kind` have an entry
    for each value of each of `facet_names`, among `records` (a queryset; None
    for all) that have an entry for one of the values of each (facet, values)
    of `within`, or whose ids are `record_ids` when those are already known
    (those that `within` leaves); and, for events, whose last day is `until`
    or later. One query, whatever the number of facets: the records are found
    once."""
    if until is not None and records is None and record_ids is None and not within:
        # Every record still to come: their kept totals (facets/upcoming.py).
        with connection.cursor() as cursor:
            cursor.execute(*upcoming.totals_sql(kind, facet_names, until))
            return _by_facet(facet_names, cursor.fetchall())
    rows = FacetEntry.objects.filter(kind=kind, facet__in=facet_names)
    if until is not None:
        rows = rows.filter(until__gte=until)
    if record_ids is not None:
        rows = rows.filter(record_id__any_of=record_ids)
    elif within:
        rows = rows.filter(record_id__in=records_in_all(kind, within))
    if records is not None:
        rows = rows.filter(record_id__in=records.order_by().values("pk"))
    return _by_facet(facet_names, _counted(rows))


def _counted(rows):
    return (
        rows.values("facet", "value")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("facet", "value", "n")
    )


def _by_facet(facet_names, rows):
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


def top_organisations(kind, records, selected, limit, until=None, record_ids=None):
    """Published organisations with the most `records` (a queryset of
    published records of `kind`; None for all of them, or for those whose
    last day is `until` or later, or whose ids are `record_ids` when those
    are known), largest first, each with its count as `n`; plus the one
    whose slug is `selected`, whatever its count. One query."""
    entries, totals_table = FacetEntry._meta.db_table, FacetTotal._meta.db_table
    columns = "o.id, o.slug, o.name, o.name_zh_hans, o.name_zh_hant, o.short_name"
    if records is None and until is None and record_ids is None:
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
        if record_ids is not None:
            among, among_params = _among_ids("e.record_id", record_ids)
        elif records is None:
            among, among_params = "e.until >= %s", [until]
        else:
            try:
                sub_sql, sub_params = records.order_by().values("pk").query.sql_with_params()
            except EmptyResultSet:
                sub_sql, sub_params = "SELECT CAST(NULL AS BIGINT) WHERE 1 = 0", ()
            among, among_params = f"e.record_id IN ({sub_sql})", list(sub_params)
        if record_ids is None and records is None:
            # Every record still to come: their kept totals (facets/upcoming.py).
            top, top_params = upcoming.top_sql(kind, "organisation", until, limit)
        else:
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


def _among_ids(column, ids):
    """(SQL, params): `column` is one of `ids`; on PostgreSQL one array
    parameter (as the `any_of` lookup)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [list(ids)]
    if not ids:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)
