"""Django's WSGI handler with the page cache in front of it.

A stored public page is the same bytes and headers for every anonymous
reader of its URL, so a hit needs none of what Django does to answer a
request: no middleware, no URL resolution, no signals, no database. This
handler reads the request as Django would (`WSGIRequest`: the same host
check, scheme and cookies), asks the shared cache for the page and the
generations of its tags in one round trip, and sends a current copy as it was first
sent. Anything else, a miss included, goes to Django unchanged, where
`PublicPageCacheMiddleware` renders and stores it.

Nothing is kept in the process: a generation replaced by any app server
turns the copies stored under it stale here on the next request.
"""

import re

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.utils.translation import get_language_from_path

from directory import caching
from directory.i18n.languages import chosen_language

# The first part of every public page's path (directory/urls.py,
# programmes/urls.py; tests/directory/caching/test_cached_page_handler.py checks that none is
# missing). Other paths (static files, the admin, the language switch) are
# never stored, and asking the cache for them would only cost a round trip.
PUBLIC_SECTIONS = (
    "programmes",
    "organisations",
    "services",
    "events",
    "search",
    "sources",
    "start",
    # The directory's own pages (directory/views/pages.py).
    "about",
    "contact",
    "privacy",
    "accessibility",
    # Never stored (no-store, and it sets the CSRF cookie); looked up all the same.
    "ask",
)
PUBLIC_PATH = re.compile(
    r"^/(?:(?:{languages})/)?(?:(?:{sections})/.*)?$".format(
        languages="|".join(re.escape(code) for code, _name in settings.LANGUAGES),
        sections="|".join(PUBLIC_SECTIONS),
    )
)


def cached_page(environ):
    """(headers, content) of the current stored copy of the page `environ`
    asks for, or None when Django has to answer."""
    if not caching.enabled() or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    # The raw path first (the sections and prefixes are ASCII), so that a
    # static file does not pay for a request object here as well.
    if not PUBLIC_PATH.match(environ.get("PATH_INFO", "")):
        return None
    # On a copy: WSGIRequest rewrites PATH_INFO and SCRIPT_NAME in the environ
    # it is given to decoded text, and Django's own handler, building its
    # request from the same environ after a miss, expects the WSGI byte
    # strings (every non-Latin path failed with a 500).
    request = WSGIRequest(environ.copy())
    path = request.path_info
    if not caching.is_anonymous_read(request):
        return None
    # An unprefixed URL may redirect this reader to their language; Django decides.
    if not get_language_from_path(path) and chosen_language(request) not in (
        None,
        settings.LANGUAGE_CODE,
    ):
        return None
    try:
        key = caching.page_key(request)
    except SuspiciousOperation:  # a host not allowed: Django answers 400
        return None
    tags = caching.page_tags(path)
    try:
        entry, generations = caching.current_entry(key, tags)
    except Exception:
        caching.log_failure("Page cache unavailable; rendering")
        return None
    if entry is None:
        environ[caching.LOOKUP_ENVIRON_KEY] = (key, tags, generations)
        return None
    _generations, headers, content = entry
    _query, unknown = caching.canonical_query(request)
    if unknown:
        content = caching.with_unknown_parameters(content, unknown, path)
        headers = [(n, str(len(content)) if n == "Content-Length" else v) for n, v in headers]
    return [*headers, (caching.STATUS_HEADER, "hit")], content


class CachedPageHandler(WSGIHandler):
    def __call__(self, environ, start_response):
        page = cached_page(environ)
        if page is None:
            return super().__call__(environ, start_response)
        headers, content = page
        start_response("200 OK", headers)
        return [content]
