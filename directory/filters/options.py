"""A list's facets as the page shows them: options with counts and labels."""

import heapq
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from directory.facets.registry import ANY_SECTOR
from directory.i18n.translation import SOURCE_LANGUAGE, content_language, field_for, translate

FACET_SIZE = 8
FACET_SIZE_MORE = 200


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

    def settle(self):
        """Translates its lazy texts now, for the shared cache, which keeps a
        list's facets per language: unpickling a lazy string rebuilds its
        proxy class (django.utils.functional.lazy), some 0.1 ms each, and
        the programme list's facets hold 16 of them."""
        self.legend = str(self.legend)
        for option in self.options:
            if isinstance(option.label, Promise):
                option.label = str(option.label)
        return self


def build_facet(name, legend, counts, labels, selected, expanded, multiple=True):
    """Options for one facet: values present (count > 0) plus the selected
    ones, largest first, the top few unless the user asked for more.

    `labels` maps each value to its label; a `TermLabels` makes only the
    labels of the options shown."""
    sort_name = labels.sort_name if isinstance(labels, TermLabels) else lambda v: str(labels[v])
    values = [v for v in {v for v, n in counts.items() if n} | set(selected) if v in labels]
    limit = FACET_SIZE_MORE if expanded else FACET_SIZE
    shown = first_values(values, limit, lambda v: (v not in selected, -counts.get(v, 0)), sort_name)
    options = [Option(str(v), labels[v], counts.get(v, 0), v in selected) for v in shown]
    return Facet(name, legend, options, len(values) > limit, expanded, multiple)


def first_values(values, limit, rank, name):
    """The first `limit` of `values` ordered by `rank`, then by `name`. Only
    the values that can make the cut are named and sorted: a region facet
    has some 700 values with a count, and naming them all to show eight was
    most of the facet's time."""
    ranked = [(rank(v), v) for v in values]
    if len(ranked) > limit:
        cut = heapq.nsmallest(limit, [r for r, _v in ranked])[-1]
        ranked = [(r, v) for r, v in ranked if r <= cut]
    ranked.sort(key=lambda rv: (*rv[0], name(rv[1])))
    return [v for _r, v in ranked[:limit]]


class TermLabels:
    """Vocabulary terms' labels in the page's language, made only for the
    options a facet shows: a region facet has hundreds of values."""

    def __init__(self, terms):
        self.terms = terms
        language = content_language()
        self.field = None if language == SOURCE_LANGUAGE else field_for("name", language)

    def __contains__(self, pk):
        return pk in self.terms

    def __getitem__(self, pk):
        return self.terms[pk].label

    def sort_name(self, pk):
        # The text `label` shows, without building it.
        term = self.terms[pk]
        return (self.field and getattr(term, self.field)) or term.name


def ids(counts):
    """Counts keyed by the ids that facet entries store as text."""
    return {int(value): n for value, n in counts.items()}


def region_facet(filterset, expanded, name="region", legend=None):
    counts = filterset.vocab.fold_regions(filterset.facet_counts(name))
    labels = TermLabels(filterset.vocab.regions)
    facet = build_facet(
        name, legend or _("Region"), counts, labels, filterset.selected_ids(name), expanded
    )
    return _slug_values(facet, filterset.vocab.regions)


def vocabulary_facet(filterset, name, legend, table, expanded):
    terms = getattr(filterset.vocab, table)
    labels = TermLabels(terms)
    counts = filterset.facet_counts(name)
    every = counts.get(ANY_SECTOR, 0)
    counts = {int(v): n for v, n in counts.items() if v != ANY_SECTOR}
    if every:
        counts = {pk: counts.get(pk, 0) + every for pk in terms}
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
