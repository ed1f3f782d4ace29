"""FilterSets for the public lists, and the facet counts beside them.

Every list runs a fixed number of queries, whatever the data size:

1. the vocabulary: regions, sectors and kinds of help in one UNION query
   (small tables), which validates slugs, labels options and walks the
   region tree so that a province includes its cities and zones;
2. the facet counts (`directory.facets`): with no other filter active, a
   facet reads the totals kept for every published record (one query for all
   of them); otherwise one GROUP BY per facet over the facet entries of the
   records that every *other* active filter leaves;
3. the paginator's count and the page itself.
"""

from dataclasses import dataclass, field

import django_filters
from django.db.models import CharField, IntegerField, Value
from django.utils.translation import gettext_lazy as _

from directory import facets, search
from directory.forms import SlugListField
from directory.models import Organisation, Region, Sector, ServiceCategory
from directory.translation import translate

FACET_SIZE = 8
FACET_SIZE_MORE = 200


class SlugsFilter(django_filters.Filter):
    field_class = SlugListField


@dataclass
class Vocabulary:
    """Every region, sector and kind of help: id, slug, name (and region parent)."""

    regions: dict = field(default_factory=dict)
    sectors: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    children: dict = field(default_factory=dict)

    @classmethod
    def load(cls):
        def rows(model, kind, parent):
            return model.objects.order_by().values_list(
                Value(kind, output_field=CharField()),
                "id",
                "slug",
                "name",
                "name_zh_hans",
                "name_zh_hant",
                parent,
            )

        no_parent = Value(None, output_field=IntegerField())
        union = rows(Region, "region", "parent_id").union(
            rows(Sector, "sector", no_parent), rows(ServiceCategory, "help", no_parent), all=True
        )
        vocab = cls()
        tables = {"region": vocab.regions, "sector": vocab.sectors, "help": vocab.categories}
        for kind, pk, slug, name, zh_hans, zh_hant, parent_id in union:
            tables[kind][pk] = Term(pk, slug, name, parent_id, zh_hans, zh_hant)
            if kind == "region":
                vocab.children.setdefault(parent_id, []).append(pk)
        return vocab

    def by_slug(self, table, slugs):
        index = {term.slug: term for term in table.values()}
        return [index[slug] for slug in slugs if slug in index]

    def descendant_ids(self, region_ids):
        # The same walk as Region.descendant_ids, over rows already loaded.
        found, stack = set(), list(region_ids)
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.add(pk)
                stack.extend(self.children.get(pk, ()))
        return sorted(found)


@dataclass
class Term:
    pk: int
    slug: str
    name: str
    parent_id: int | None = None
    name_zh_hans: str = ""
    name_zh_hant: str = ""

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

    def region_ids(self):
        return self.vocab.descendant_ids(self.selected_ids("region"))

    # The kind its facet entries are stored under, and its facets other than
    # the organisation one (see directory.facets).
    facet_kind = ""
    total_facets = ()

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
        """The queryset with every active filter applied except those named."""
        qs = self.queryset
        for name, value in self.active_filters():
            if name not in excluded:
                qs = self.filters[name].filter(qs, value)
        return qs

    def is_unfiltered_without(self, *excluded):
        return all(name in excluded for name, _value in self.active_filters())

    def totals(self):
        if not hasattr(self, "_totals"):
            self._totals = facets.totals(self.facet_kind, (facets.ALL, *self.total_facets))
        return self._totals

    def facet_counts(self, facet, *excluded):
        """{value: n} for one facet, under every active filter except its own
        (or those named): the totals when that leaves none."""
        excluded = excluded or (facet,)
        if self.is_unfiltered_without(*excluded):
            return self.totals().get(facet, {})
        return facets.counts(self.facet_kind, facet, self.queryset_without(*excluded))

    def count(self, q):
        """How many records the list holds; for a search, its capped candidates."""
        if not q and self.is_unfiltered_without():
            return self.totals().get(facets.ALL, {}).get("", 0)
        return (search.capped(self.qs) if q else self.qs).count()

    def organisation_facet(self, more):
        """Computed first: the organisation is the one slug not checked against
        the vocabulary, and an unknown one must not empty the other facets."""
        selected = self.data.get("organisation")
        expanded = more == "organisation"
        limit = (FACET_SIZE_MORE if expanded else FACET_SIZE) + 2
        records = None
        if not self.is_unfiltered_without("organisation"):
            records = self.queryset_without("organisation")
        rows = facets.top_organisations(self.facet_kind, records, selected, limit)
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


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    legend: str
    options: list
    more: bool = False
    expanded: bool = False
    multiple: bool = True

    @property
    def selected(self):
        return [o for o in self.options if o.selected]


def build_facet(name, legend, counts, labels, selected, expanded, multiple=True):
    """Options for one facet: values present (count > 0) plus the selected
    ones, largest first, the top few unless the user asked for more."""
    values = {v for v, n in counts.items() if n} | set(selected)
    options = [
        Option(str(v), labels.get(v, str(v)), counts.get(v, 0), v in selected)
        for v in values
        if v in labels
    ]
    options.sort(key=lambda o: (not o.selected, -o.count, str(o.label)))
    limit = FACET_SIZE_MORE if expanded else FACET_SIZE
    more = len(options) > limit
    return Facet(name, legend, options[:limit], more, expanded, multiple)


def ids(counts):
    """Counts keyed by the ids that facet entries store as text."""
    return {int(value): n for value, n in counts.items()}


def region_facet(filterset, expanded):
    counts = ids(filterset.facet_counts("region"))
    labels = {pk: term.label for pk, term in filterset.vocab.regions.items()}
    facet = build_facet(
        "region", _("Region"), counts, labels, filterset.selected_ids("region"), expanded
    )
    return _slug_values(facet, filterset.vocab.regions)


def vocabulary_facet(filterset, name, legend, table, expanded):
    terms = getattr(filterset.vocab, table)
    labels = {pk: term.label for pk, term in terms.items()}
    counts = ids(filterset.facet_counts(name))
    facet = build_facet(name, legend, counts, labels, filterset.selected_ids(name), expanded)
    return _slug_values(facet, terms)


def _slug_values(facet, terms):
    for option in facet.options:
        option.value = terms[int(option.value)].slug
    return facet


def choice_facet(filterset, name, legend, counts, choices):
    selected = filterset.data.getlist(name)
    expanded = filterset.data.get("more") == name
    return build_facet(name, legend, counts, dict(choices), selected, expanded)


def organisation_facet(filterset, name, rows, expanded):
    """Published organisations with their counts under the other filters,
    plus the selected one (found even at zero, which also validates the slug)."""
    selected = filterset.data.get(name)
    counts = {row.slug: row.n for row in rows}
    labels = {row.slug: organisation_label(row) for row in rows}
    if selected and selected not in labels:
        filterset.ignored.append(
            _("“%(value)s” for “%(name)s”, which matches nothing")
            % {"value": selected, "name": name}
        )
    return build_facet(
        name,
        _("Organisation"),
        counts,
        labels,
        [selected] if selected in labels else [],
        expanded,
        multiple=False,
    )


def organisation_label(organisation):
    name = translate(organisation, "name")
    if not organisation.short_name:
        return name
    return type(name)(f"{name.value} ({organisation.short_name})", name.language, name.is_fallback)


# --- organisations -------------------------------------------------------------


class OrganisationFilterSet(PublicFilterSet):
    region = SlugsFilter(method="filter_region")
    sector = SlugsFilter(method="filter_sector")
    kind = SlugsFilter(method="filter_kind")

    vocabulary_filters = {"region": "regions", "sector": "sectors"}

    class Meta:
        model = Organisation
        fields = []

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_id__in=self.region_ids())

    def filter_sector(self, queryset, name, value):
        through = Organisation.sectors.through.objects.filter(
            sector_id__in=self.selected_ids("sector")
        )
        return queryset.filter(pk__in=through.values("organisation_id"))

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind__in=value)

    facet_kind = "organisation"
    total_facets = ("region", "sector", "kind")

    def facets(self, more):
        return [
            region_facet(self, more == "region"),
            vocabulary_facet(self, "sector", _("Sector"), "sectors", more == "sector"),
            choice_facet(
                self,
                "kind",
                _("Kind of organisation"),
                self.facet_counts("kind"),
                Organisation.Kind.choices,
            ),
        ]
