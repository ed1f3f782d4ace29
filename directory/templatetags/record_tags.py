"""The parts of a record page: numbered references and statuses with their date."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from directory import references

register = template.Library()


@register.simple_tag
def refs(citations, *topics):
    """ "[1][3]": links to the numbered sources backing any of `topics`."""
    found = references.supporting(citations or [], *topics)
    if not found:
        return ""
    links = format_html_join(
        "",
        '<a href="#ref-{}" class="ref" aria-describedby="sources-heading">[{}]</a>',
        ((c.number, c.number) for c in found),
    )
    return format_html('<sup class="refs">{}</sup>', links)


@register.simple_tag
def status_as_of(record, label, citations):
    """ "Active as reported on 2 December 2020": a lifecycle status and the
    date it holds as of (see `references.as_of`)."""
    how, when = references.as_of(record, citations or [])
    if how == "verified":
        text = _("%(status)s as verified on %(date)s")
    elif how == "reported":
        text = _("%(status)s as reported on %(date)s")
    else:
        text = _("%(status)s (the source gives no date)")
    return format_html(
        '<span class="as-of">{}</span>', text % {"status": label, "date": when or ""}
    )
