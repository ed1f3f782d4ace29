"""A list's total and its facet counts, each under every active filter but
its own, in a fixed number of queries (see directory.filters)."""

from directory import facets, search
from directory.filters.options import FACET_SIZE, FACET_SIZE_MORE, organisation_facet


class FacetCounts:
    """For PublicFilterSet: reads its active filters, the facet index
    (`facet_kind`, `total_facets`, `entry_filters`) and its queryset."""

    def totals(self):
        if not hasattr(self, "_totals"):
            self._totals = facets.totals(self.facet_kind, (facets.ALL, *self.total_facets))
        return self._totals

    # The filters a facet's counts leave out: its own (kind and lifecycle
    # are counted together, so that facet leaves out both).
    facet_filters = {}

    def own_filters(self, facet):
        return self.facet_filters.get(facet, (facet,))

    def facet_counts(self, facet):
        """{value: n} for one facet, under every active filter except its own:
        the totals when that leaves none.

        Filters served by the facet index narrow the entries directly, so a
        list filtered by region, sector and kind of help counts without
        touching the records' own table. The facets whose own filter is not
        active all count the same records, so they are counted together, in
        one query (an upcoming-events list: four facets, one query)."""
        excluded = self.own_filters(facet)
        if self.is_unfiltered_without(*excluded):
            return self.totals().get(facet, {})
        if facet in self.unfiltered_facets():
            if not hasattr(self, "_shared_counts"):
                # With the entries every record has once (ALL): the list's
                # own count, from the same pass (see `count`).
                self._shared_counts = self.count_facets([*self.unfiltered_facets(), facets.ALL])
            return self._shared_counts[facet]
        return self.count_facets([facet], *excluded)[facet]

    def unfiltered_facets(self):
        """The facets (other than the organisation one) whose own filters are
        not active."""
        active = {name for name, _value in self.active_filters()}
        return [f for f in self.total_facets if not active.intersection(self.own_filters(f))]

    def count_facets(self, names, *excluded):
        """{facet: {value: n}} for these facets, under every active filter
        except those named. One query."""
        records = None
        until = self.entries_until(*excluded)
        if until is None and not self.is_unfiltered_without(*excluded, *self.entry_filters):
            records = self.counted(self.queryset_without(*excluded, *self.entry_filters))
        within = self.entry_conditions(*excluded)
        ids = self.entry_ids(*excluded) if within else None
        if ids is not None:
            kept = self.kept_counts(names, *excluded)
            if kept is not None:
                return kept
        return facets.counts(self.facet_kind, names, records, within, ids, until)

    def counts_plan(self, within):
        """The counts a list filtered only by `within` (the facet index's
        filters) shows, by the records they are among, for facets.matched_and_counted:
        {None: the facets whose own filter is not active, and the total;
        facet: its own, among the records matching the other filters}."""
        plan = {None: (*self.unfiltered_facets(), facets.ALL)}
        if len(within) > 1:
            for name, _values in within:
                if tuple(self.own_filters(name)) == (name,):
                    plan[name] = (name,)
        return plan

    def counted(self, records):
        """The records a facet counts: for a search, its capped candidates,
        the records the list shows and counts ("1,000+"). Counting the
        entries of every match instead took 360-490 ms per facet query for a
        common term at 100,000 programmes."""
        searching = any(name == "q" for name, _value in self.active_filters())
        return search.capped(records) if searching else records

    def entries_until(self, *excluded):
        """A day, when the active filters other than `excluded` and those the
        facet index serves keep exactly the records whose last day is that
        day or later (FacetEntry.until): the counts then read one index range
        per facet instead of looking up each record's entries. None when they
        keep anything else (and for kinds without a last day)."""
        return None

    def count(self, q):
        """How many records the list holds; for a search, its capped candidates."""
        if not q and self.is_unfiltered_without():
            return self.totals().get(facets.ALL, {}).get("", 0)
        if not q and self.is_unfiltered_without(*self.entry_filters):
            ids = self.entry_ids()
            if ids is not None:
                return len(ids)
        if not q and facets.ALL in getattr(self, "_shared_counts", {}):
            # Counted with the facets under every active filter: each record
            # has one ALL entry (an upcoming-events list: no COUNT query).
            return self._shared_counts[facets.ALL].get("", 0)
        return (search.capped(self.qs) if q else self.qs).count()

    def organisation_facet(self, more):
        """Computed first: the organisation is the one slug not checked against
        the vocabulary, and an unknown one must not empty the other facets."""
        selected = self.data.get("organisation")
        expanded = more == "organisation"
        limit = (FACET_SIZE_MORE if expanded else FACET_SIZE) + 2
        records, until, ids = None, None, None
        if not self.entry_conditions("organisation"):
            until = self.entries_until("organisation")
        elif self.is_unfiltered_without(*self.entry_filters):
            # Only filters the facet index serves: the ids it found, if listed.
            ids = self.entry_ids()
        if until is None and ids is None and not self.is_unfiltered_without("organisation"):
            records = self.counted(self.queryset_without("organisation"))
        rows = facets.top_organisations(self.facet_kind, records, selected, limit, until, ids)
        facet = organisation_facet(self, "organisation", rows, expanded)
        if selected and not facet.selected:
            self.form.cleaned_data.pop("organisation", None)
            # What was worked out from the filters no longer holds.
            self.__dict__.pop("_qs", None)
            self.__dict__.pop("_active_filters", None)
        return facet
