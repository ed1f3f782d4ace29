"""Small factory functions for tests: each makes one published record with
sensible defaults; pass keyword arguments to override any field."""

import itertools

from django.contrib.contenttypes.models import ContentType

from directory.models import (
    Citation,
    Organisation,
    Region,
    Sector,
    ServiceCategory,
    SourceArticle,
)
from directory.search import refresh_search_index
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service

_numbers = itertools.count(1)


def _slug(prefix):
    return f"{prefix}-{next(_numbers)}"


def region(name="Guangdong", *, parent=None, **fields):
    fields.setdefault("slug", _slug(name.lower().replace(" ", "-").replace("'", "")))
    fields.setdefault("kind", Region.Kind.PROVINCE if parent is None else Region.Kind.CITY)
    return Region.objects.create(name=name, parent=parent, **fields)


def sector(name="Artificial intelligence", **fields):
    fields.setdefault("slug", _slug("sector"))
    return Sector.objects.create(name=name, **fields)


def category(name="Intellectual property", **fields):
    fields.setdefault("slug", _slug("help"))
    return ServiceCategory.objects.create(name=name, **fields)


def organisation(name="Hong Kong Productivity Council", **fields):
    fields.setdefault("slug", _slug("org"))
    fields.setdefault("kind", Organisation.Kind.STATUTORY_BODY)
    fields.setdefault("status", "published")
    sectors = fields.pop("sectors", [])
    record = Organisation.objects.create(name=name, **fields)
    record.sectors.set(sectors)
    return record


def programme(name="Going Global Service Centre", *, organisations=(), **fields):
    """`organisations`: organisations, or (organisation, role) pairs."""
    fields.setdefault("slug", _slug("prog"))
    fields.setdefault("kind", Programme.Kind.SERVICE_CENTRE)
    fields.setdefault("status", "published")
    regions = fields.pop("regions", [])
    sectors = fields.pop("sectors", [])
    record = Programme.objects.create(name=name, **fields)
    record.regions.set(regions)
    record.sectors.set(sectors)
    for item in organisations:
        org, role = item if isinstance(item, tuple) else (item, "lead")
        ProgrammeOrganisation.objects.create(programme=record, organisation=org, role=role)
    return record


def service(name="Patent filing advice", *, provider=None, category_=None, **fields):
    fields.setdefault("slug", _slug("svc"))
    fields.setdefault("status", "published")
    return Service.objects.create(
        name=name,
        provider=provider or organisation(),
        category=category_ or category(),
        **fields,
    )


def event(name="InnoEX", *, organisations=(), **fields):
    fields.setdefault("slug", _slug("event"))
    fields.setdefault("kind", Event.Kind.EXPO)
    fields.setdefault("status", "published")
    regions = fields.pop("regions", [])
    sectors = fields.pop("sectors", [])
    programmes = fields.pop("programmes", [])
    record = Event.objects.create(name=name, **fields)
    record.regions.set(regions)
    record.sectors.set(sectors)
    record.programmes.set(programmes)
    for item in organisations:
        org, role = item if isinstance(item, tuple) else (item, "organiser")
        EventOrganisation.objects.create(event=record, organisation=org, role=role)
    return record


def article(text="The Hong Kong Productivity Council launched the centre.", **fields):
    fields.setdefault("slug", _slug("article"))
    fields.setdefault("title", "HK helps mainland firms go global")
    fields.setdefault("publisher", "Yicai")
    return SourceArticle.objects.create(raw_text=text, cleaned_text=text, **fields)


def cite(record, source, quote, **fields):
    return Citation.objects.create(
        article=source,
        quote=quote,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        **fields,
    )


def index(*records):
    """Refresh the search text of the given records (what writers must do)."""
    refresh_search_index(records)
    return records
