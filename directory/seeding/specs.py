"""How each seed file maps onto a model. The core's files are declared here;
the apps that define other kinds of record register theirs (`register`), in
the order they are loaded: a file only refers to files above it or itself."""

from dataclasses import dataclass, field

from directory.models import Organisation, Region, Sector, ServiceCategory, SourceArticle


@dataclass(frozen=True)
class Spec:
    """How one seed file maps onto one model."""

    file: str
    model: type
    fields: tuple = ()
    # YAML key -> the spec (by file) whose slugs it refers to.
    foreign_keys: dict = field(default_factory=dict)
    many_to_many: dict = field(default_factory=dict)
    # Date fields stored with a precision field beside them: `launch_date`
    # accepts 2011 (year), "2020-11" (month) or 2020-11-05 (day).
    dates: dict = field(default_factory=dict)
    list_fields: tuple = ()  # YAML lists stored as comma-separated text
    roles: tuple = ()  # (through model, its FK to the record) for organisations + roles
    citations: bool = False
    publishable: bool = False
    # Fields YAML hands over as numbers rather than text.
    integers: tuple = ()
    decimals: tuple = ()

    @property
    def label(self):
        return self.model._meta.verbose_name_plural

    @property
    def allowed_keys(self):
        keys = {"slug", *self.fields, *self.foreign_keys, *self.many_to_many, *self.dates}
        if self.roles:
            keys.add("organisations")
        if self.citations:
            keys.add("citations")
        if self.publishable:
            keys.add("status")
        return keys


ARTICLES = Spec(
    file="articles.yaml",
    model=SourceArticle,
    fields=("title", "publisher", "dateline", "url"),
    dates={"date": "published"},
)
REGIONS = Spec(
    file="regions.yaml",
    model=Region,
    fields=(
        "name",
        "name_zh_hans",
        "name_zh_hant",
        "kind",
        "alternative_names",
        "latitude",
        "longitude",
    ),
    foreign_keys={"parent": "regions.yaml"},
    list_fields=("alternative_names",),
    decimals=("latitude", "longitude"),
)
VOCABULARY_TEXTS = (
    "name",
    "name_zh_hans",
    "name_zh_hant",
    "description",
    "description_zh_hans",
    "description_zh_hant",
)
SECTORS = Spec(file="sectors.yaml", model=Sector, fields=VOCABULARY_TEXTS)
CATEGORIES = Spec(
    file="categories.yaml",
    model=ServiceCategory,
    fields=(*VOCABULARY_TEXTS, "alternative_names"),
    list_fields=("alternative_names",),
)
ORGANISATIONS = Spec(
    file="organisations.yaml",
    model=Organisation,
    fields=(
        "name",
        "name_zh_hans",
        "name_zh_hant",
        "short_name",
        "alternative_names",
        "kind",
        "website",
        "description",
    ),
    foreign_keys={"parent": "organisations.yaml", "region": "regions.yaml"},
    many_to_many={"sectors": "sectors.yaml"},
    list_fields=("alternative_names",),
    citations=True,
    publishable=True,
)

_registered = []


def register(spec):
    if spec not in _registered:
        _registered.append(spec)


def specs():
    """Every seed file's spec, in load order."""
    return (ARTICLES, REGIONS, SECTORS, CATEGORIES, ORGANISATIONS, *_registered)
