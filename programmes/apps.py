from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes, services and events")

    def ready(self):
        # Registers programmes, services and events with the core: its search,
        # facet index, seed loader, review queue and source pages act on them.
        from programmes import registration

        registration.register()
