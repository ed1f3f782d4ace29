"""Record pages' URLs by slug, and the site's fixed pages' URLs, without
resolving the URL patterns each time.

A list page links twenty records, a source page fifty, and `reverse()` walks
the URL configuration for each one (some 25 microseconds). A record page's
URL is the same for every slug but the slug: it is reversed once per view
name, URL configuration, script prefix and language, with a placeholder
where the slug goes, and the slug is put in. Only slugs that need no quoting
(`SLUG`, what a SlugField accepts) take that way; anything else, an empty
slug included, is reversed as before (and fails as before).

The site's header and footer link twelve pages that take no argument
(`page_url`, the `{% page_url %}` tag): each is reversed once per view name,
URL configuration, script prefix and language too.

The patterns are kept in process memory: they follow from the code (the URL
configuration), never from the data, so every server holds the same.
"""

import re

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
PLACEHOLDER = "0slug0"
_patterns = {}


def record_url(view_name, slug):
    """reverse(view_name, args=[slug])."""
    if not isinstance(slug, str) or not SLUG.match(slug):
        return reverse(view_name, args=[slug])
    return _reversed_once(view_name, PLACEHOLDER).replace(PLACEHOLDER, slug, 1)


def page_url(view_name):
    """reverse(view_name) for a page that takes no argument."""
    return _reversed_once(view_name)


def _reversed_once(view_name, *args):
    """reverse(view_name, args=args), kept per URL configuration, script prefix
    and language."""
    key = (view_name, args, get_urlconf(), get_script_prefix(), get_language())
    url = _patterns.get(key)
    if url is None:
        url = _patterns[key] = reverse(view_name, args=args)
    return url
