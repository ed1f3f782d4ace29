"""HSDS identifiers are UUIDs: the directory's are numbers, so each is
written into a UUID with its kind in the first group (`hsds_id`), which
reads back without a lookup table (`pk_from`)."""

import uuid

KIND_NUMBER = {
    "organization": 1,
    "program": 2,
    "service": 3,
    "service_at_location": 4,
    "location": 5,
    # An organisation's one public number (its id is the organisation's).
    "phone": 6,
}
# For the ids of what the directory does not store (attributes, terms,
# metadata): derived from what they describe, so the same on every export.
NAMESPACE = uuid.UUID("6f1d3c9e-2b7a-4e0c-9a51-6c2d8f4e7b10")


def hsds_id(kind, pk):
    return str(uuid.UUID(f"{KIND_NUMBER[kind]:08x}-0000-8000-8000-{pk:012x}"))


def pk_from(kind, value):
    """The directory's id inside an HSDS id of `kind`, or None."""
    try:
        parsed = uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None
    text = str(parsed)
    if not text.startswith(f"{KIND_NUMBER[kind]:08x}-0000-8000-8000-"):
        return None
    return int(text[-12:], 16)


def derived_id(text):
    return str(uuid.uuid5(NAMESPACE, text))
