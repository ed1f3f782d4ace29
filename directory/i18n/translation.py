"""Content in English, Simplified and Traditional Chinese.

English is the source: every record has it. The Chinese versions live in
fields beside it (`name_zh_hans`, `name_zh_hant`). A reader of a Chinese page
gets the Chinese text when there is one, else the English text with a visible
"English only" marker, never another language silently.
"""

import hashlib
from dataclasses import dataclass

from django.utils.translation import get_language

SOURCE_LANGUAGE = "en"
TRANSLATED_LANGUAGES = ("zh-hans", "zh-hant")

# The translatable texts of each model, by model label.
TRANSLATED_FIELDS = {
    "directory.region": ("name",),
    "directory.sector": ("name", "description"),
    "directory.servicecategory": ("name", "description"),
    "directory.organisation": ("name", "short_name", "description"),
    "directory.sourcearticle": ("title", "given_title"),
    "programmes.programme": (
        "name",
        "short_name",
        "summary",
        "description",
        "how_to_get_involved",
    ),
    "programmes.service": ("name", "audience", "description"),
    "programmes.event": (
        "name",
        "edition",
        "summary",
        "description",
        "venue",
        "attendance_text",
    ),
}

# Chinese search aliases (comma-separated, like `alternative_names`); not
# translations of one English text, so not in TRANSLATED_FIELDS.
ALIAS_FIELDS = ("alternative_names_zh_hans", "alternative_names_zh_hant")


def field_for(field, language):
    return f"{field}_{language.replace('-', '_')}"


def translated_columns(field):
    """`field` and its columns in the other languages, for a query's `only()`."""
    return (field, *(field_for(field, language) for language in TRANSLATED_LANGUAGES))


def translated_fields(record):
    return TRANSLATED_FIELDS.get(record._meta.label_lower, ())


def content_language(language=None):
    """The language whose texts a page shows: zh-hans, zh-hant or en."""
    language = (language or get_language() or SOURCE_LANGUAGE).lower()
    for candidate in TRANSLATED_LANGUAGES:
        if language == candidate or language.startswith(candidate + "-"):
            return candidate
    # Bare "zh" and region codes map to the script their readers use.
    if language in ("zh-cn", "zh-sg", "zh"):
        return "zh-hans"
    if language in ("zh-tw", "zh-hk", "zh-mo"):
        return "zh-hant"
    return SOURCE_LANGUAGE


@dataclass(frozen=True)
class Text:
    value: str
    language: str
    is_fallback: bool
    # A Chinese text that is the official name (`zh_official`), not the
    # directory's own translation.
    is_official: bool = False

    def __str__(self):
        return self.value

    @property
    def is_directory_translation(self):
        """A Chinese text the directory translated itself: pages say so."""
        return (
            self.language != SOURCE_LANGUAGE
            and not self.is_fallback
            and not self.is_official
            and bool(self.value)
        )


def translate(record, field, language=None):
    """The record's `field` in the page's language, or English marked as a fallback."""
    english = getattr(record, field) or ""
    language = content_language(language)
    if language == SOURCE_LANGUAGE:
        return Text(english, SOURCE_LANGUAGE, False)
    value = getattr(record, field_for(field, language), "") or ""
    if value:
        return Text(value, language, False, field in official_fields(record))
    return Text(english, SOURCE_LANGUAGE, bool(english))


def official_fields(record):
    """The fields whose Chinese is an official name, as far as the record was
    loaded: a page that left `zh_official` out of its query does not fetch it
    row by row."""
    values = record.__dict__.get("zh_official") if hasattr(record, "__dict__") else None
    return values or ()


def source_fingerprint(record, fields=None):
    """A fingerprint of the English texts a translation was made from."""
    fields = fields or translated_fields(record)
    joined = "\x1f".join(getattr(record, field) or "" for field in fields)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def is_complete(record, language):
    return all(
        getattr(record, field_for(field, language))
        for field in translated_fields(record)
        if getattr(record, field)
    )


def is_outdated(record, language):
    """A translation saved before the English it translates last changed."""
    saved_from = (record.translation_sources or {}).get(language)
    return bool(saved_from) and saved_from != source_fingerprint(record)


def note_translation_edits(record, previous=None):
    """Remember which English a translation was made from.

    Called by the admin when a record is saved: for each language whose texts
    changed (or were first written), store the fingerprint of the English at
    that moment. `previous` is the record as it was before the edit.
    """
    fingerprint = source_fingerprint(record)
    sources = dict(record.translation_sources or {})
    for language in TRANSLATED_LANGUAGES:
        names = [field_for(field, language) for field in translated_fields(record)]
        now = [getattr(record, name) for name in names]
        before = [getattr(previous, name) for name in names] if previous else [""] * len(names)
        if any(now) and (now != before or language not in sources):
            sources[language] = fingerprint
        elif not any(now):
            sources.pop(language, None)
    record.translation_sources = sources
    return sources
