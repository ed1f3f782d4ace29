"""What the core needs to know of programmes, services and events."""

from django.utils.translation import gettext_lazy as _

from directory import kinds, seeding
from programmes import facets, page_cache, seeds
from programmes.models import Event, Programme, Service


def _kind(name, model, label, **options):
    """A kind of this app, whose public list is `programmes:<name>_list`."""
    return kinds.Kind(
        name=name,
        model=model,
        plural=f"{name}s",
        label=label,
        list_url=f"programmes:{name}_list",
        **options,
    )


def register():
    for kind in (
        _kind("programme", Programme, _("Programmes"), proposable=True, search_position=0),
        _kind(
            "service",
            Service,
            _("Services"),
            search_select_related=("provider", "category"),
            search_position=2,
        ),
        _kind("event", Event, _("Events"), proposable=True, search_position=3),
    ):
        kinds.register(kind)
    facets.register()
    page_cache.register()
    for spec in seeds.SPECS:
        seeding.register(spec)
    seeding.register_whole_load_check(seeds.check_joint_providers)
