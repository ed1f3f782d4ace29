from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Beyond this many rows a filtered changelist says "10,000" pages' worth and
# stops counting: nobody pages that far, they narrow the filter instead.
COUNT_CAP = 10_000
# Below this the planner's estimate is too rough to show, and an exact count is cheap.
ESTIMATE_FROM = 100_000


class CappedCountPaginator(Paginator):
    """A changelist paginator that never runs an unbounded COUNT(*).

    Unfiltered lists on PostgreSQL use the table's row estimate from
    pg_class; everything else counts at most COUNT_CAP rows.
    """

    @cached_property
    def count(self):
        queryset = self.object_list
        estimate = self._estimate(queryset)
        if estimate is not None:
            return estimate
        return queryset.order_by().values("pk")[:COUNT_CAP].count()

    def _estimate(self, queryset):
        query = getattr(queryset, "query", None)
        if query is None or query.where or query.distinct:
            return None
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        if row is None or row[0] < ESTIMATE_FROM:
            return None
        return row[0]
