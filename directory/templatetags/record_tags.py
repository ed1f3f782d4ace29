"""The parts of a record page: numbered references and statuses with their date."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from directory import references
from directory.templatetags.translation_tags import text_of

register = template.Library()


@register.simple_tag
def refs(citations, *facts, shown=None):
    """ "[1][3]": links to the numbered sources backing any of `facts`
    (key facts, or "other"; `shown`, the page's facts as words, see
    `references.supporting`)."""
    found = references.supporting(
        citations or [], *facts, shown=shown.split() if shown is not None else None
    )
    if not found:
        return ""
    links = format_html_join(
        "",
        '<a href="#ref-{}" class="ref" aria-describedby="sources-heading">[{}]</a>',
        ((c.number, c.number) for c in found),
    )
    return format_html('<sup class="refs">{}</sup>', links)


@register.simple_tag
def shown_facts(**rows):
    """The key facts a page shows, as `refs … shown=` takes them: each
    keyword is a fact, its value whether the page shows that fact."""
    return " ".join(fact for fact, shown in rows.items() if shown)


@register.simple_tag
def reference_date(article):
    return references.reference_date(article) or ""


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


def _bare(name):
    words = name.casefold().split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


@register.simple_tag
def aside_short_names(record):
    """ " (生產力局 / HKPC)" after a record's name: its short name in the
    page's language and in English, leaving out any the name shown already
    holds, so no name is said twice ("The Cradle – Going Global Service
    Centre", not "… (The Cradle)"); "" when none is left."""
    if record is None or not record.short_name:
        return ""
    shown = [_bare(text_of(record, "name").value)]
    kept = []
    for short in (text_of(record, "short_name").value, record.short_name):
        bare = _bare(short)
        if bare and not any(bare in name for name in shown):
            kept.append(short)
            shown.append(bare)
    if not kept:
        return ""
    return format_html(" ({})", " / ".join(kept))
