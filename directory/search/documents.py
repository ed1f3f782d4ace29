"""Building each record's search text and vector (`refresh_search_index`)."""

from django.contrib.postgres.search import (
    SearchVector,
)
from django.db.models import (
    Value,
    prefetch_related_objects,
)

from directory.models import NameWord
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


def _vector(parts):
    vector = None
    for text, weight in zip(parts, "ABCD", strict=True):
        # Apostrophe-free spellings ("Xian") go in beside the originals.
        text = f"{text} {normalise(text)}" if "'" in text or "’" in text else text
        part = SearchVector(Value(text or ""), weight=weight, config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    return vector


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


def refresh_search_index(records):
    """Recompute `search_document` (and `search_vector` on PostgreSQL) for the
    given records, re-reading their relations in a few batched queries, and
    add the new words of their names to `NameWord` (PostgreSQL)."""
    by_model = {}
    words = set()
    for record in records:
        by_model.setdefault(type(record), []).append(record.pk)
    for model, pks in by_model.items():
        for record in model.search_prefetch(model.objects.filter(pk__in=pks)):
            parts = _weighted_parts(record)
            values = {
                "search_document": normalise(" ".join(parts)),
                "search_names": names_text(parts[0]),
            }
            if is_postgresql():
                values["search_vector"] = _vector(parts)
                words.update(values["search_names"].split())
            model.objects.filter(pk=record.pk).update(**values)
    add_name_words(words)


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
