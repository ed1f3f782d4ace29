"""What a page's first reader after a staff save meets: the page's own
generations replaced, as that save replaced them."""


def as_after_a_save(path):
    """Replaces the generations that a save of a record shown at `path`
    replaces for it: the page's own, not `all`. (A save also replaces the
    home page's, and with it the facet totals; the first list rendered after
    it reads them once for every list, so only home is measured reading them.)
    What such a save leaves alone stays in the shared cache, as on a running
    site: the vocabulary of regions, sectors and kinds of help."""
    from directory.caching import tags

    tags.replace([tag for tag in tags.page_tags(path) if tag != tags.EVERYTHING])


def cold_application(application):
    """`application` with every request its page's first after a save: the
    page cache looks the page up, misses, renders and stores it, as on a
    running site; nothing else is kept from being cached."""

    def cold(environ, start_response):
        as_after_a_save(environ.get("PATH_INFO", "/"))
        return application(environ, start_response)

    return cold
