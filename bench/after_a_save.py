"""What a page's first reader after a staff save meets: the page's own
generations replaced, as that save replaced them."""


def as_after_a_save(path, facets_changed=True):
    """Replaces the generations that a save of a record shown at `path`
    replaces for it: the page's own, not `all`; and, unless the save left
    every record's facets alone (`facets_changed=False`: a change of text),
    those of what is computed from the facet index (a filtered list's
    matches and counts, directory/facets/reading.py). (A save also replaces the
    home page's, and with it the facet totals; the first list rendered after
    it reads them once for every list, so only home is measured reading them.)
    What such a save leaves alone stays in the shared cache, as on a running
    site: the vocabulary of regions, sectors and kinds of help."""
    from directory.caching import tags
    from directory.facets.registry import kinds, pairs_of

    replaced = [tag for tag in tags.page_tags(path) if tag != tags.EVERYTHING]
    if facets_changed:
        replaced += [
            tags.facets_tag(kind, facet)
            for kind in kinds().values()
            for facet, *_rest in pairs_of(kind)
        ]
    tags.replace(replaced)


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
            as_after_a_save(environ.get("PATH_INFO", "/"))
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
