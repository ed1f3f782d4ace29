"""What a page's first reader after a staff save meets: the page's own
generations replaced, as that save replaced them."""


def as_after_a_save(path, facets_changed=True, logged=True):
    """Replaces the generations that a save of a record shown at `path`
    replaces for it: the page's own, not `all`; and, unless the save left
    every record's facets alone (`facets_changed=False`: a change of text),
    those of what is computed from the facet index (a filtered list's
    matches and counts, directory/facets/filtered.py), with one record's
    change in the log they are then brought up to date from (unless not
    `logged`: the cold server, which does this inside each request, leaves
    the database alone; the update then runs and finds no change). (A save also replaces the
    home page's, and with it the facet totals; the first list rendered after
    it reads them once for every list, so only home is measured reading them.)
    What such a save leaves alone stays in the shared cache, as on a running
    site: the vocabulary of regions, sectors and kinds of help."""
    from directory.caching import tags
    from directory.facets.registry import kinds, pairs_of

    replaced = [tag for tag in tags.page_tags(path) if tag != tags.EVERYTHING]
    if facets_changed:
        if logged:
            _log_a_change(path)
        replaced += [
            tags.facets_tag(kind, facet)
            for kind in kinds().values()
            for facet, *_rest in pairs_of(kind)
        ]
    tags.replace(replaced)


# The filters of a list that reads kept matches and counts.
FACET_FILTERS = ("region", "sector", "help")


def _log_a_change(path):
    """Logs a change of one programme's facet entries, as a save does
    (directory/facets/kept.py), when `path` is a list filtered by the facet
    index: its first programme's sector entry taken out and put back in one
    transaction. The first reader after it brings the kept matches and
    counts up to date by that record, as after a real save; the index itself
    is unchanged, so every sample measures the same data. Other pages read
    no kept value: they are measured, as before, after no database write
    (one, committed just before, slows the request that follows)."""
    from urllib.parse import parse_qs, urlsplit

    from django.db import transaction

    from directory.facets import kept
    from directory.models import FacetEntry

    if not any(name in FACET_FILTERS for name in parse_qs(urlsplit(path).query)):
        return
    entry = _changed_entry(path)
    if entry is None:
        return
    with transaction.atomic():
        FacetEntry.objects.filter(pk=entry.pk).delete()
        FacetEntry.objects.create(
            kind=entry.kind, facet=entry.facet, record_id=entry.record_id, value=entry.value
        )
        change = [(entry.facet, entry.record_id, entry.value, None)]
        kept.log_writes(entry.kind, change, change)


def _changed_entry(path):
    """The sector entry of the first programme matching the region and
    sector filters of `path` (of any programme when it has none)."""
    from urllib.parse import parse_qs, urlsplit

    from directory.models import FacetEntry, Region, Sector

    query = parse_qs(urlsplit(path).query)
    entries = FacetEntry.objects.filter(kind="programme")
    sectors = entries.filter(facet="sector")
    for name, model in (("region", Region), ("sector", Sector)):
        if name in query:
            term = model.objects.filter(slug=query[name][0]).first()
            if term is not None:
                matching = entries.filter(facet=name, value=str(term.pk)).values("record_id")
                sectors = sectors.filter(record_id__in=matching)
    return sectors.order_by("record_id").first()


def cold_application(application, attempts=3):
    """`application` with every request its page's first after a save: the
    page cache looks the page up, misses, renders and stores it, as on a
    running site; nothing else is kept from being cached.

    With two workers, one may store the page under the generation the other
    has just set, before the other looks it up (once in 3,120 requests on a
    record page): an answer from the cache is then thrown away and the page
    asked for again after a new save."""

    def cold(environ, start_response):
        for _attempt in range(attempts):
            # Inside the request that is measured: a write to the database
            # here would be counted as the page's cost.
            as_after_a_save(environ.get("PATH_INFO", "/"), logged=False)
            answer = {}

            def keep(status, headers, exc_info=None, answer=answer):
                answer.update(status=status, headers=headers, exc_info=exc_info)

            body = application(environ.copy(), keep)
            if dict(answer["headers"]).get("X-Page-Cache") != "hit":
                break
            if hasattr(body, "close"):
                body.close()
        if answer["exc_info"]:
            start_response(answer["status"], answer["headers"], answer["exc_info"])
        else:
            start_response(answer["status"], answer["headers"])
        return body

    return cold
