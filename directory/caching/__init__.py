"""Rendered public pages kept in the shared cache, invalidated by what changed.

Public pages are the same for every anonymous reader of a URL, so the first
rendering is kept in the shared cache (Redis, or the database table) with the
generations of the *tags* its URL names (directory/caching/tags.py), read
before it was rendered. A committed write replaces the generations of the
pages it changes (directory/caching/invalidation.py): the record's own page
in every language, the pages of the records that show it, and the lists it
can appear in. Each app server, whichever rendered a page, stops serving an
out-of-date copy on its very next request: nothing lives in process memory,
and no list of keys has to be found and deleted.

Readers with a signed-in session (staff) always get a fresh rendering; a
cookie naming no such session counts for nothing.
A stored page is looked up twice over: by `CachedPageHandler`
(directory/caching/handler.py), in front of Django, which answers a hit
without building the request through the middleware and URL resolver; and,
for whatever reaches Django (the test client, say), once its URL is resolved.
`DIRECTORY_CACHING = False` (env `DIRECTORY_CACHING=0`) turns it off, which is
how the benchmark measures cold pages.
"""

import hashlib
import logging
import re
import sys
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseNotAllowed, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import get_language_from_path

from directory.caching import tags as page_tags_module
from directory.caching.invalidation import (  # noqa: F401 (the package's interface)
    bump_content_version,
    coarse,
    connect_signals,
)
from directory.caching.tags import EVERYTHING, HOME, page_tags

# The facet totals change with any published record, and so does the home
# page, which shows them: a change replaces its generation (core.py).
TOTALS_TAGS = (EVERYTHING, HOME)

logger = logging.getLogger(__name__)

# URL namespaces of the public pages.
PUBLIC_NAMESPACES = ("directory", "programmes")
# The methods a public page answers; any other gets 405.
PUBLIC_METHODS = ("GET", "HEAD")
# Set on every public response, so readers (and the benchmark) can tell.
STATUS_HEADER = "X-Page-Cache"
# Where CachedPageHandler leaves a miss's (key, tags, generations), so that the
# middleware does not ask the cache again.
LOOKUP_ENVIRON_KEY = "directory.page_cache_lookup"


def log_failure(message):
    """Log the cache failure being handled, unless it is the Redis backend's
    circuit breaker reporting an outage it has already logged once."""
    from directory.caching.redis_backend import CacheUnavailable

    if not isinstance(sys.exc_info()[1], CacheUnavailable):
        logger.exception(message)


def enabled():
    return getattr(settings, "DIRECTORY_CACHING", True)


def query_parameters(*names):
    """Declares the query parameters a public view reads. The page cache keys
    the page on those only (sorted), so parameters the page ignores cannot
    multiply its stored copies; see `canonical_query`."""

    def decorate(view):
        view.query_parameters = frozenset(names)
        return view

    return decorate


def canonical_query(request):
    """(query, unknown names): the query string of the parameters the page's
    view reads, sorted, and the names of the others, which it ignores.
    Computed once per request; needs to resolve the URL only when there is a
    query string at all."""
    found = getattr(request, "_canonical_query", None)
    if found is not None:
        return found
    found = request.META.get("QUERY_STRING", ""), []
    if found[0]:
        match = getattr(request, "resolver_match", None)
        if match is None:
            path = request.path_info
            with translation.override(get_language_from_path(path) or settings.LANGUAGE_CODE):
                try:
                    match = resolve(path)
                except Resolver404:
                    match = None
        known = getattr(match.func, "query_parameters", None) if match else None
        if known is not None:
            pairs = sorted(
                (k, v) for k in request.GET if k in known for v in request.GET.getlist(k)
            )
            found = urlencode(pairs), sorted(k for k in request.GET if k not in known)
    request._canonical_query = found
    return found


def page_key(request):
    """The key of a page: its absolute URL (scheme, host, path and the
    canonical query: the parameters its view reads, sorted) and, for a page
    that shows anything by today's date, that date (`day_of`).

    The URL alone settles a public page's language: a prefix, or none for
    English (a reader who chose another language is redirected from an
    unprefixed URL before any page is rendered, directory/i18n/languages.py).
    Raises DisallowedHost for a host not in ALLOWED_HOSTS.
    """
    query, _unknown = canonical_query(request)
    uri = f"{day_of(request.path_info)} {request.build_absolute_uri(request.path)}?{query}"
    return f"directory:page:{hashlib.sha256(uri.encode()).hexdigest()}"


def day_of(path):
    """Today's date for a page that says "upcoming" or "took place" by it (a
    copy stored yesterday is not served today); "" for the others, whose
    copies stay stored across midnight."""
    return timezone.localdate().isoformat() if page_tags_module.is_dated(path) else ""


# Where a stored page says which parameters were ignored (templates/base.html).
UNKNOWN_MARKER = b"<!--unknown-parameters-->"


def with_unknown_parameters(content, names, path):
    """The stored page `content` telling the reader that the parameters
    `names` (which it does not read, and which are not part of its key) were
    ignored, in the page's language."""
    from django.template.loader import render_to_string

    from directory.forms import shown

    if not names or UNKNOWN_MARKER not in content:
        return content
    with translation.override(get_language_from_path(path) or settings.LANGUAGE_CODE):
        notice = render_to_string(
            "includes/unknown_parameters.html", {"names": [shown(n) for n in names]}
        )
    return content.replace(UNKNOWN_MARKER, notice.encode(), 1)


# What Django's database and cache session stores issue as session keys.
SESSION_KEY = re.compile(r"^[a-z0-9]{32}$")


def has_session_cookie(request):
    """Whether the request carries the session of a signed-in user.

    A cookie that cannot be a session key (`sessionid=x`) is not looked up; a
    well-formed one is (one primary-key read in the session store), and only
    a live session with a user in it counts. Anything else, a made-up
    32-character key included, is an anonymous reader's: it gets the stored
    page and the short middleware stack, so a junk cookie cannot make every
    request a fresh rendering. Looked up once per request.
    """
    found = getattr(request, "_signed_in_session", None)
    if found is None:
        found = is_signed_in_session(request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""))
        request._signed_in_session = found
    return found


def is_signed_in_session(key):
    from django.contrib.auth import SESSION_KEY as USER_KEY

    if not SESSION_KEY.match(key):
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore
    try:
        return USER_KEY in store(session_key=key)
    except Exception:  # a store that cannot answer knows no signed-in user
        logger.warning("Session store unavailable; reader treated as anonymous")
        return False


def is_anonymous_read(request):
    # A signed-in reader may see things anonymous readers don't.
    return request.method in ("GET", "HEAD") and not has_session_cookie(request)


def is_cacheable_request(request):
    # Only the directory's own pages: not the admin, language switch or others.
    return is_anonymous_read(request) and request.resolver_match.namespace in PUBLIC_NAMESPACES


def settle_outage():
    """Every generation replaced, once, after this process met an outage of
    the shared cache (see redis_backend): a save during the outage could not
    replace those of the pages it changed. Raises what the cache raises while
    it is still down (callers treat that as a miss)."""
    breaker = getattr(cache, "breaker", None)
    if breaker is not None and breaker.owes_replacement:
        page_tags_module.replace([page_tags_module.EVERYTHING])
        breaker.owes_replacement = False


def current_entry(key, tags):
    """(entry, generations): the entry stored under `key` if it was stored
    under the current generations of `tags` (else None), and those
    generations. One round trip to the cache for all of them."""
    settle_outage()
    found = cache.get_many([key, *page_tags_module.keys(tags)])
    generations = page_tags_module.generations(found, tags)
    if None in generations:
        return None, page_tags_module.start(tags, generations)
    entry = found.get(key)
    if entry is not None and entry[0] == generations:
        return entry, generations
    return None, generations


def is_cacheable_response(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def summary_key(kind, query, path):
    """Key for what the list at `path` shows beside its rows (facet counts,
    total) for the filters in `query`, whatever page or sort order is asked
    for (and, for events, today's date: what is upcoming changes with it)."""
    items = sorted((k, v) for k in query for v in query.getlist(k) if k not in ("page", "sort"))
    raw = repr((kind, translation.get_language(), day_of(path), items)).encode()
    return f"directory:summary:{hashlib.sha256(raw).hexdigest()}"


def shared(key, compute, tags):
    """`compute()`, or its value from the shared cache if computed under the
    current generations of `tags` (by any app server). Returns (value, was_cached)."""
    if not enabled():
        return compute(), False
    try:
        entry, generations = current_entry(key, tags)
    except Exception:
        log_failure("Cache unavailable; computing")
        return compute(), False
    if entry is not None:
        return entry[1], True
    value = compute()
    if None not in generations:
        try:
            cache.set(key, (generations, value), timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:
            log_failure("Could not store a value in the cache")
    return value, False


def shared_updated(key, compute, update, tags):
    """`shared(key, compute, tags)[0]` for a value that can be brought up to
    date (directory/facets/kept.py): one stored under generations of which
    only the first (`all`) still holds is passed to `update`, which returns
    it current (None: computed again), and it is stored again under the
    current generations."""
    if not enabled():
        return compute()
    try:
        settle_outage()
        found = cache.get_many([key, *page_tags_module.keys(tags)])
        generations = page_tags_module.generations(found, tags)
        if None in generations:
            generations = page_tags_module.start(tags, generations)
    except Exception:
        log_failure("Cache unavailable; computing")
        return compute()
    entry = found.get(key)
    if entry is not None and entry[0] == generations:
        return entry[1]
    value = None
    if entry is not None and entry[0][0] == generations[0]:
        value = update(entry[1])
    if value is None:
        value = compute()
    try:
        cache.set(key, (generations, value), timeout=settings.PAGE_CACHE_SECONDS)
    except Exception:
        log_failure("Could not store a value in the cache")
    return value


# This process's copies of large shared values: {key: (generation, value)}.
# Derived data, never authoritative: a copy is used only while the generation
# it was read under is still the current one in the shared cache, which is
# read on every use, so a change made through any app server is seen here on
# the next request.
_in_process = {}


def shared_in_process(key, compute, tag):
    """`shared(key, compute, (tag,))`, also kept in this process while the
    generation of `tag` holds: a value read by every page (the vocabulary of
    some 800 terms) then costs one small read instead of unpickling 77 kB."""
    if not enabled():
        return compute()
    try:
        settle_outage()
        generation = cache.get(page_tags_module.KEY_PREFIX + tag)
    except Exception:
        log_failure("Cache unavailable; computing")
        return compute()
    held = _in_process.get(key)
    if generation is not None and held is not None and held[0] == generation:
        return held[1]
    value, _cached = shared(key, compute, (tag,))
    if generation is not None:
        _in_process[key] = (generation, value)
    return value


class PublicPageCacheMiddleware:
    """Serves a public page from the shared cache when its copy is current.

    The lookup happens once the URL is resolved (`process_view`), so only the
    public pages pay for it. A miss is rendered and stored on the way out,
    with every header the response is sent with: this middleware comes first
    in MIDDLEWARE, so the others have added theirs (security, language, Vary,
    Content-Length) and CachedPageHandler can send the copy as it is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        pending = getattr(request, "page_cache_miss", None)
        if pending is not None:
            key, tags, generations = pending
            # None: a generation evicted again at once; rendered, not stored.
            if is_cacheable_response(response) and None not in generations:
                self.store(key, generations, response)
            response[STATUS_HEADER] = "miss"
        unknown = getattr(request, "unknown_parameters", None)
        if unknown and response.status_code == 200 and not response.streaming:
            response.content = with_unknown_parameters(response.content, unknown, request.path)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response

    def process_view(self, request, view, args, kwargs):
        allowed = getattr(view, "allowed_methods", PUBLIC_METHODS)
        if request.resolver_match.namespace in PUBLIC_NAMESPACES and request.method not in allowed:
            # Public pages only read; a public form declares that it takes posts.
            return HttpResponseNotAllowed(allowed)
        if not enabled() or not is_cacheable_request(request):
            return None
        key = page_key(request)
        tags = page_tags(request.path_info)
        query, unknown = canonical_query(request)
        if unknown:
            # The page is rendered (and stored) as if they were not there;
            # the notice that they were ignored is added on the way out.
            request.GET = QueryDict(query)
            request.unknown_parameters = unknown
        # CachedPageHandler has already found no current copy of this page.
        looked_up = request.META.get(LOOKUP_ENVIRON_KEY)
        if looked_up is not None and looked_up[0] == key:
            request.page_cache_miss = looked_up
            return None
        try:
            entry, generations = current_entry(key, tags)
        except Exception:
            log_failure("Page cache unavailable; rendering")
            return None
        if entry is not None:
            return self.cached_response(entry)
        request.page_cache_miss = (key, tags, generations)
        return None

    @staticmethod
    def cached_response(entry):
        from django.http import HttpResponse

        _generations, headers, content = entry
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response[STATUS_HEADER] = "hit"
        return response

    @staticmethod
    def store(key, generations, response):
        # A cacheable response sets no cookie (is_cacheable_response).
        headers = [(name, value) for name, value in response.items() if name != STATUS_HEADER]
        try:
            entry = (generations, headers, response.content)
            cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:
            log_failure("Could not store a page in the cache")
