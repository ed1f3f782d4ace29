"""Changelist filters that stay short however many rows the tables hold."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory import workflow
from directory.i18n.translation import field_for
from directory.models import Organisation, Region, Sector
from directory.models.vocabulary import with_descendants

# Regions broad enough to pick from a list; a province includes its cities and zones.
TOP_LEVEL_REGION_KINDS = [
    Region.Kind.SAR,
    Region.Kind.PROVINCE,
    Region.Kind.MUNICIPALITY,
    Region.Kind.COUNTRY,
]


class NeedsReviewFilter(admin.SimpleListFilter):
    # Not "review": the publication status filter already offers "In review",
    # which is another queue (records waiting for a publisher).
    title = _("verification")
    parameter_name = "needs_review"

    def lookups(self, request, model_admin):
        return [("yes", _("Due for verification"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return workflow.needs_review(queryset)
        return queryset


class TitledChoicesFilter(admin.ChoicesFieldListFilter):
    """A choices filter under a title of its own rather than the field's
    verbose name, where two fields of a model share one ("status")."""

    heading = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = self.heading


def titled_choices(heading):
    return type("TitledChoicesFilter", (TitledChoicesFilter,), {"heading": heading})


class MissingTranslationFilter(admin.SimpleListFilter):
    """Records without a Chinese name: every record has an English name, so an
    empty Chinese name is the plain sign of work left for translators. An
    equality test on a column of the row, so it adds no query and no join."""

    title = _("missing translation")
    parameter_name = "missing_translation"

    def lookups(self, request, model_admin):
        return [("zh-hans", _("Simplified Chinese")), ("zh-hant", _("Traditional Chinese"))]

    def queryset(self, request, queryset):
        if self.value() in ("zh-hans", "zh-hant"):
            return queryset.filter(**{field_for("name", self.value()): ""})
        return queryset


# A filter that matches at most this many records lists them by key: the
# database then sorts the few rows instead of walking the whole sort index in
# search of them. Beyond it the matches are dense enough for that walk.
FEW_MATCHES = 2_000


def narrowed_to(queryset, matching):
    """`queryset` limited to the records of `matching` (same model)."""
    keys = set(matching.order_by().values_list("pk", flat=True)[: FEW_MATCHES + 1])
    if len(keys) <= FEW_MATCHES:
        return queryset.filter(pk__in=keys)
    return queryset.filter(pk__in=matching.values("pk"))


class RegionFilter(admin.SimpleListFilter):
    """Top-level regions only, each including the regions inside it. The
    region table is small, so one query loads it for both the links and the
    walk down from the chosen region."""

    title = _("region")
    parameter_name = "region"
    region_path = "region"

    def lookups(self, request, model_admin):
        self.regions = list(Region.objects.values_list("pk", "parent_id", "slug", "name", "kind"))
        return [
            (slug, name)
            for _pk, parent_id, slug, name, kind in self.regions
            if parent_id is None or kind in TOP_LEVEL_REGION_KINDS
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        chosen = [pk for pk, _parent, slug, *_rest in self.regions if slug == self.value()]
        ids = with_descendants(chosen, self.regions)
        matching = queryset.model.objects.filter(**{f"{self.region_path}__in": ids})
        return narrowed_to(queryset, matching)


def region_filter(path):
    return type(f"RegionFilter_{path}", (RegionFilter,), {"region_path": path})


class SectorFilter(admin.SimpleListFilter):
    """Records in a sector, found through a subquery on the link table: the
    plain many-to-many filter joins it and then needs DISTINCT over whole rows."""

    title = _("sectors")
    parameter_name = "sector"

    def lookups(self, request, model_admin):
        return list(Sector.objects.values_list("slug", "name"))

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        matching = queryset.model.objects.filter(sectors__slug=self.value())
        return narrowed_to(queryset, matching)


class OrganisationFilter(admin.ListFilter):
    """A text box for an organisation's acronym or slug, not a list of every
    organisation: the list would run to thousands of links."""

    title = _("organisation")
    parameter_name = "organisation"
    organisation_path = "organisation"
    template = "admin/directory/filter_organisation.html"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.value = ""
        if self.parameter_name in params:
            values = params.pop(self.parameter_name)
            self.value = (values[-1] if isinstance(values, list) else values).strip()

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.parameter_name]

    def choices(self, changelist):
        keep = [
            (key, value)
            for key, values in changelist.filter_params.items()
            if key != self.parameter_name
            for value in values
        ]
        yield {
            "parameter_name": self.parameter_name,
            "value": self.value,
            "keep": keep,
            "clear_url": changelist.get_query_string(remove=[self.parameter_name]),
        }

    def queryset(self, request, queryset):
        if not self.value:
            return queryset
        organisations = Organisation.objects.filter(
            Q(slug=self.value) | Q(short_name__iexact=self.value)
        ).values("pk")
        matching = queryset.model.objects.filter(**{f"{self.organisation_path}__in": organisations})
        return narrowed_to(queryset, matching)


def organisation_filter(path):
    return type(f"OrganisationFilter_{path}", (OrganisationFilter,), {"organisation_path": path})
