"""Small factory functions for tests: each makes one published record with
sensible defaults; pass keyword arguments to override any field."""

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType

from directory import facets
from directory.models import Citation, Organisation, Region, Sector, ServiceCategory, SourceArticle
from directory.search import refresh_search_index
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service

_numbers = itertools.count(1)


def _slug(prefix):
    return f"{prefix}-{next(_numbers)}"


def _created(model, relations=(), **fields):
    """A `model` record made from `fields`; the many-to-many `relations` among
    them are set once it exists."""
    related = {relation: fields.pop(relation, []) for relation in relations}
    record = model.objects.create(**fields)
    for relation, values in related.items():
        getattr(record, relation).set(values)
    return record


def _add_roles(roles_model, record, organisations, default_role):
    """Organisations (or (organisation, role) pairs) with a role in `record`."""
    field = type(record)._meta.model_name
    for item in organisations:
        org, role = item if isinstance(item, tuple) else (item, default_role)
        roles_model.objects.create(**{field: record}, organisation=org, role=role)


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
    return _created(Organisation, ["sectors"], name=name, **fields)


def programme(name="Going Global Service Centre", *, organisations=(), **fields):
    """`organisations`: organisations, or (organisation, role) pairs."""
    fields.setdefault("slug", _slug("prog"))
    fields.setdefault("kind", Programme.Kind.SERVICE_CENTRE)
    fields.setdefault("status", "published")
    record = _created(Programme, ["regions", "sectors"], name=name, **fields)
    _add_roles(ProgrammeOrganisation, record, organisations, "lead")
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
    record = _created(Event, ["regions", "sectors", "programmes"], name=name, **fields)
    _add_roles(EventOrganisation, record, organisations, "organiser")
    return record


def article(text="The Hong Kong Productivity Council launched the centre.", **fields):
    fields.setdefault("slug", _slug("article"))
    fields.setdefault("title", "HK helps mainland firms go global")
    fields.setdefault("publisher", "Yicai")
    fields.setdefault("status", "published")
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


def catalogue(size=30):
    """A directory with `size` records of each kind, each with several
    relations, enough to expose a query per row (N+1) on any page.

    Its facet entries are brought up to date once at the end, as an admin
    save or an import does (`facets.deferred`), not after every write."""
    with facets.deferred():
        return _catalogue(size)


def _catalogue(size):
    province = region("Sichuan")
    cities = [region(f"City {i}", parent=province) for i in range(3)]
    sectors = [sector(f"Sector {i}") for i in range(3)]
    categories = [category(f"Help {i}") for i in range(3)]
    source = article("Quote one. Quote two. Quote three.")
    orgs = [
        organisation(
            f"Organisation {i}", short_name=f"O{i}", region=cities[i % 3], sectors=sectors[:2]
        )
        for i in range(size)
    ]
    for child in orgs[1:4]:
        child.parent = orgs[0]
        child.save()
    programmes = []
    for i in range(size):
        record = programme(
            f"Programme {i}",
            organisations=[orgs[i], (orgs[(i + 1) % size], "partner")],
            regions=[cities[i % 3], province],
            sectors=sectors,
            summary=f"Summary {i}",
        )
        cite(record, source, "Quote one.")
        programmes.append(record)
    services = [
        service(
            f"Service {i}",
            provider=orgs[i],
            category_=categories[i % 3],
            programme=programmes[i],
        )
        for i in range(size)
    ]
    series = programme("Expo series", kind="event_series", organisations=[orgs[0]])
    events = [
        event(
            f"Event {i}",
            organisations=[orgs[i], (orgs[(i + 1) % size], "co_organiser")],
            programmes=[programmes[i]],
            regions=[province],
            sectors=sectors[:1],
            city=cities[i % 3],
            series=series,
            start_date=datetime.date(2024 + i % 4, 1 + i % 12, 10),
        )
        for i in range(size)
    ]
    for session in events[1:4]:
        session.part_of = events[0]
        session.save()
    for record in (orgs[0], services[0], events[0]):
        cite(record, source, "Quote two.")
    refresh_search_index([*orgs, *programmes, *services, *events, series])
    return {
        "province": province,
        "cities": cities,
        "sectors": sectors,
        "categories": categories,
        "organisations": orgs,
        "programmes": programmes,
        "services": services,
        "events": events,
        "series": series,
        "article": source,
    }
