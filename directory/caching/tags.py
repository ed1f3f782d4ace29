"""What a stored page depends on, named by "tags" with a generation each.

Every stored page (and every list's stored facet counts) is kept with the
generations of its tags, read before it was rendered; it is current while
each of them still holds. A write replaces the generations of the tags of the
pages it changes, and only those. The tags of a page follow from its URL
alone, so that `CachedPageHandler` asks for the page and its generations in
the same round trip, before Django resolves anything:

- `all`: every page; replaced by vocabulary changes, bulk loads and imports;
- `list:<section>`: a list and its feed, CSV and calendar (`list:programmes`),
  the home page (`list:home`), search (`list:search`), the guided start;
- `list:<section>.outputs`: a list's feed, CSV and calendar only, which
  also show when each record last changed (a save that changes nothing else
  leaves the list's pages alone);
- `pages:<section>`: every record page of a section (the fallback when one
  write changes too many of them to name);
- `page:/<section>/<slug>/`: one record's page in every language;
- `facets:<kind>:<facet>`: not a page's: what is computed from one kind's
  entries of one facet (a filtered list's matches under a region filter,
  its region counts); replaced only by a write that adds or removes such
  an entry, whose next reader then brings it up to date from the log of
  those changes (directory/facets/kept.py).

Generations live in the shared cache (Redis, or the database table), never in
process memory: a write on one app server is seen by every other on its next
request. A generation is a fresh random token, not a counter, so one evicted
from the cache (or lost with a Redis restart) is never issued again and can
never make an old page look current.
"""

import re
import secrets

from django.conf import settings
from django.core.cache import cache

EVERYTHING = "all"
HOME = "list:home"
SEARCH = "list:search"
START = "list:start"
KEY_PREFIX = "directory:tag:"

# The sections whose second path segment is a record's slug.
RECORD_SECTIONS = frozenset({"programmes", "organisations", "services", "events", "sources"})
# Paths under a list that are the list again in another format, not a record.
LIST_OUTPUTS = frozenset({"feed", "results.csv", "calendar.ics"})
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def _prefixes():
    return {code for code, _name in settings.LANGUAGES}


def page_tags(path):
    """The tags of the page at `path` (any language)."""
    parts = [part for part in path.split("/") if part]
    if parts and parts[0] in _prefixes():
        parts = parts[1:]
    if not parts:
        return (EVERYTHING, HOME)
    section = parts[0]
    if (
        section in RECORD_SECTIONS
        and len(parts) > 1
        and parts[1] not in LIST_OUTPUTS
        and SLUG.match(parts[1])
    ):
        return (EVERYTHING, f"pages:{section}", record_tag(section, parts[1]))
    if len(parts) > 1 and parts[1] in LIST_OUTPUTS:
        return (EVERYTHING, list_tag(section), list_tag(outputs(section)))
    return (EVERYTHING, list_tag(section))


# Pages that say "upcoming" or "took place" by today's date: home, the
# events section, and the record pages that list events (a programme's
# editions, an organisation's events). They are stored under the day's date
# (directory.caching.page_key); the others are not, so they stay stored
# across midnight. tests/directory/caching/test_dated_pages.py renders the
# others on two dates and finds them the same.
DATED_LISTS = frozenset({"home", "events"})
DATED_PAGES = frozenset({"events", "programmes", "organisations"})


def is_dated(path):
    """Whether the page at `path` (any language) shows anything by today's date."""
    kind, section = page_tags(path)[1].split(":", 1)
    return section in (DATED_PAGES if kind == "pages" else DATED_LISTS)


def facets_tag(kind, facet):
    return f"facets:{kind}:{facet}"


def record_tag(section, slug):
    return f"page:/{section}/{slug}/"


def list_tag(section):
    return f"list:{section}"


def outputs(section):
    """The section of a list's feed, CSV and calendar (see `list:<section>.outputs`)."""
    return f"{section}.outputs"


def generations(found, tags):
    """The generations of `tags` in a `cache.get_many` answer (None where missing)."""
    return tuple(found.get(KEY_PREFIX + tag) for tag in tags)


def keys(tags):
    return [KEY_PREFIX + tag for tag in tags]


def new_generation():
    return secrets.token_hex(8)


def replace(tags):
    """New generations for `tags`: every page stored under the old ones is out of date."""
    if tags:
        token = new_generation()
        cache.set_many({KEY_PREFIX + tag: token for tag in tags}, timeout=None)


def start(tags, current):
    """`current` (generations of `tags`, some None: never written, or evicted)
    with a first generation for each missing one. Another server may start
    one at the same moment, so `add`, and whoever loses reads the winner's.
    Done before a page is rendered, like any reading of generations."""
    missing = [tag for tag, generation in zip(tags, current, strict=True) if generation is None]
    for tag in missing:
        cache.add(KEY_PREFIX + tag, new_generation(), timeout=None)
    found = dict(zip(tags, current, strict=True))
    found.update(zip(missing, generations(cache.get_many(keys(missing)), missing), strict=True))
    return tuple(found[tag] for tag in tags)
