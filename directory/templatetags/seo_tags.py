"""A page's description, Open Graph image and schema.org JSON-LD, from the
record it shows (the `record` in its context) and what its view loaded:
no query of their own."""

import json

from django import template
from django.templatetags.static import static
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from directory import kinds
from directory.i18n.translation import translate
from directory.record_urls import page_url, record_url

register = template.Library()

GOVERNMENT_KINDS = {"hk_government", "mainland_government", "hksar_mainland_office"}
ORGANISER_ROLES = {"organiser", "co_organiser", "host", "co_host"}


def text(record, field):
    return str(translate(record, field)) if hasattr(record, field) else ""


@register.simple_tag
def meta_description(record):
    """The record's summary (or description, or audience), in the page's
    language, cut to about 160 characters."""
    for field in ("summary", "description", "audience"):
        value = text(record, field) if record is not None else ""
        if value:
            return Truncator(" ".join(value.split())).chars(160)
    return ""


@register.simple_tag(takes_context=True)
def absolute_static(context, path):
    # Pages rendered without a request (error pages, emails) get a relative URL.
    request = context.get("request")
    return request.build_absolute_uri(static(path)) if request else static(path)


def partial_date(value, precision):
    if value is None:
        return None
    return {"year": value.strftime("%Y"), "month": value.strftime("%Y-%m")}.get(
        precision, value.isoformat()
    )


def organisation_ld(request, organisation):
    data = {
        "@type": "GovernmentOrganization"
        if organisation.kind in GOVERNMENT_KINDS
        else "Organization",
        "name": text(organisation, "name"),
        "url": request.build_absolute_uri(organisation.get_absolute_url()),
    }
    if organisation.short_name:
        data["alternateName"] = organisation.short_name
    if organisation.description:
        data["description"] = text(organisation, "description")
    if organisation.website:
        data["sameAs"] = organisation.website
    if organisation.region_id:
        data["areaServed"] = text(organisation.region, "name")
    return data


def labelled_organisations(request, rows):
    return [
        {
            "@type": "Organization",
            "name": translated_row(row),
            "url": request.build_absolute_uri(
                record_url("directory:organisation_detail", row["slug"])
            ),
        }
        for row in rows
    ]


def translated_row(row):
    class Row:
        pass

    holder = Row()
    for key in ("name", "name_zh_hans", "name_zh_hant"):
        setattr(holder, key, row.get(key, ""))
    return str(translate(holder, "name"))


def programme_ld(request, programme, context):
    data = {
        "@type": "Service",
        "name": text(programme, "name"),
        "url": request.build_absolute_uri(programme.get_absolute_url()),
        "description": meta_description(programme),
        "serviceType": str(programme.get_kind_display()),
    }
    rows = [row for group in context.get("organisations_by_role", {}).values() for row in group]
    if rows:
        data["provider"] = labelled_organisations(request, rows)
    return data


def service_ld(request, service, context):
    provider = service.provider if service.provider and service.provider.is_published else None
    data = {
        "@type": "GovernmentService"
        if provider is not None and provider.kind in GOVERNMENT_KINDS
        else "Service",
        "name": text(service, "name"),
        "url": request.build_absolute_uri(service.get_absolute_url()),
        "serviceType": text(service.category, "name"),
    }
    if service.description:
        data["description"] = meta_description(service)
    if service.audience:
        data["audience"] = {"@type": "Audience", "audienceType": text(service, "audience")}
    if provider is not None:
        data["provider"] = organisation_ld(request, provider)
    return data


def event_ld(request, event, context):
    data = {
        "@type": "Event",
        "name": text(event, "name"),
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
    }
    start = partial_date(event.start_date, event.start_precision)
    if start:
        data["startDate"] = start
    end = partial_date(event.end_date, event.end_precision)
    if end:
        data["endDate"] = end
    if event.summary:
        data["description"] = meta_description(event)
    place = {"@type": "Place"}
    if event.venue:
        place["name"] = text(event, "venue")
    if event.city_id:
        place["address"] = {"@type": "PostalAddress", "addressLocality": text(event.city, "name")}
        place.setdefault("name", text(event.city, "name"))
    if len(place) > 1:
        data["location"] = place
    roles = context.get("organisers_by_role", {})
    organisers = [
        row for role, rows in roles.items() if str(role) in ORGANISER_ROLES for row in rows
    ]
    if not organisers:
        organisers = [row for rows in roles.values() for row in rows]
    if organisers:
        data["organizer"] = labelled_organisations(request, organisers)
    return data


def breadcrumbs(request, record):
    trail = [("Home", page_url("directory:home"))]
    try:
        kind = kinds.for_model(type(record))
        trail.append((str(kind.label), page_url(kind.list_url)))
    except KeyError:
        pass
    trail.append((text(record, "name") or str(record), record.get_absolute_url()))
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": n,
                "name": name,
                "item": request.build_absolute_uri(url),
            }
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


BUILDERS = {
    "organisation": lambda request, record, context: organisation_ld(request, record),
    "programme": programme_ld,
    "service": service_ld,
    "event": event_ld,
}


@register.simple_tag(takes_context=True)
def structured_data(context):
    """`<script type="application/ld+json">` for a record's page."""
    record = context.get("record")
    request = context.get("request")
    if record is None or request is None:
        return ""
    graph = []
    builder = BUILDERS.get(record._meta.model_name)
    if builder is not None:
        graph.append(builder(request, record, context))
    graph.append(breadcrumbs(request, record))
    data = {"@context": "https://schema.org", "@graph": graph}
    encoded = json.dumps(data, ensure_ascii=False).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{encoded}</script>')
