"""Which kinds of record the facet index holds, and how each one's entries
are found: every kind registers its facets as SQL over its relations."""

from dataclasses import dataclass

from django.db import connection

from directory.models import Organisation

ALL = "all"  # the facet whose one value, "", counts every published record


@dataclass(frozen=True)
class Source:
    kind: str
    model: type
    # () -> [(facet, rolled up the region tree?, needs DISTINCT?, SQL selecting
    # (record_id, value) pairs of published records)]. `%s` is the published
    # status; `{only:column}` is where a refresh narrows to the records it redoes.
    pairs: object
    # The SQL of a record's last day over its table aliased `ev`, for kinds
    # whose lists ask "still to come" (events); None for the others.
    until: str | None = None
    # () -> SQL selecting (record_id, scope, region_id) for the published
    # records that say where the firms they take come from: scope "anywhere"
    # or "mainland" (region_id NULL), or "region" (one row per region). Folded
    # into the "region" facet as "open to" entries (see `entries`); None for
    # kinds that say nothing of it.
    open_to: object = None
    # () -> SQL selecting the ids of the published records that serve every
    # sector: one "sector" entry, ANY_SECTOR, instead of one per sector.
    all_sectors: object = None


# "Open to" entries of the region facet: OPEN + a region id (firms from that
# region and below), OPEN + MAINLAND (from any region of mainland China: every
# region whose top-level region is not a SAR or a country), OPEN + ANYWHERE.
OPEN = "o:"
MAINLAND = "mainland"
ANYWHERE = "*"
# The sector entry of a record open to every sector.
ANY_SECTOR = "*"

_sources: dict = {}
# kind -> functions returning more (facet, rolled, distinct, SQL) of its
# pairs, registered by other apps (an organisation is active where the
# programmes and events it takes part in are).
_extra_pairs: dict = {}


def register(source):
    _sources[source.model] = source


def extend(kind, pairs):
    _extra_pairs.setdefault(kind, []).append(pairs)


def pairs_of(kind):
    """Every (facet, rolled, distinct, SQL) of `kind`, its own and those added."""
    found = list(source_for(kind).pairs())
    for more in _extra_pairs.get(kind, ()):
        found += more()
    return found


def kinds():
    """Model -> the kind its entries are stored under."""
    return {model: source.kind for model, source in _sources.items()}


def model_for(kind):
    return {source.kind: model for model, source in _sources.items()}[kind]


def source_for(kind):
    return _sources[model_for(kind)]


def year(column):
    """SQL: the year of a date column, as an integer, on either database."""
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%%Y', {column}) AS INTEGER)"


def table(model):
    return model._meta.db_table


def organisation_pairs():
    org = table(Organisation)
    org_sectors = table(Organisation.sectors.through)
    published = "o.status = %s"
    return [
        (
            ALL,
            False,
            False,
            f"SELECT o.id, '' FROM {org} o WHERE {published} {{only:o.id}}",
        ),
        (
            "kind",
            False,
            False,
            f"SELECT o.id, o.kind FROM {org} o WHERE {published} {{only:o.id}}",
        ),
        (
            "region",
            True,
            False,
            f"SELECT o.id, o.region_id FROM {org} o "
            f"WHERE {published} AND o.region_id IS NOT NULL {{only:o.id}}",
        ),
        (
            "sector",
            False,
            False,
            f"SELECT x.organisation_id, x.sector_id FROM {org_sectors} x "
            f"JOIN {org} o ON o.id = x.organisation_id WHERE {published} "
            "{only:x.organisation_id}",
        ),
    ]
