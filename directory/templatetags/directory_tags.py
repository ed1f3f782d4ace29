import functools

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, pgettext_lazy

from directory import record_urls

register = template.Library()


@register.simple_tag
def page_url(view_name):
    """`{% url view_name %}` for a page that takes no argument, reversed once
    per language (directory/record_urls.py): the header and footer link
    twelve of them on every page."""
    return record_urls.page_url(view_name)


@register.simple_tag
def record_url(view_name, slug):
    """`{% url view_name slug %}` for a record's page, its URL pattern
    reversed once per language (directory/record_urls.py): a record page
    links each of its related records, some thirty on an organisation's."""
    return record_urls.record_url(view_name, slug)


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
    return formatted_date(value, precision, get_language())


@functools.lru_cache(maxsize=4096)
def formatted_date(value, precision, language):
    """`date_format` once per date, precision and language (the active one,
    which it reads): 38 µs a call, twenty calls on a page of events, and the
    text never changes while the formats and catalogues stay as loaded."""
    return date_format(value, PRECISION_FORMATS.get(precision, "DATE_FORMAT"))


@receiver(setting_changed)
def forget_formatted_dates(**kwargs):
    # As Django forgets its own format cache when a test changes a setting.
    formatted_date.cache_clear()
    event_when_text.cache_clear()


@register.simple_tag
def event_when(event):
    """When an event takes place, as precisely as it is known: "12 – 14 May
    2025", "Took place in April 2025", or that no source gives a date. A tag,
    not an included template: a list of events says it on every row, and an
    include cost as much as the rest of the row."""
    return event_when_text(
        event.timing,
        event.start_date,
        event.start_precision,
        event.end_date,
        event.end_precision,
        get_language(),
    )


@functools.lru_cache(maxsize=4096)
def event_when_text(timing, start_date, start_precision, end_date, end_precision, language):
    """`event_when` once per set of dates and language (the active one): the
    same dates say the same thing on every page."""
    if timing == "undated":
        undated = gettext("Date not stated in the source")
        return format_html('<span class="undated">{}</span>', undated)
    start = fuzzy_date(start_date, start_precision)
    end = fuzzy_date(end_date, end_precision)
    if start_date and end_date and end_date != start_date:
        span = gettext("%(start)s – %(end)s") % {
            "start": conditional_escape(start),
            "end": conditional_escape(end),
        }
    else:
        span = conditional_escape(start or end)
    if timing != "past":
        return mark_safe(span)
    if start_precision == "day":
        return mark_safe(gettext("Took place on %(span)s") % {"span": span})
    return mark_safe(gettext("Took place in %(span)s") % {"span": span})
