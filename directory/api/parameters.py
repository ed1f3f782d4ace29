"""The query string of an API request, read strictly.

Every list takes the same parameters as its HTML page, read by the same
FilterSet (its `parameters`, checked by `directory.forms.sanitise`), but
strictly: a parameter the API does not know, or a value it cannot use, is a
400 naming the parameter, where the HTML page ignores it and says so.
"""

from django.http import QueryDict

from directory.api.errors import ApiError
from directory.forms import MAX_PAGE, SLUG, sanitise
from directory.i18n.languages import preferred_language
from directory.i18n.translation import SOURCE_LANGUAGE

LANGUAGES = ("en", "zh-hans", "zh-hant")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
COMMON = {"lang": tuple(LANGUAGES)}
PAGED = {"page": "page", "page_size": "page_size"}


def whole_number(name, value, most):
    """`value` as a number from 1 to `most`, or a 400 naming the parameter."""
    if not (value.isdigit() and len(value) < 10 and 1 <= int(value) <= most):
        raise ApiError(400, f"“{name}” must be a whole number from 1 to {most}.", name)
    return int(value)


def page_count(count, size, number):
    """How many pages `count` records make (at least one); a 404 when page
    `number` is beyond them."""
    pages = max(1, -(-count // size))
    if number > pages:
        raise ApiError(404, f"There is no page {number}; the last is {pages}.", "page")
    return pages


def refuse_unknown(request, known):
    """A 400 naming the first parameter of the query string not in `known`."""
    for name in request.GET:
        if name not in known:
            raise ApiError(400, f"Unknown parameter “{name[:40]}”.", name[:40])


def read_parameters(request, spec):
    """The query string checked against `spec` (as `sanitise` reads it):
    a QueryDict of clean values, or an ApiError naming the first bad one."""
    spec = {**COMMON, **spec}
    refuse_unknown(request, spec)
    clean = QueryDict(mutable=True)
    for name, kind in spec.items():
        values = request.GET.getlist(name)
        if not values:
            continue
        if kind in ("page", "page_size"):
            most = MAX_PAGE if kind == "page" else MAX_PAGE_SIZE
            clean[name] = str(whole_number(name, values[-1], most))
            continue
        raw = QueryDict(mutable=True)
        raw.setlist(name, values)
        one, ignored = sanitise(raw, {name: kind}, ())
        if ignored or name not in one:
            shown = values[-1].replace("\x00", "")[:40]
            raise ApiError(400, f"“{shown}” is not a valid value for “{name}”.", name)
        clean.setlist(name, one.getlist(name))
    return clean


def api_language(request, clean):
    """`?lang=`, else the first language of Accept-Language the site has, else English."""
    return clean.get("lang") or (
        preferred_language(request.headers.get("Accept-Language")) or SOURCE_LANGUAGE
    )


def check_slug(slug):
    if not SLUG.match(slug or ""):
        raise ApiError(404, "No such record.")
    return slug
