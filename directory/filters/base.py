"""The FilterSet every public list builds on: the filters, the facet index
they select through, and the queryset they leave (its counts and match
reasons are in `counting` and `reasons`, the vocabulary in `vocabulary`)."""

from functools import cached_property

import django_filters
from django.utils.translation import gettext_lazy as _

from directory import facets, search
from directory.filters.counting import FacetCounts
from directory.filters.reasons import MatchReasons, with_entry_ids
from directory.forms import SlugListField

# Up to this many records matching the region, sector and kind-of-help
# filters are listed by id once and reused by the page and every count
# (facets.matched_and_counted); more are left to the database as subqueries.
ENTRY_ID_LIMIT = 5000
_NOT_LISTED = object()


class SlugsFilter(django_filters.Filter):
    field_class = SlugListField


class PublicFilterSet(FacetCounts, MatchReasons, django_filters.FilterSet):
    """Shared behaviour: `q` uses the site search; slugs are resolved through
    the vocabulary, and unknown ones are reported, not fatal."""

    q = django_filters.CharFilter(method="filter_q")

    # name of a filter -> vocabulary table it draws from
    vocabulary_filters = {}

    def __init__(self, data, queryset, vocab):
        super().__init__(data, queryset=queryset)
        self.vocab = vocab
        self.ignored = []
        self.terms = {}
        for name, table in self.vocabulary_filters.items():
            wanted = self.data.getlist(name)
            terms = vocab.by_slug(getattr(vocab, table), wanted)
            self.terms[name] = terms
            for slug in wanted:
                if slug not in {t.slug for t in terms}:
                    self.ignored.append(
                        _("“%(value)s” for “%(name)s”, which matches nothing")
                        % {"value": slug, "name": name}
                    )

    def filter_q(self, queryset, name, value):
        q, _truncated = search.clean_query(value)
        return search.matching(queryset, q)

    def selected_ids(self, name):
        return [term.pk for term in self.terms.get(name, [])]

    def entry_values(self, facet):
        """The facet-index values the selected terms of `facet` match: the
        terms themselves and, for kinds that say who they are open to, the
        records open to firms from a chosen region (open to it, to a region
        above it, to the mainland, to anyone) or to every sector."""
        selected = self.selected_ids(facet)
        source = facets.source_for(self.facet_kind)
        values = [str(pk) for pk in selected]
        if facet == "region" and source.open_to and selected:
            for pk in selected:
                values += [v for v in self.vocab.open_to_values(pk) if v not in values]
        if facet == "sector" and source.all_sectors and selected:
            values.append(facets.ANY_SECTOR)
        return values

    def with_entries(self, queryset, facet):
        """The records counted under any selected value of `facet`: one range
        of the facet index per value, with regions already rolled up (a
        province's entries hold its cities' and zones' records)."""
        entries = facets.records_with(self.facet_kind, facet, self.entry_values(facet))
        return queryset.filter(pk__in=entries)

    # The kind its facet entries are stored under, and its facets other than
    # the organisation one (see directory.facets).
    facet_kind = ""
    total_facets = ()
    # Filters that select through the facet index (`with_entries`).
    entry_filters = ()

    def active_filters(self):
        """(name, value) of every filter that narrows the list."""
        return self._active_filters

    @cached_property
    def _active_filters(self):
        # Asked some thirty times a page (each facet's counts, the reasons,
        # the fit order); the data does not change once the filters are made.
        if not self.is_bound or not self.form.is_valid():
            return []
        return [
            (name, value)
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", [])
            and not (name in self.vocabulary_filters and not self.terms.get(name))
        ]

    def queryset_without(self, *excluded):
        """The queryset with every active filter applied except those named.

        The filters served by the facet index are applied together, as one
        INTERSECT of their index ranges, which PostgreSQL computes before it
        looks at any record (as separate semi-joins it probes the records of
        the first filter one by one)."""
        qs = self.queryset
        for name, value in self.active_filters():
            if name not in excluded and name not in self.entry_filters:
                qs = self.filters[name].filter(qs, value)
        within = self.entry_conditions(*excluded)
        if within:
            ids = self.entry_ids(*excluded)
            if ids is None:
                qs = qs.filter(pk__in=facets.records_in_all(self.facet_kind, within))
            else:
                qs = qs.filter(pk__any_of=ids)
        return qs

    def entry_ids(self, *excluded):
        """The ids of the records that the active filters served by the facet
        index leave, apart from `excluded` (which may leave out one of them),
        or None when there are too many to list (more than ENTRY_ID_LIMIT).

        Only when no other filter is active: listing the ids is a query of its
        own, paid for by the total it gives (the paginator's count query is
        then not needed); other filters would need that count anyway."""
        found = self._entries()["found"]
        if found is None:
            return None
        key = self._entries_key(excluded)
        return None if key is _NOT_LISTED else found.get(key)

    def kept_counts(self, names, *excluded):
        """{facet: {value: n}} for the facets `names` under every active
        filter except `excluded`, when they were read with the ids of the
        records those filters leave (`entry_ids`; see `counts_plan`); else None."""
        key = self._entries_key(excluded)
        counts = None if key is _NOT_LISTED else self._entries()["counts"].get(key)
        return counts if counts is not None and tuple(counts) == tuple(names) else None

    def _entries(self):
        """The records the active filters served by the facet index leave,
        and the counts among them (facets.matched_and_counted), or none listed."""
        if not hasattr(self, "_entry_sets"):
            within = self.entry_conditions()
            self._entry_sets = {"found": None, "counts": {}}
            if within and self.is_unfiltered_without(*self.entry_filters):
                plan = self.counts_plan(within)
                self._entry_sets = facets.matched_and_counted(
                    self.facet_kind, within, ENTRY_ID_LIMIT, plan
                )
        return self._entry_sets

    def _entries_key(self, excluded):
        """The key of `facets.matched_and_counted`'s sets for every active filter but
        `excluded`: None for all of them, a facet for all but its own."""
        active = {name for name, _ids in self.entry_conditions()}
        left_out = [name for name in excluded if name in active]
        if not left_out:
            return None
        # Sets without two of them, or without the only one, are not listed.
        return left_out[0] if len(left_out) == 1 else _NOT_LISTED

    def entry_conditions(self, *excluded):
        """(facet, selected ids) of the active filters served by the facet index."""
        return [
            (name, self.entry_values(name))
            for name, _value in self.active_filters()
            if name in self.entry_filters and name not in excluded
        ]

    def prepared_filtering(self):
        """(function, values, shape) when the active filters keep exactly the
        records that `function(records, *values, **dict(shape))` keeps, with
        their match reasons; `function` and `shape` (pairs) stay the same
        from request to request, a prepared query being keyed by them. None
        otherwise. The list's first page is then a prepared query
        (directory.views.lists._first_page): with no filter active, and with
        only filters the facet index serves when it listed the ids they leave."""
        if self.is_unfiltered_without():
            return None, (), ()
        if not self.is_unfiltered_without(*self.entry_filters):
            return None
        ids = self.entry_ids()
        if ids is None:
            return None
        conditions = self.entry_conditions()
        names = tuple(facet for facet, _values in conditions)
        shape = (("kind", self.facet_kind), ("facet_names", names))
        return with_entry_ids, (ids, *(values for _facet, values in conditions)), shape

    def is_unfiltered_without(self, *excluded):
        return all(name in excluded for name, _value in self.active_filters())

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self._qs = self.queryset_without()
        return self._qs
