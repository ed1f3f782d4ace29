"""The FilterSet every public list builds on, and the vocabulary it reads."""

from dataclasses import dataclass, field

import django_filters
from django.db.models import Case, CharField, IntegerField, OuterRef, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from directory import facets, search
from directory.filters.options import FACET_SIZE, FACET_SIZE_MORE, organisation_facet
from directory.forms import SlugListField
from directory.i18n.translation import translate
from directory.models import FacetEntry, Region, Sector, ServiceCategory

# Up to this many records matching the region, sector and kind-of-help
# filters are listed by id once and reused by the page and every count
# (facets.records_matching); more are left to the database as subqueries.
ENTRY_ID_LIMIT = 5000


class SlugsFilter(django_filters.Filter):
    field_class = SlugListField


@dataclass
class Vocabulary:
    """Every region, sector and kind of help: id, slug, name (and region parent)."""

    regions: dict = field(default_factory=dict)
    sectors: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)

    @classmethod
    def load(cls):
        def rows(model, kind, parent, region_kind):
            return model.objects.order_by().values_list(
                Value(kind, output_field=CharField()),
                "id",
                "slug",
                "name",
                "name_zh_hans",
                "name_zh_hant",
                parent,
                region_kind,
            )

        no_parent = Value(None, output_field=IntegerField())
        no_kind = Value("", output_field=CharField())
        union = rows(Region, "region", "parent_id", "kind").union(
            rows(Sector, "sector", no_parent, no_kind),
            rows(ServiceCategory, "help", no_parent, no_kind),
            all=True,
        )
        vocab = cls()
        tables = {"region": vocab.regions, "sector": vocab.sectors, "help": vocab.categories}
        for kind, pk, slug, name, zh_hans, zh_hant, parent_id, region_kind in union:
            tables[kind][pk] = Term(pk, slug, name, parent_id, zh_hans, zh_hant, region_kind)
        return vocab

    def ancestry(self, pk):
        """A region and the regions above it, nearest first."""
        found = []
        while pk is not None and pk in self.regions and pk not in found:
            found.append(pk)
            pk = self.regions[pk].parent_id
        return found

    def is_mainland(self, pk):
        """Whether a region is in mainland China: under a top-level region
        that is not a SAR or a country."""
        chain = self.ancestry(pk)
        return bool(chain) and self.regions[chain[-1]].kind not in (
            Region.Kind.SAR,
            Region.Kind.COUNTRY,
        )

    def open_to_values(self, pk):
        """The "open to" entries that find records open to firms from a
        region: open to it or a region above it, to the mainland, to anyone."""
        values = [f"{facets.OPEN}{above}" for above in self.ancestry(pk)]
        if self.is_mainland(pk):
            values.append(f"{facets.OPEN}{facets.MAINLAND}")
        return [*values, f"{facets.OPEN}{facets.ANYWHERE}"]

    def fold_regions(self, counts):
        """{region id: n} from a region facet's counts, each region counting
        the records open to firms from it as well as its own (each record is
        under exactly one entry for a region, so the sums count no record twice)."""
        plain, open_to = {}, {}
        for value, n in counts.items():
            if str(value).startswith(facets.OPEN):
                open_to[str(value)] = n
            else:
                plain[int(value)] = n
        if not open_to:
            return plain
        return {
            pk: plain.get(pk, 0) + sum(open_to.get(v, 0) for v in self.open_to_values(pk))
            for pk in self.regions
        }

    def by_slug(self, table, slugs):
        index = {term.slug: term for term in table.values()}
        return [index[slug] for slug in slugs if slug in index]


@dataclass
class Term:
    pk: int
    slug: str
    name: str
    parent_id: int | None = None
    name_zh_hans: str = ""
    name_zh_hant: str = ""
    kind: str = ""

    @property
    def label(self):
        # A `Text`, so templates can tag an English fallback on Chinese pages.
        return translate(self, "name")


class PublicFilterSet(django_filters.FilterSet):
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
        if not self.is_bound or not self.form.is_valid():
            return
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", []):
                continue
            if name in self.vocabulary_filters and not self.terms.get(name):
                continue
            yield name, value

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
                ids = facets.records_in_all(self.facet_kind, within)
            qs = qs.filter(pk__in=ids)
        return qs

    def entry_ids(self, *excluded):
        """The ids of the records that the active filters served by the facet
        index leave, apart from `excluded` (which may leave out one of them),
        or None when there are too many to list (more than ENTRY_ID_LIMIT).

        Only when no other filter is active: listing the ids is a query of its
        own, paid for by the total it gives (the paginator's count query is
        then not needed); other filters would need that count anyway."""
        if not hasattr(self, "_entry_sets"):
            within = self.entry_conditions()
            self._entry_sets = (
                facets.records_matching(self.facet_kind, within, ENTRY_ID_LIMIT)
                if within and self.is_unfiltered_without(*self.entry_filters)
                else None
            )
        if self._entry_sets is None:
            return None
        active = {name for name, _ids in self.entry_conditions()}
        left_out = [name for name in excluded if name in active]
        if not left_out:
            return self._entry_sets[None]
        # Sets without two of them, or without the only one, are not listed.
        return self._entry_sets.get(left_out[0]) if len(left_out) == 1 else None

    def entry_conditions(self, *excluded):
        """(facet, selected ids) of the active filters served by the facet index."""
        return [
            (name, self.entry_values(name))
            for name, _value in self.active_filters()
            if name in self.entry_filters and name not in excluded
        ]

    def is_unfiltered_without(self, *excluded):
        return all(name in excluded for name, _value in self.active_filters())

    def with_reasons(self, queryset):
        """The rows, each carrying (as `why_<facet>`) the most specific
        facet-index entry it matched under each active filter the index
        serves: a record placed in the region before one open to it, open to
        the region before open to the mainland, before open to anyone. A
        subquery per filter in the page's own query, read for its 20 rows."""
        annotations = {}
        for facet, values in self.entry_conditions():
            entries = FacetEntry.objects.filter(
                kind=self.facet_kind, facet=facet, record_id=OuterRef("pk"), value__in=values
            )
            annotations[f"why_{facet}"] = Subquery(
                entries.order_by(self.specificity_sql(), "value").values("value")[:1]
            )
        if not annotations:
            return queryset
        queryset = queryset.annotate(**annotations)
        # The best fit first: the sum of each match's specificity (0 for a
        # record placed in the region, 3 for one open to anyone).
        score = sum(
            (self.specificity_sql(f"why_{facet}") for facet, _values in self.entry_conditions()),
            start=Value(0),
        )
        return queryset.annotate(fit_score=score)

    def fit_ordering(self):
        """The "best fit" sort (sort=fit): most specific matches first."""
        if self.entry_conditions():
            return ("fit_score", "name", "pk")
        return ("name", "pk")

    @staticmethod
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
                self._shared_counts = self.count_facets(self.unfiltered_facets())
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
        return facets.counts(self.facet_kind, names, records, within, ids, until)

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
        return (search.capped(self.qs) if q else self.qs).count()

    def organisation_facet(self, more):
        """Computed first: the organisation is the one slug not checked against
        the vocabulary, and an unknown one must not empty the other facets."""
        selected = self.data.get("organisation")
        expanded = more == "organisation"
        limit = (FACET_SIZE_MORE if expanded else FACET_SIZE) + 2
        records, until = None, None
        if not self.entry_conditions("organisation"):
            until = self.entries_until("organisation")
        if until is None and not self.is_unfiltered_without("organisation"):
            records = self.counted(self.queryset_without("organisation"))
        rows = facets.top_organisations(self.facet_kind, records, selected, limit, until)
        facet = organisation_facet(self, "organisation", rows, expanded)
        if selected and not facet.selected:
            self.form.cleaned_data.pop("organisation", None)
            self.__dict__.pop("_qs", None)
        return facet

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self._qs = self.queryset_without()
        return self._qs


# --- facets -----------------------------------------------------------------
