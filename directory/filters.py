"""FilterSets for the public lists, and the facet counts beside them.

Every list runs a fixed number of queries, whatever the data size:

1. the vocabulary: regions, sectors and kinds of help in one UNION query
   (small tables), which validates slugs, labels options and walks the
   region tree so that a province includes its cities and zones;
2. one GROUP BY query per facet, over the results filtered by every *other*
   active filter;
3. the paginator's count and the page itself.
"""

from dataclasses import dataclass, field

import django_filters
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import CharField, Count, IntegerField, Q, Value
from django.utils.translation import gettext_lazy as _

from directory import search
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

    def queryset_without(self, *excluded):
        """The queryset with every active filter applied except those named."""
        if not self.is_bound or not self.form.is_valid():
            return self.queryset
        qs = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name in excluded or value in (None, "", []):
                continue
            if name in self.vocabulary_filters and not self.terms.get(name):
                continue
            qs = self.filters[name].filter(qs, value)
        return qs

    def organisation_facet(self, relation, more):
        """Computed first: the organisation is the one slug not checked against
        the vocabulary, and an unknown one must not empty the other facets."""
        selected = self.data.get("organisation")
        facet = organisation_facet(
            self,
            "organisation",
            organisations_with_counts(relation, self.queryset_without("organisation"), selected),
            more == "organisation",
        )
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


def grouped_counts(queryset, column, distinct_on="pk"):
    rows = (
        queryset.order_by()
        .values(column)
        .annotate(n=Count(distinct_on, distinct=distinct_on != "pk"))
        .values_list(column, "n")
    )
    return {value: n for value, n in rows if value is not None}


def region_counts(queryset, pairs_sql):
    """Records per region, each region counting its cities and zones too.

    `pairs_sql` selects (record_id, region_id) pairs and contains `{ids}` where
    the filtered records' ids go. A recursive CTE climbs the region tree, and
    COUNT(DISTINCT) keeps a record tagged with both a province and one of its
    cities from counting twice. One query.
    """
    try:
        sub_sql, sub_params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return {}
    pairs = pairs_sql.format(ids=sub_sql)
    params = list(sub_params) * pairs_sql.count("{ids}")
    regions = Region._meta.db_table
    sql = f"""
        WITH RECURSIVE hits(record_id, region_id) AS ({pairs}),
        up(record_id, region_id) AS (
            SELECT record_id, region_id FROM hits
            UNION
            SELECT up.record_id, r.parent_id FROM up
            JOIN {regions} r ON r.id = up.region_id
            WHERE r.parent_id IS NOT NULL
        )
        SELECT region_id, COUNT(DISTINCT record_id) FROM up GROUP BY region_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def region_facet(filterset, pairs_sql, expanded):
    counts = region_counts(filterset.queryset_without("region"), pairs_sql)
    labels = {pk: term.label for pk, term in filterset.vocab.regions.items()}
    facet = build_facet(
        "region", _("Region"), counts, labels, filterset.selected_ids("region"), expanded
    )
    return _slug_values(facet, filterset.vocab.regions)


def vocabulary_facet(filterset, name, legend, table, counts, expanded):
    terms = getattr(filterset.vocab, table)
    labels = {pk: term.label for pk, term in terms.items()}
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


def organisation_facet(filterset, name, counts_queryset, expanded):
    """Published organisations with their counts under the other filters,
    plus the selected one (found even at zero, which also validates the slug)."""
    selected = filterset.data.get(name)
    rows = list(counts_queryset[: (FACET_SIZE_MORE if expanded else FACET_SIZE) + 2])
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


def organisations_with_counts(relation, base, selected):
    """Published organisations ranked by how many of `base` they relate to via
    `relation` (e.g. "programme_roles__programme")."""
    in_base = Q(**{f"{relation}__in": base.order_by().values("pk")})
    condition = in_base | Q(slug=selected) if selected else in_base
    return (
        Organisation.objects.published()
        .filter(condition)
        .annotate(n=Count(relation, filter=in_base, distinct=True))
        .order_by("-n", "name")
        .only("name", "name_zh_hans", "name_zh_hant", "short_name", "slug")
    )


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

    region_pairs = (
        f"SELECT id, region_id FROM {Organisation._meta.db_table} "
        "WHERE region_id IS NOT NULL AND id IN ({ids})"
    )

    def facets(self, more):
        sector_base = self.queryset_without("sector")
        through = Organisation.sectors.through.objects.filter(
            organisation_id__in=sector_base.order_by().values("pk")
        )
        return [
            region_facet(self, self.region_pairs, more == "region"),
            vocabulary_facet(
                self,
                "sector",
                _("Sector"),
                "sectors",
                grouped_counts(through, "sector_id", "organisation_id"),
                more == "sector",
            ),
            choice_facet(
                self,
                "kind",
                _("Kind of organisation"),
                grouped_counts(self.queryset_without("kind"), "kind"),
                Organisation.Kind.choices,
            ),
        ]
