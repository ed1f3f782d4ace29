"""What HSDS has no field for, as attributes (each with a term of the
directory's own taxonomy), and a record's changes as metadata."""

import json

from directory.i18n.translation import TRANSLATED_LANGUAGES, field_for
from programmes.hsds.ids import derived_id

TAXONOMY = "crossborder-directory"
LANGUAGE_NAMES = {"zh-hans": "Simplified Chinese", "zh-hant": "Traditional Chinese"}


def term(code, name, description):
    return {
        "id": derived_id("term:" + code),
        "code": code,
        "name": name,
        "description": description,
        "taxonomy": TAXONOMY,
    }


def attribute(link_entity, link_id, code, value, description, n=0):
    taxonomy_term = term(code, code.replace("_", " "), description)
    return {
        "id": derived_id(f"{link_id}:{code}:{n}"),
        "link_id": link_id,
        "link_type": code.split(":")[0],
        "link_entity": link_entity,
        "taxonomy_term_id": taxonomy_term["id"],
        "value": value,
        "taxonomy_term": taxonomy_term,
    }


def translations(entity, link_id, record, fields):
    found = []
    for field in fields:
        for language in TRANSLATED_LANGUAGES:
            value = getattr(record, field_for(field, language), "")
            if value:
                code = f"translation:{field}:{language}"
                description = f"The record's {field} in {LANGUAGE_NAMES[language]}."
                found.append(attribute(entity, link_id, code, value, description))
    return found


def citation_attributes(entity, link_id, citations):
    return [
        attribute(
            entity,
            link_id,
            "citation",
            json.dumps(citation, ensure_ascii=False),
            "A verbatim quote from a published article that supports the record "
            "(JSON: quote, supports, source).",
            n,
        )
        for n, citation in enumerate(citations)
    ]


def plain(entity, link_id, code, values, description):
    return [
        attribute(entity, link_id, code, str(value), description, n)
        for n, value in enumerate(values)
        if value not in (None, "")
    ]


def metadata(kind, record_id, record):
    """The record's last change and, when known, its last verification."""
    actions = [("updated", "update", record.updated_at.date())]
    if record.last_verified_on:
        actions.append(("verified", "verified", record.last_verified_on))
    return [
        {
            "id": derived_id(f"{record_id}:{key}"),
            "resource_id": record_id,
            "resource_type": kind,
            "last_action_date": day.isoformat(),
            "last_action_type": action,
            "field_name": "",
            "previous_value": "",
            "replacement_value": "",
            "updated_by": "directory staff",
        }
        for key, action, day in actions
    ]
