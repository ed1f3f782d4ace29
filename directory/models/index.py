"""Tables derived from the records, for counting and matching at scale."""

from django.db import models

# The operator class of each column in FacetEntry's indexes. Texts compare
# byte-wise (PostgreSQL; ignored elsewhere): only equality is ever asked, and
# the index builds twice as fast.
OPERATOR_CLASSES = {
    "kind": "varchar_pattern_ops",
    "facet": "varchar_pattern_ops",
    "value": "varchar_pattern_ops",
    "record_id": "int8_ops",
    "until": "date_ops",
}


def entry_index(fields, name, **options):
    opclasses = [OPERATOR_CLASSES[field] for field in fields]
    return models.Index(fields=fields, name=name, opclasses=opclasses, **options)


class FacetEntry(models.Model):
    """One published record counted under one facet value; see `directory.facets`.

    Regions are rolled up: a programme in Shenzhen has entries for Shenzhen,
    Guangdong and China, so a region's count is a plain GROUP BY.
    """

    kind = models.CharField(max_length=16)
    facet = models.CharField(max_length=16)
    record_id = models.BigIntegerField()
    value = models.CharField(max_length=64)
    # An event's last day (its end, or its start when it has none); empty for
    # the other kinds. An upcoming-events list then counts its facets from one
    # index range per facet, instead of looking up each upcoming event's entries.
    until = models.DateField(null=True)

    class Meta:
        indexes = [
            # Counts for the records of a list, and a record's own entries.
            entry_index(["kind", "facet", "record_id", "value"], "facet_entry_lookup"),
            # A filter: the records with any of the selected values.
            entry_index(["kind", "facet", "value", "record_id"], "facet_entry_records"),
            # The facets of the events still to come: an index-only range
            # (PostgreSQL; SQLite has no INCLUDE and takes the plain index).
            entry_index(
                ["kind", "facet", "until"],
                "facet_entry_until",
                include=["value"],
                condition=models.Q(until__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.record_id}: {self.facet}={self.value}"


class FacetChange(models.Model):
    """One facet entry added to or removed from the index by a write
    (`facets.entries.refresh`), in the write's transaction.

    A filtered list's matches and counts are kept in the shared cache with
    the point of this log they were computed at; after a write, the next
    reader brings them up to date from the changes past that point (a few
    records) instead of counting again over the index (a few thousand
    records: 20-30 ms at 100,000 programmes). See directory/facets/kept.py.
    Rows older than `facets.kept.LOG_DAYS` are deleted by later writes.
    """

    kind = models.CharField(max_length=16)
    facet = models.CharField(max_length=16)
    record_id = models.BigIntegerField()
    value = models.CharField(max_length=64)
    added = models.BooleanField()
    # The writing transaction's id (PostgreSQL: pg_current_xact_id): whether
    # a reader's snapshot saw the change is then known exactly, whatever the
    # order in which concurrent writers commit. Empty on SQLite, which
    # commits one writer at a time, in the order of the ids.
    xact = models.BigIntegerField(null=True)
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "xact"], name="facet_change_xact")]

    def __str__(self):
        sign = "+" if self.added else "-"
        return f"{self.kind} {self.record_id}: {sign}{self.facet}={self.value}"


class StoredCount(models.Model):
    """How many entries of a kind's published records have a facet value:
    kept on write, moved by the difference (directory/facets/totals.py)."""

    kind = models.CharField(max_length=16)
    facet = models.CharField(max_length=16)
    value = models.CharField(max_length=64)
    n = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.kind} {self.facet}={self.value}: {self.n}"


class FacetTotal(StoredCount):
    """How many published records of a kind have an entry for a facet value."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "facet", "value"], name="one_facet_total"),
        ]
        indexes = [
            # The organisations with the most records, for the unfiltered lists.
            models.Index(fields=["kind", "facet", "-n", "value"], name="facet_total_largest"),
        ]


class UpcomingTotal(StoredCount):
    """How many entries of the published records of a kind with a last day
    (events) have each facet value and a last day on or after the kind's
    `UpcomingTotalsDay.day`: the counts of an upcoming-events list without
    reading every upcoming event's entries (directory/facets/upcoming.py)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "facet", "value"], name="one_upcoming_total"),
        ]
        indexes = [
            # The organisations with the most events to come.
            models.Index(fields=["kind", "facet", "-n", "value"], name="upcoming_total_largest"),
        ]


class UpcomingTotalsDay(models.Model):
    """The day a kind's `UpcomingTotal`s count from. Moved to today by the
    next write of a record of the kind, or by `manage.py roll_upcoming_totals`
    (daily); until then readers correct the counts by the entries whose last
    day fell in between."""

    kind = models.CharField(max_length=16, unique=True)
    day = models.DateField()

    def __str__(self):
        return f"{self.kind} from {self.day}"


class NameWord(models.Model):
    """A word that occurs in some record's names (`search_names`).

    PostgreSQL's misspelling match compares each word of a query with this
    short list (a trigram index over single words) instead of with every
    record's names, and searches the look-alike words it finds as words of a
    name. Added to by `search.refresh_search_index`; never pruned, since a word
    that no record has any more finds nothing.
    """

    word = models.CharField(max_length=100, primary_key=True)

    def __str__(self):
        return self.word


class PendingSearchText(models.Model):
    """A record whose search text is still to be redone because a region,
    sector or kind of help it repeats was renamed (`search.refresh_naming`).

    A rename redoes the search text of up to a thousand records in its own
    save; a term repeated by more (the first sector at 100,000 programmes:
    17,663 records, 33-37 s of work) would outlast the app server's 30 s
    request timeout, which would roll the rename back. Those records are
    listed here instead, in the rename's transaction, and
    `manage.py refresh_search_text` (run every minute) redoes them.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="pending_search_text_once"
            )
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id}"
