from django.utils.translation import gettext_lazy as _

from directory.filters.base import PublicFilterSet, SlugsFilter
from directory.filters.methods import by_entries, by_values
from directory.filters.options import choice_facet, region_facet, vocabulary_facet
from directory.models import Organisation


class OrganisationFilterSet(PublicFilterSet):
    region = SlugsFilter(method="filter_region")
    active_in = SlugsFilter(method="filter_active_in")
    sector = SlugsFilter(method="filter_sector")
    kind = SlugsFilter(method="filter_kind")

    vocabulary_filters = {"region": "regions", "active_in": "regions", "sector": "sectors"}
    # The GET parameters the list takes, as `directory.forms.sanitise` reads
    # them: the HTML list, its CSV download and the JSON API share them.
    parameters = {
        "q": "text",
        "region": "slugs",
        "active_in": "slugs",
        "sector": "slugs",
        "kind": list(Organisation.Kind.values),
    }

    class Meta:
        model = Organisation
        fields = []

    filter_region = by_entries("region")
    # Runs or partners in a published programme or event there (the
    # programmes app adds these entries: `facets.extend`).
    filter_active_in = by_entries("active_in")
    filter_sector = by_entries("sector")
    filter_kind = by_values("kind")

    facet_kind = "organisation"
    total_facets = ("region", "active_in", "sector", "kind")
    entry_filters = ("region", "active_in", "sector")

    def facets(self, more):
        return [
            region_facet(self, more == "region", legend=_("Based in")),
            region_facet(self, more == "active_in", name="active_in", legend=_("Active in")),
            vocabulary_facet(self, "sector", _("Sector"), "sectors", more == "sector"),
            choice_facet(
                self,
                "kind",
                _("Kind of organisation"),
                self.facet_counts("kind"),
                Organisation.Kind.choices,
            ),
        ]
