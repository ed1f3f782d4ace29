"""The kinds of record the directory lists, and what the core needs of each.

The core (search, facets, seeding, the review queue, the search and source
pages, the intake of new articles) acts on every kind of record without
importing the apps that define them: each app registers its kinds in its
`AppConfig.ready()`, the way models register with the admin site. The core
registers organisations; `programmes` registers programmes, services and
events. A new kind of record registers here and is then searched, counted,
cited and listed on the search page like the others.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    # The kind's name in the facet index and in URLs of the outputs: "programme".
    name: str
    model: type
    # The search page's group: its key, heading and the list it links to.
    plural: str
    label: str
    list_url: str
    # Related rows a search result shows beside the name.
    search_select_related: tuple = ()
    # Whether pasting an article proposes draft records of this kind.
    proposable: bool = False
    # Where its group stands on the search page (programmes lead).
    search_position: int = 0

    def has_field(self, name):
        return any(field.name == name for field in self.model._meta.concrete_fields)


_kinds: dict[str, Kind] = {}


def register(kind):
    if kind.name in _kinds and _kinds[kind.name] != kind:
        raise ValueError(f"A kind of record named {kind.name!r} is already registered.")
    _kinds[kind.name] = kind


def all_kinds():
    """Every registered kind, in the order the apps registered them."""
    return list(_kinds.values())


def get(name):
    return _kinds[name]


def for_model(model):
    for kind in _kinds.values():
        if kind.model is model:
            return kind
    raise KeyError(model)


def by_search_position():
    return sorted(_kinds.values(), key=lambda kind: kind.search_position)


def models():
    return tuple(kind.model for kind in _kinds.values())


def by_label():
    """{"programmes.programme": model, …}: for content types and citations."""
    return {kind.model._meta.label_lower: kind.model for kind in _kinds.values()}
