from django import template
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy

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


@register.simple_tag
def event_when(event):
    """When an event takes place, as precisely as it is known: "12 – 14 May
    2025", "Took place in April 2025", or that no source gives a date. A tag,
    not an included template: a list of events says it on every row, and an
    include cost as much as the rest of the row."""
    if event.timing == "undated":
        undated = gettext("Date not stated in the source")
        return format_html('<span class="undated">{}</span>', undated)
    start = fuzzy_date(event.start_date, event.start_precision)
    end = fuzzy_date(event.end_date, event.end_precision)
    if event.start_date and event.end_date and event.end_date != event.start_date:
        span = gettext("%(start)s – %(end)s") % {
            "start": conditional_escape(start),
            "end": conditional_escape(end),
        }
    else:
        span = conditional_escape(start or end)
    if event.timing != "past":
        return mark_safe(span)
    if event.start_precision == "day":
        return mark_safe(gettext("Took place on %(span)s") % {"span": span})
    return mark_safe(gettext("Took place in %(span)s") % {"span": span})
