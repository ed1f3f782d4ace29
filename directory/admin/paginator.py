from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Beyond this many rows a filtered changelist says "10,000" pages' worth and
# stops counting: nobody pages that far, they narrow the filter instead.
COUNT_CAP = 10_000
# An unfiltered list of a table this big shows the planner's row estimate: an
# exact COUNT(*) reads every row, and nobody needs the last digit.
ESTIMATE_FROM = COUNT_CAP
# From this offset on, a page first finds its rows' keys (read from the sort
# index alone) and then loads those rows only, instead of reading every row it
# skips.
KEYS_FIRST_FROM = 1_000


class CappedCountPaginator(Paginator):
    """A changelist paginator that never runs an unbounded COUNT(*) and whose
    deep pages cost about what the first one does.

    Unfiltered lists of big tables on PostgreSQL use the table's row estimate
    from pg_class; everything else counts at most COUNT_CAP rows.
    """

    @cached_property
    def count(self):
        queryset = self.object_list
        estimate = self._estimate(queryset)
        if estimate is not None:
            return estimate
        return queryset.order_by().values("pk")[:COUNT_CAP].count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < KEYS_FIRST_FROM or not isinstance(self.object_list, QuerySet):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows_by_keys(bottom, top), number, self)

    def _rows_by_keys(self, bottom, top):
        # The ordering of `object_list` still applies, so the rows come back in
        # the order of their keys.
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self.object_list.filter(pk__in=keys)

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
