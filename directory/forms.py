"""Turning whatever arrives in a query string into values the database accepts.

Every list page first passes `request.GET` through `sanitise`: it keeps only the
parameters the page knows, strips NUL bytes (which PostgreSQL's driver rejects),
clamps integers (beyond 64 bits SQLite overflows), parses dates, and says in
plain words what it ignored, so bad input gives a normal page and a message,
never a server error.
"""

import datetime
import re

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from directory.search import MAX_QUERY_LENGTH

SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")
MAX_VALUES = 20
MAX_PAGE = 100_000


class SlugListField(forms.Field):
    """Several values of one parameter (`?region=a&region=b`), already sanitised."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return list(value or [])


def shown(value):
    """A user-supplied value as quoted back in a message (the template escapes it)."""
    value = value.replace("\x00", "")
    return value if len(value) <= 40 else value[:40] + "…"


def _page(value):
    if value.isdigit() and len(value) < 10:
        return max(1, min(int(value), MAX_PAGE))
    if value == "last":
        return "last"
    return None


def _date(value):
    try:
        parsed = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    if not 1900 <= parsed.year <= 2100 or len(value) != 10:
        return None
    return parsed.isoformat()


def _year(value):
    if value.isdigit() and len(value) == 4 and 1900 <= int(value) <= 2100:
        return value
    return None


def sanitise(data, spec, always_known=("page", "sort", "more")):
    """Return (clean QueryDict, list of messages about what was ignored).

    `spec` maps a parameter name to one of "text", "slug", "slugs", "date",
    "year", "years", "page", or a tuple of allowed choices (single value) or a
    list of allowed choices (several values).
    """
    clean = QueryDict(mutable=True)
    ignored = []
    for name in data:
        if name not in spec and name not in always_known:
            ignored.append(_("the unknown parameter “%(name)s”") % {"name": shown(name)})
    for name, kind in spec.items():
        raw_values = [v.replace("\x00", "").strip() for v in data.getlist(name)]
        raw_values = [v for v in raw_values if v]
        if not raw_values:
            continue
        if kind in ("slugs", "years") or isinstance(kind, list):
            many = raw_values[:MAX_VALUES]
            if len(raw_values) > MAX_VALUES:
                ignored.append(
                    _("more than %(n)s values of “%(name)s”") % {"n": MAX_VALUES, "name": name}
                )
        else:
            many = raw_values[-1:]
        kept = []
        for value in many:
            good = _clean_one(kind, value)
            if good is None:
                ignored.append(
                    _("“%(value)s” for “%(name)s”") % {"value": shown(value), "name": name}
                )
            elif good not in kept:
                kept.append(good)
        if kept:
            clean.setlist(name, [str(v) for v in kept])
    return clean, ignored


def _clean_one(kind, value):
    if kind == "text":
        return value[: MAX_QUERY_LENGTH * 20]
    if kind in ("slug", "slugs"):
        return value if SLUG.match(value) else None
    if kind == "date":
        return _date(value)
    if kind in ("year", "years"):
        return _year(value)
    if kind == "page":
        return _page(value)
    if isinstance(kind, tuple | list):
        return value if value in kind else None
    raise ValueError(kind)
