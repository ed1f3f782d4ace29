"""Why a row of a list matches its filters, and the "best fit" sort: each
row carries the most specific facet-index entry it matched under each
filter the index serves (a record placed in the region before one open to
it, open to the region before open to the mainland, before open to anyone).
"""

from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from directory import facets
from directory.models import FacetEntry


class MatchReasons:
    """For PublicFilterSet: reads its `entry_conditions()`, `facet_kind`
    and `vocab`."""

    def with_reasons(self, queryset):
        """The rows, each carrying (as `why_<facet>`) the most specific
        facet-index entry it matched under each active filter the index
        serves (see `with_reasons`)."""
        return with_reasons(queryset, self.facet_kind, self.entry_conditions())

    def fit_ordering(self):
        """The "best fit" sort (sort=fit): most specific matches first."""
        if self.entry_conditions():
            return ("fit_score", "name", "pk")
        return ("name", "pk")

    def match_reasons(self, record):
        """Why a row (annotated by `with_reasons`) matches, most specific first."""
        found = []
        for facet, _values in self.entry_conditions():
            value = getattr(record, f"why_{facet}", None)
            reason = value and self.reason(facet, value)
            if reason:
                found.append(reason)
        return found

    @staticmethod
    def specificity(facet, value):
        """Lower first: a record placed in the region beats one open to it."""
        if value == facets.ANY_SECTOR or value == f"{facets.OPEN}{facets.ANYWHERE}":
            return 3
        if value == f"{facets.OPEN}{facets.MAINLAND}":
            return 2
        return 1 if value.startswith(facets.OPEN) else 0

    def reason(self, facet, value):
        tables = {"region": self.vocab.regions, "active_in": self.vocab.regions}
        tables |= {"sector": self.vocab.sectors, "help": self.vocab.categories}
        if facet == "sector" and value == facets.ANY_SECTOR:
            return _("open to all technology sectors")
        if facet == "region" and value.startswith(facets.OPEN):
            scope = value[len(facets.OPEN) :]
            if scope == facets.ANYWHERE:
                return _("open to firms from anywhere")
            if scope == facets.MAINLAND:
                return _("open to mainland firms")
            term = self.vocab.regions.get(int(scope))
            return term and _("open to firms from %(region)s") % {"region": term.label}
        term = tables.get(facet, {}).get(int(value)) if value.isdigit() else None
        if term is None:
            return None
        if facet == "region":
            return _("serves %(region)s") % {"region": term.label}
        return term.label


def with_reasons(queryset, kind, conditions):
    """`queryset`'s rows, each carrying (as `why_<facet>`) the most specific
    facet-index entry it matched under each (facet, values) of `conditions`:
    a record placed in the region before one open to it, open to the region
    before open to the mainland, before open to anyone. A subquery per
    condition in the page's own query, read for its 20 rows; and their
    `fit_score` for the "best fit" sort."""
    annotations = {}
    for facet, values in conditions:
        entries = FacetEntry.objects.filter(
            kind=kind, facet=facet, record_id=OuterRef("pk"), value__any_of=list(values)
        )
        annotations[f"why_{facet}"] = Subquery(
            entries.order_by(specificity_sql(), "value").values("value")[:1]
        )
    if not annotations:
        return queryset
    queryset = queryset.annotate(**annotations)
    # The best fit first: the sum of each match's specificity (0 for a
    # record placed in the region, 3 for one open to anyone).
    score = sum((specificity_sql(f"why_{facet}") for facet, _values in conditions), start=Value(0))
    return queryset.annotate(fit_score=score)


def with_entry_ids(records, ids, *values, kind, facet_names):
    """The `records` whose ids are `ids` (those the facet index found for
    the filters), with their reasons under each of `facet_names` for its
    `values`: a filtered list's first page, as a prepared query
    (directory.views.lists._first_page; its filterset's `prepared_filtering`)."""
    conditions = list(zip(facet_names, values, strict=True))
    return with_reasons(records.filter(pk__any_of=ids), kind, conditions)


def specificity_sql(column="value"):
    return Case(
        When(
            **{f"{column}__in": (facets.ANY_SECTOR, f"{facets.OPEN}{facets.ANYWHERE}")},
            then=3,
        ),
        When(**{column: f"{facets.OPEN}{facets.MAINLAND}"}, then=2),
        When(**{f"{column}__startswith": facets.OPEN}, then=1),
        default=0,
        output_field=IntegerField(),
    )
