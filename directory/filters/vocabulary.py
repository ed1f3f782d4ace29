"""The vocabulary every list reads once per request: regions, sectors and
kinds of help (id, slug, names, region parent), in one query."""

import functools
from dataclasses import dataclass, field

from django.db import connection

from directory import caching, facets
from directory.i18n.translation import translate
from directory.models import Region, Sector, ServiceCategory

# Read per request it was 800 rows (1.8 ms) at 100,000 programmes.
KEY = "directory:vocabulary"


@dataclass
class Vocabulary:
    """Every region, sector and kind of help: id, slug, name (and region parent)."""

    regions: dict = field(default_factory=dict)
    sectors: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)

    @classmethod
    def load(cls):
        """From the shared cache (and this process's copy of it) while the
        generation of every page holds: a region, sector or category change
        replaces it (see directory.caching)."""
        return caching.shared_in_process(KEY, cls.read, caching.EVERYTHING)

    @classmethod
    def read(cls):
        # Plain SQL: the same three-table UNION through the ORM cost more to
        # compile and to turn into rows than to run (800 rows at 100,000
        # programmes, read by every list rendered while the cache is off).
        vocab = cls()
        tables = {"region": vocab.regions, "sector": vocab.sectors, "help": vocab.categories}
        with connection.cursor() as cursor:
            cursor.execute(_read_sql())
            for kind, pk, slug, name, zh_hans, zh_hant, parent_id, region_kind in cursor:
                tables[kind][pk] = Term(pk, slug, name, parent_id, zh_hans, zh_hant, region_kind)
        return vocab

    def ancestry(self, pk):
        """A region and the regions above it, nearest first."""
        found = []
        while pk is not None and pk in self.regions and pk not in found:
            found.append(pk)
            pk = self.regions[pk].parent_id
        return found

    def is_mainland(self, pk):
        """Whether a region is in mainland China: under a top-level region
        that is not a SAR or a country."""
        chain = self.ancestry(pk)
        return bool(chain) and self.regions[chain[-1]].kind not in (
            Region.Kind.SAR,
            Region.Kind.COUNTRY,
        )

    def open_to_values(self, pk):
        """The "open to" entries that find records open to firms from a
        region: open to it or a region above it, to the mainland, to anyone."""
        values = [f"{facets.OPEN}{above}" for above in self.ancestry(pk)]
        if self.is_mainland(pk):
            values.append(f"{facets.OPEN}{facets.MAINLAND}")
        return [*values, f"{facets.OPEN}{facets.ANYWHERE}"]

    def fold_regions(self, counts):
        """{region id: n} from a region facet's counts, each region counting
        the records open to firms from it as well as its own (each record is
        under exactly one entry for a region, so the sums count no record twice)."""
        plain, open_to = {}, {}
        for value, n in counts.items():
            if str(value).startswith(facets.OPEN):
                open_to[str(value)] = n
            else:
                plain[int(value)] = n
        if not open_to:
            return plain
        return {
            pk: plain.get(pk, 0) + sum(open_to.get(v, 0) for v in self.open_to_values(pk))
            for pk in self.regions
        }

    def by_slug(self, table, slugs):
        index = {term.slug: term for term in table.values()}
        return [index[slug] for slug in slugs if slug in index]


@functools.cache
def _read_sql():
    def part(model, kind, parent, region_kind):
        columns = ", ".join(
            [f"'{kind}'", "id", "slug", "name", "name_zh_hans", "name_zh_hant", parent, region_kind]
        )
        return f"SELECT {columns} FROM {model._meta.db_table}"

    return " UNION ALL ".join(
        [
            part(Region, "region", "parent_id", "kind"),
            part(Sector, "sector", "NULL", "''"),
            part(ServiceCategory, "help", "NULL", "''"),
        ]
    )


@dataclass
class Term:
    pk: int
    slug: str
    name: str
    parent_id: int | None = None
    name_zh_hans: str = ""
    name_zh_hant: str = ""
    kind: str = ""

    @property
    def label(self):
        # A `Text`, so templates can tag an English fallback on Chinese pages.
        return translate(self, "name")
