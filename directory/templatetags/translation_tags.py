"""Records' texts in the page's language.

`{% translated record "name" %}` for names inside a sentence or a link;
`{% translated_block record "summary" %}` for texts that stand alone (a
heading, a summary, a description), where an English fallback also carries a
visible "English only" marker, so a Chinese reader always knows why the text is
in English. Records may be model instances, vocabulary terms or the dicts of
related-name rows (`name`, `name_zh_hans`, `name_zh_hant`).
"""

import functools
from types import SimpleNamespace

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from directory.i18n.translation import SOURCE_LANGUAGE, Text, content_language, translate

register = template.Library()


def text_of(record, field):
    if record is None:
        return Text("", SOURCE_LANGUAGE, False)
    if isinstance(record, dict):
        record = SimpleNamespace(**{field: "", **record})
    return translate(record, field)


def _inline(text, body=None):
    body = conditional_escape(text.value) if body is None else body
    if text.is_fallback:
        return format_html('<span lang="en">{}</span>', body)
    return body


def english_only_marker():
    return format_html('<span class="english-only">{}</span>', _("English only"))


@register.simple_tag
def translated(record, field="name"):
    """The text, with an English fallback tagged `lang="en"` for screen readers."""
    return _inline(text_of(record, field))


@register.simple_tag
def translated_block(record, field, paragraphs=False, truncate=0):
    """A standalone text; an English fallback is tagged and marked "English only".

    With `paragraphs`, line breaks become paragraphs (as `linebreaks` does) and
    the fallback is wrapped in a `div` rather than a `span`.
    """
    text = text_of(record, field)
    if not text.value:
        return ""
    if truncate:
        text = Text(Truncator(text.value).chars(truncate), text.language, text.is_fallback)
    if paragraphs:
        body = linebreaks_filter(text.value, autoescape=True)
        if text.is_fallback:
            return format_html('{}<div lang="en">{}</div>', english_only_marker(), mark_safe(body))
        return body
    if text.is_fallback:
        return format_html("{} {}", _inline(text), english_only_marker())
    return conditional_escape(text.value)


def directory_translation_note(tag="span"):
    return format_html(
        '<{} class="translated-note">{}</{}>', tag, _("translated by the directory"), tag
    )


@register.simple_tag
def translation_note(record, field, block=False):
    """On a Chinese page, "translated by the directory" when `field` shows the
    directory's own translation (not an official name, not an English fallback,
    which carries its "English only" marker instead)."""
    if text_of(record, field).is_directory_translation:
        return format_html(" {}", directory_translation_note("p" if block else "span"))
    return ""


@register.simple_tag
def translated_text(record, field, paragraphs=False):
    """A standalone text with its marker: "English only" for an English
    fallback, "translated by the directory" for the directory's translation."""
    body = translated_block(record, field, paragraphs=paragraphs)
    if not body:
        return ""
    return format_html("{}{}", body, translation_note(record, field, block=paragraphs))


@register.simple_tag
def article_title(article, note=True):
    """An article's headline, else the title the directory gave it, marked
    "(title given by the directory)"; with `note`, a Chinese title the
    directory translated says so."""
    if article is None:
        return ""
    if article.title:
        body = _inline(text_of(article, "title"))
        field = "title"
    elif article.given_title:
        body = format_html(
            '{} <span class="given-title">{}</span>',
            _inline(text_of(article, "given_title")),
            _("(title given by the directory)"),
        )
        field = "given_title"
    else:
        return conditional_escape(article.slug)
    if note:
        return format_html("{}{}", body, translation_note(article, field))
    return body


@register.simple_tag
def article_title_note(article):
    """The "translated by the directory" note for `article_title(note=False)`."""
    if article is None:
        return ""
    return translation_note(article, "title" if article.title else "given_title")


@register.simple_tag
def provided_through(programme, organisations):
    """ "Provided through <programme>, run by <bodies>": a service the article
    credits to the bodies running its programme rather than to one provider."""
    link = format_html('<a href="{}">{}</a>', programme.get_absolute_url(), translated(programme))
    names = format_html_join(
        _(", "),
        '<a href="{}">{}</a>',
        (
            (reverse("directory:organisation_detail", args=[row["slug"]]), translated(row))
            for row in organisations
        ),
    )
    if not organisations:
        return format_html(_("Provided through {programme}"), programme=link)
    return format_html(
        _("Provided through {programme}, run by {organisations}"),
        programme=link,
        organisations=names,
    )


@register.filter
def article_title_value(article):
    """The plain title, for the page's <title>."""
    if article.title:
        return text_of(article, "title").value
    return text_of(article, "given_title").value or article.slug


@register.simple_tag
def short_names(record):
    """The short name in the page's language, with the English acronym beside
    a Chinese one ("生產力局 / HKPC"): people know bodies by both."""
    text = text_of(record, "short_name")
    if text.value != record.short_name:
        return format_html("{} / {}", text.value, record.short_name)
    return conditional_escape(record.short_name)


@register.filter
def translated_value(record, field="name"):
    """The plain text, for attributes, titles and URLs."""
    return text_of(record, field).value


@register.simple_tag
def english_text(value, paragraphs=False):
    """A text kept in English only (no Chinese field exists for it), marked on
    Chinese pages."""
    if not value:
        return ""
    body = linebreaks_filter(value, autoescape=True) if paragraphs else conditional_escape(value)
    if content_language() == SOURCE_LANGUAGE:
        return body
    if paragraphs:
        return format_html('{}<div lang="en">{}</div>', english_only_marker(), body)
    return format_html('<span lang="en">{}</span> {}', body, english_only_marker())


@register.simple_tag
def label_text(label):
    """A facet or chip label: a `Text` (tagged when it fell back) or a plain string."""
    if isinstance(label, Text):
        return _inline(label)
    return conditional_escape(label)


@register.simple_tag
def facet_options(facet):
    """A facet's options as list items, each a box (or a radio button) with
    its label and count. A tag rather than a loop in includes/facet.html: a
    list shows some fifty options, and the loop cost 26 µs each."""
    kind = "checkbox" if facet.multiple else "radio"
    return format_html_join(
        "",
        '\n    <li><label><input type="{}" name="{}" value="{}"{}> {} '
        '<span class="count">({})</span></label></li>',
        (
            (
                kind,
                facet.name,
                option.value,
                CHECKED if option.selected else "",
                label_text(option.label),
                grouped(option.count, get_language()),
            )
            for option in facet.options
        ),
    )


CHECKED = mark_safe(" checked")


@functools.lru_cache(maxsize=4096)
def grouped(number, language):
    """`intcomma` (4 µs) once per number and language (the active one, which
    it reads for the separator)."""
    return intcomma(number)


@receiver(setting_changed)
def forget_grouped_numbers(**kwargs):
    # As Django forgets its own format cache when a test changes a setting.
    grouped.cache_clear()


@register.simple_tag(takes_context=True)
def choice_label(context, record, field):
    """`record.get_<field>_display()` for list rows: Django's translates every
    choice of the field on each call (340 of the programme list's 393 gettext
    calls); this looks the label up in a dict built once per page."""
    model = type(record)
    key = ("choice labels", model._meta.label, field, get_language())
    labels = context.render_context.get(key)
    if labels is None:
        flat = model._meta.get_field(field).flatchoices
        labels = context.render_context[key] = {value: str(label) for value, label in flat}
    value = getattr(record, field)
    return labels.get(value, value)
