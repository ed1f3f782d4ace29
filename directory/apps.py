from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from directory import caching, checks, facets, kinds  # noqa: F401 (registers the checks)
        from directory.models import Organisation

        kinds.register(
            kinds.Kind(
                name="organisation",
                model=Organisation,
                plural="organisations",
                label=_("Organisations"),
                list_url="directory:organisation_list",
                proposable=True,
                search_position=1,
            )
        )
        facets.register(facets.Source("organisation", Organisation, facets.organisation_pairs))
        from directory.caching import core as cached_core

        cached_core.register()
        caching.connect_signals()
        facets.connect_signals()
