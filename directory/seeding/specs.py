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
    booleans: tuple = ()
    # Fields stored as a JSON list of strings (`zh_official`).
    json_lists: tuple = ()
    # `open_to: {scope, regions, quote, article}` and `all_sectors` with its
    # `all_sectors_quote` / `all_sectors_article`: stored in `open_to_scope`,
    # `open_to_regions` and `all_sectors`, their quotes as citations.
    open_to: bool = False
    # `providers: [organisation slugs]` in place of `provider`: bodies the
    # article credits jointly, which must run the record's programme.
    joint_providers: bool = False

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
        if self.open_to:
            keys |= {"open_to", "all_sectors", "all_sectors_quote", "all_sectors_article"}
            keys -= {"open_to_scope", "open_to_regions"}
        if self.joint_providers:
            keys.add("providers")
        return keys


def with_chinese(*fields):
    """`fields` with the Chinese versions of each translated one after it, and
    `zh_official` (which of them are official names) at the end."""
    translated = {"name", "short_name", "summary", "description", "how_to_get_involved"}
    translated |= {"audience", "edition", "venue", "attendance_text", "title", "given_title"}
    expanded = []
    for name in fields:
        expanded.append(name)
        if name in translated:
            expanded += [f"{name}_zh_hans", f"{name}_zh_hant"]
        if name == "alternative_names":
            expanded += ["alternative_names_zh_hans", "alternative_names_zh_hant"]
    return (*expanded, "zh_official")


ALIASES = ("alternative_names", "alternative_names_zh_hans", "alternative_names_zh_hant")


ARTICLES = Spec(
    file="articles.yaml",
    model=SourceArticle,
    fields=with_chinese("title", "given_title", "publisher", "dateline", "url"),
    dates={"date": "published"},
    json_lists=("zh_official",),
    # Loaded as published: the records the seeds hold cite them.
    publishable=True,
)
REGIONS = Spec(
    file="regions.yaml",
    model=Region,
    fields=with_chinese("name", "kind", "alternative_names", "latitude", "longitude"),
    foreign_keys={"parent": "regions.yaml"},
    list_fields=ALIASES,
    decimals=("latitude", "longitude"),
    json_lists=("zh_official",),
)
SECTORS = Spec(
    file="sectors.yaml",
    model=Sector,
    fields=with_chinese("name", "description"),
    json_lists=("zh_official",),
)
CATEGORIES = Spec(
    file="categories.yaml",
    model=ServiceCategory,
    fields=with_chinese("name", "description", "alternative_names"),
    list_fields=ALIASES,
    json_lists=("zh_official",),
)
ORGANISATIONS = Spec(
    file="organisations.yaml",
    model=Organisation,
    fields=with_chinese(
        "name", "short_name", "alternative_names", "kind", "website", "description"
    ),
    foreign_keys={"parent": "organisations.yaml", "region": "regions.yaml"},
    many_to_many={"sectors": "sectors.yaml"},
    list_fields=ALIASES,
    json_lists=("zh_official",),
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


_whole_load_checks = []


def register_whole_load_check(check):
    """`check(entries)` runs over every checked entry before anything is
    written, for rules that span files; it raises SeedError."""
    if check not in _whole_load_checks:
        _whole_load_checks.append(check)


def whole_load_checks():
    return list(_whole_load_checks)
