from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from directory import caching, checks, facets  # noqa: F401 (registers the checks)

        caching.connect_signals()
        facets.connect_signals()
