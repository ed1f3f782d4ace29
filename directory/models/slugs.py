"""Slugs a record may not take.

A record's page is its list's URL plus its slug (/programmes/<slug>/), and a
list has pages of its own beside its records (/programmes/feed/). A record
whose slug were one of those would have a page no one can reach, or hide the
list's: those names are refused (tests/directory/test_slugs.py checks this
set against every such path in the URL configuration).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

RESERVED_SLUGS = frozenset({"feed"})


def not_reserved(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _(
                "“%(slug)s” is the address of one of the list's own pages (its feed); "
                "choose another slug."
            ),
            code="reserved",
            params={"slug": value},
        )
