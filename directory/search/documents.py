"""Building each record's search text and vector (`refresh_search_index`)."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q, prefetch_related_objects

from directory.models import NameWord, PendingSearchText
from directory.search.text import SEARCH_CONFIG, index_text, is_postgresql, normalise


def _names(*records):
    parts = []
    for record in records:
        if record is None:
            continue
        parts += [
            getattr(record, "name", ""),
            getattr(record, "name_zh_hans", ""),
            getattr(record, "name_zh_hant", ""),
            getattr(record, "short_name", ""),
            getattr(record, "alternative_names", ""),
            getattr(record, "alternative_names_zh_hans", ""),
            getattr(record, "alternative_names_zh_hant", ""),
        ]
    return " ".join(p for p in parts if p)


def _weighted_parts(record):
    """(A, B, C, D): own names, summary, description, related names."""
    own = _names(record)
    summary = " ".join(
        p for p in (_all_languages(record, "summary"), record.search_extra_summary()) if p
    )
    description = _all_languages(record, "description")
    parts = (own, summary, description, _names(*record.search_related()))
    return tuple(index_text(part) for part in parts)


def _all_languages(record, field):
    values = [getattr(record, name, "") for name in (field, f"{field}_zh_hans", f"{field}_zh_hant")]
    return " ".join(v for v in values if v)


def names_text(own_names):
    """`search_names`: the record's own names (part A), normalised."""
    return normalise(own_names)


def build_search_document(record):
    """The text a search matches: the record's own names and texts plus the
    names of related records (partners, regions, provider, programme,
    categories), so that searching a partner finds the programmes it is in."""
    return normalise(" ".join(_weighted_parts(record)))


def with_search_dependents(records):
    """`records` and the records whose search text repeats their names
    (`search_dependent_relations`): what a change of their names must
    refresh. A query per relation and model, however many records (an
    import of a thousand programmes)."""
    records = list(records)
    by_model = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record)
    for model, group in by_model.items():
        prefetch_related_objects(group, *model.search_dependent_relations)
    found = {}
    for record in records:
        found.setdefault((type(record), record.pk), record)
        for relation in record.search_dependent_relations:
            for one in getattr(record, relation).all():
                found.setdefault((type(one), one.pk), one)
    return list(found.values())


# The fields of a vocabulary term that records' search text repeats (`_names`).
TERM_NAME_FIELDS = frozenset(
    {
        "name",
        "name_zh_hans",
        "name_zh_hant",
        "short_name",
        "alternative_names",
        "alternative_names_zh_hans",
        "alternative_names_zh_hant",
    }
)
BATCH = 500


def records_naming(term):
    """Stand-ins (model and primary key) for the searchable records whose
    search text repeats the names of `term`, a region, sector or kind of
    help: those reaching it through one of their `search_vocabulary`
    lookups. One query per kind of record."""
    from directory import kinds

    found = []
    for model in kinds.models():
        condition = Q()
        for lookup in model.search_vocabulary:
            if _target(model, lookup) is type(term):
                condition |= Q(**{lookup: term})
        if condition:
            pks = model.objects.filter(condition).order_by("pk").values_list("pk", flat=True)
            found += [model(pk=pk) for pk in pks.distinct()]
    return found


def _target(model, lookup):
    for name in lookup.split("__"):
        model = model._meta.get_field(name).related_model
    return model


# How many records a rename redoes in its own save: about 2-3 s of work on
# two cores. More are listed for `manage.py refresh_search_text`.
IN_THE_SAVE = 1000


def refresh_naming(term):
    """Redoes the search text of the records repeating `term`'s names, a
    batch at a time, or, when there are more than IN_THE_SAVE (a sector can
    be named by tens of thousands of programmes), lists them to be redone by
    `refresh_pending`. Returns how many were listed."""
    records = records_naming(term)
    if len(records) > IN_THE_SAVE:
        _list_pending(records)
        return len(records)
    _refresh_named(records)
    return 0


def _refresh_named(records):
    for start in range(0, len(records), BATCH):
        # A term's names are repeated among a record's related names, never
        # its own: the look-alike words (its own names') stay as they are.
        refresh_search_index(records[start : start + BATCH], own_names_changed=False)


def _list_pending(records):
    types = ContentType.objects.get_for_models(*{type(record) for record in records})
    # A record already listed is listed again, not passed over: if a run of
    # `refresh_pending` holds it, redoing it with the names from before this
    # rename, the upsert waits for that run to end, then lists it anew.
    PendingSearchText.objects.bulk_create(
        [PendingSearchText(content_type=types[type(r)], object_id=r.pk) for r in records],
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["content_type", "object_id"],
        update_fields=["queued_at"],
    )


def refresh_pending(batch=BATCH):
    """Redoes the search text of the records a rename listed, a batch per
    transaction, and returns how many. Batches taken by another run at the
    same time are skipped (PostgreSQL), so runs may overlap."""
    from directory.caching import invalidation
    from directory.caching.tags import SEARCH, START, list_tag

    done = 0
    while True:
        with transaction.atomic():
            taken = list(
                PendingSearchText.objects.select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", "content_type_id", "object_id")[:batch]
            )
            if not taken:
                return done
            # (get_for_id keeps the few content types in this process.)
            model = ContentType.objects.get_for_id
            records = [model(type_id).model_class()(pk=pk) for _row, type_id, pk in taken]
            _refresh_named(records)
            PendingSearchText.objects.filter(pk__in=[row for row, *_rest in taken]).delete()
            # Searches by the new name now find these records: the search
            # pages, the lists (and their feeds and API) searched, stored
            # before, do not. Record pages and home show no search text.
            sections = {invalidation.section_of(type(record)) for record in records}
            invalidation.later({SEARCH, START, list_tag("api"), *map(list_tag, sections)})
        done += len(taken)


def refresh_search_index(records, own_names_changed=True):
    """Recompute `search_document` (and `search_vector` on PostgreSQL) for the
    given records, re-reading their relations in a few batched queries, and
    add the new words of their names to `NameWord` (PostgreSQL; not when
    `own_names_changed` is False). One UPDATE per model and batch, not one
    per record: an ORM update per record spent 1.8 of 2.5 s on a thousand
    programmes building its expressions."""
    by_model = {}
    words = set()
    for record in records:
        by_model.setdefault(type(record), []).append(record.pk)
    for model, pks in by_model.items():
        rows = []
        for record in model.search_prefetch(model.objects.filter(pk__in=pks)):
            parts = _weighted_parts(record)
            names = names_text(parts[0])
            rows.append((record.pk, normalise(" ".join(parts)), names, *map(_vector_text, parts)))
            if own_names_changed:
                words.update(names.split())
        for start in range(0, len(rows), BATCH):
            _write_search_text(model, rows[start : start + BATCH])
    if is_postgresql() and words:
        add_name_words(words)


def _vector_text(text):
    # Apostrophe-free spellings ("Xian") go in beside the originals.
    return f"{text} {normalise(text)}" if "'" in text or "’" in text else text


def _write_search_text(model, rows):
    """Each (pk, document, names, A, B, C, D) of `rows` written to its record:
    on PostgreSQL one UPDATE from a VALUES list, the vector weighted part by
    part as `SearchVector(text, weight=..., config=SEARCH_CONFIG)` would."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if not is_postgresql():
            cursor.executemany(
                f"UPDATE {table} SET search_document = %s, search_names = %s WHERE {pk} = %s",
                [(document, names, key) for key, document, names, *_parts in rows],
            )
            return
        weighted = " || ".join(
            f"setweight(to_tsvector(%s::regconfig, v.{part}), '{part.upper()}')" for part in "abcd"
        )
        values = ", ".join(["(%s::bigint, %s, %s, %s, %s, %s, %s)"] * len(rows))
        cursor.execute(
            f"UPDATE {table} AS t SET search_document = v.document, search_names = v.names, "
            f"search_vector = {weighted} FROM (VALUES {values}) "
            f"AS v(id, document, names, a, b, c, d) WHERE t.{pk} = v.id",
            [SEARCH_CONFIG] * 4 + [value for row in rows for value in row],
        )


def add_name_words(words):
    """Adds the words of names that the look-alike match does not know yet
    (collected on PostgreSQL only: SQLite has no trigram match)."""
    longest = NameWord._meta.get_field("word").max_length
    new = [NameWord(word=w) for w in sorted(words) if len(w) <= longest]
    NameWord.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)


def name_words_from_tables_sql(tables):
    """SQL adding every word of `search_names` in `tables` to the name words
    (a migration's backfill; bulk loads that write `search_names` with COPY)."""
    words = " UNION ".join(
        f"SELECT unnest(string_to_array(btrim(search_names), ' ')) AS word FROM {table}"
        for table in tables
    )
    # 100: NameWord.word's max_length (a migration cannot import the model).
    return (
        f"INSERT INTO directory_nameword (word) SELECT word FROM ({words}) AS w "
        "WHERE word <> '' AND length(word) <= 100 ON CONFLICT DO NOTHING"
    )
