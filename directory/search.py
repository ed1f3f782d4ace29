"""Keeping each record's search text current.

Call `refresh_search_index(records)` after writing records or their relations
(the seed loader, admin saves, imports). It is explicit rather than a signal so
that bulk writers can batch it.
"""


def _join(*parts):
    return " ".join(p for p in parts if p)


def build_search_document(record):
    """The text a search should match for a record: its own names, plus the
    names of related records (partners, regions, programme), so that
    searching a partner's name finds the programmes it takes part in."""
    own = [
        getattr(record, "name", ""),
        getattr(record, "short_name", ""),
        getattr(record, "alternative_names", ""),
        getattr(record, "summary", ""),
        getattr(record, "description", ""),
    ]
    return _join(*own)


def refresh_search_index(records):
    for record in records:
        record.search_document = build_search_document(record)
        type(record).objects.filter(pk=record.pk).update(search_document=record.search_document)
