"""What the core needs to know of programmes, services and events."""

from django.utils.translation import gettext_lazy as _

from directory import kinds, seeding
from programmes import facets, page_cache, seeds
from programmes.models import Event, Programme, Service


def register():
    for kind in (
        kinds.Kind(
            name="programme",
            model=Programme,
            plural="programmes",
            label=_("Programmes"),
            list_url="programmes:programme_list",
            proposable=True,
            search_position=0,
        ),
        kinds.Kind(
            name="service",
            model=Service,
            plural="services",
            label=_("Services"),
            list_url="programmes:service_list",
            search_select_related=("provider", "category"),
            search_position=2,
        ),
        kinds.Kind(
            name="event",
            model=Event,
            plural="events",
            label=_("Events"),
            list_url="programmes:event_list",
            proposable=True,
            search_position=3,
        ),
    ):
        kinds.register(kind)
    facets.register()
    page_cache.register()
    for spec in seeds.SPECS:
        seeding.register(spec)
    seeding.register_whole_load_check(seeds.check_joint_providers)
