from django import template
from django.utils.formats import date_format
from django.utils.translation import pgettext_lazy

from directory import record_urls

register = template.Library()


@register.simple_tag
def page_url(view_name):
    """`{% url view_name %}` for a page that takes no argument, reversed once
    per language (directory/record_urls.py): the header and footer link
    twelve of them on every page."""
    return record_urls.page_url(view_name)


# Django's localised formats, so a later translation pass renders
# "2025年4月" without touching templates.
# Django has no setting for a year alone, so its format is translated: "2020年".
PRECISION_FORMATS = {
    "day": "DATE_FORMAT",
    "month": "YEAR_MONTH_FORMAT",
    "year": pgettext_lazy("date format of a year alone", "Y"),
}


@register.filter
def fuzzy_date(value, precision="day"):
    """A date shown only as precisely as it is known: "2020", "April 2025",
    "12 November 2020"."""
    if not value:
        return ""
    return date_format(value, PRECISION_FORMATS.get(precision, "DATE_FORMAT"))
