"""Shared fixtures and helpers for the admin, workflow, roles and intake tests
(no tests of its own)."""

import datetime
import re
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from directory.models import (
    Citation,
    Enquiry,
    Organisation,
    PublicationStatus,
    Region,
    Sector,
    ServiceCategory,
    SourceArticle,
)
from directory.search import refresh_search_index
from programmes.models import Event, EventOrganisation, Programme, ProgrammeOrganisation, Service

# Every model of the directory's apps that staff edit in the admin.
ADMIN_MODELS = [m for m in admin.site._registry if m._meta.app_label in ("directory", "programmes")]

ARTICLE_TEXT = (
    "The Hong Kong Productivity Council (HKPC) opened a service centre for mainland firms.\n"
    "HKPC said the centre offers intellectual property guidance and testing."
)

PASSWORD = "a-long-test-password-42"


def staff_user(username, group=None, superuser=False):
    user = User.objects.create_user(
        username, password=PASSWORD, is_staff=True, is_superuser=superuser
    )
    if group == "Editor":
        user.groups.add(editor_role())
    elif group:
        user.groups.add(Group.objects.get(name=group))
    return user


def editor_role():
    """The Editor group as the migrations define it. After an earlier
    live-server test in this process, the group can be missing: the serialized
    rollback then runs on a database connection of another context (the
    browser's greenlet), which lacks the serialized copy, so it restores
    nothing. The permissions are read from the migrations that grant them."""
    group, created = Group.objects.get_or_create(name="Editor")
    if created:
        roles = import_module("directory.migrations.0003_editorial_roles")
        enquiries = import_module("directory.migrations.0015_enquiries_and_staff_confirmations")
        wanted = set(roles._codenames(django_apps, roles.EDITOR_ACTIONS))
        wanted |= {("directory", codename) for codename in enquiries.GRANTS["Editor"]}
        group.permissions.set(
            permission
            for permission in Permission.objects.select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        )
    return group


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def an_enquiry(organisation, **fields):
    """An enquiry about `organisation`, as its page's form would store it."""
    values = {
        "name": "Someone",
        "email": "someone@example.com",
        "message": "A question",
        "routed_to": "inbox@directory.invalid",
        **fields,
    }
    return Enquiry.objects.create(record=organisation, record_name=organisation.name, **values)


@pytest.fixture
def superuser(db):
    return staff_user("root", superuser=True)


@pytest.fixture
def editor(db):
    return staff_user("editor", "Editor")


@pytest.fixture
def publisher(db):
    return staff_user("publisher", "Publisher")


@pytest.fixture
def records(db):
    """One of everything, linked the way the seed data links them."""
    guangdong = Region.objects.create(name="Guangdong", slug="guangdong", kind="province")
    shenzhen = Region.objects.create(
        name="Shenzhen", slug="shenzhen", kind="city", parent=guangdong
    )
    sector = Sector.objects.create(name="Robotics", slug="robotics")
    category = ServiceCategory.objects.create(name="Testing", slug="testing")
    article = SourceArticle.objects.create(
        slug="hkpc-centre",
        title="HKPC opens a centre",
        publisher="Example News",
        status=PublicationStatus.PUBLISHED,
        raw_text=ARTICLE_TEXT,
        cleaned_text=ARTICLE_TEXT,
    )
    hkpc = Organisation.objects.create(
        name="Hong Kong Productivity Council",
        short_name="HKPC",
        slug="hkpc",
        kind="statutory_body",
        region=shenzhen,
        status=PublicationStatus.PUBLISHED,
    )
    programme = Programme.objects.create(
        name="Going Global Service Centre",
        slug="going-global",
        kind="service_centre",
        status=PublicationStatus.DRAFT,
    )
    programme.regions.add(shenzhen)
    programme.sectors.add(sector)
    ProgrammeOrganisation.objects.create(programme=programme, organisation=hkpc, role="lead")
    service = Service.objects.create(
        name="IP guidance", slug="ip-guidance", provider=hkpc, category=category,
        programme=programme,
    )  # fmt: skip
    event = Event.objects.create(
        name="Innovation Expo",
        slug="innovation-expo",
        kind="expo",
        start_date=datetime.date(2025, 4, 13),
        end_date=datetime.date(2025, 4, 16),
        city=shenzhen,
    )
    Event.objects.create(name="Opening session", slug="opening", kind="session", part_of=event)
    EventOrganisation.objects.create(event=event, organisation=hkpc, role="organiser")
    Citation.objects.create(
        article=article,
        quote="HKPC said the centre offers intellectual property guidance",
        content_type=ContentType.objects.get_for_model(Programme),
        object_id=programme.pk,
    )
    # As every admin save, import and seed load does.
    refresh_search_index([hkpc, programme, service, event])
    return {
        "region": shenzhen,
        "sector": sector,
        "category": category,
        "article": article,
        "organisation": hkpc,
        "programme": programme,
        "service": service,
        "event": event,
    }


def many_rows(n, prefix="bulk"):
    """n rows in every table an admin form or changelist can list, written in
    bulk (no history needed) so that an unbounded <select> or a per-row query
    would show."""
    regions = Region.objects.bulk_create(
        Region(name=f"{prefix} region {i}", slug=f"{prefix}-region-{i}", kind="city")
        for i in range(n)
    )
    Sector.objects.bulk_create(
        Sector(name=f"{prefix} sector {i}", slug=f"{prefix}-sector-{i}") for i in range(n)
    )
    categories = ServiceCategory.objects.bulk_create(
        ServiceCategory(name=f"{prefix} help {i}", slug=f"{prefix}-help-{i}") for i in range(n)
    )
    articles = SourceArticle.objects.bulk_create(
        SourceArticle(slug=f"{prefix}-article-{i}", title=f"Article {i}", raw_text="Text.",
                      cleaned_text="Text.", status=PublicationStatus.PUBLISHED)
        for i in range(n)
    )  # fmt: skip
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"{prefix} org {i}", short_name=f"O{i}", slug=f"{prefix}-org-{i}",
                     kind="company", region=regions[i % len(regions)])
        for i in range(n)
    )  # fmt: skip
    programmes = Programme.objects.bulk_create(
        Programme(name=f"{prefix} programme {i}", slug=f"{prefix}-programme-{i}", kind="fund")
        for i in range(n)
    )
    ProgrammeOrganisation.objects.bulk_create(
        ProgrammeOrganisation(programme=p, organisation=organisations[i], role="lead")
        for i, p in enumerate(programmes)
    )
    Service.objects.bulk_create(
        Service(name=f"{prefix} service {i}", slug=f"{prefix}-service-{i}",
                provider=organisations[i], category=categories[i], programme=programmes[i])
        for i in range(n)
    )  # fmt: skip
    events = Event.objects.bulk_create(
        Event(name=f"{prefix} event {i}", slug=f"{prefix}-event-{i}", kind="forum",
              start_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
              city=regions[i], series=programmes[i])
        for i in range(n)
    )  # fmt: skip
    EventOrganisation.objects.bulk_create(
        EventOrganisation(event=e, organisation=organisations[i], role="organiser")
        for i, e in enumerate(events)
    )
    programme_type = ContentType.objects.get_for_model(Programme)
    Citation.objects.bulk_create(
        Citation(article=articles[i], quote="Text.", content_type=programme_type,
                 object_id=programmes[i].pk)
        for i in range(n)
    )  # fmt: skip


# Turning a rendered admin form back into POST data, as a browser would send it.

SELECT = re.compile(r"<select\b[^>]*>(.*?)</select>", re.S)
SELECT_NAME = re.compile(r'<select\b[^>]*name="([^"]*)"')


def _encode(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def _add_form(data, form):
    for field in form:
        value = field.value()
        if value is None:
            continue
        encoded = _encode(value)
        if encoded is not None:
            data[field.html_name] = encoded


def post_data(response, **changes):
    data = {}
    _add_form(data, response.context["adminform"].form)
    # The history revert page has the record's form but no inlines.
    inlines = response.context.get("inline_admin_formsets", [])
    for inline in inlines:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def largest_select(html):
    """(name, option count) of the <select> with the most options."""
    sizes = [
        (SELECT_NAME.search(match.group(0)), match.group(1).count("<option"))
        for match in SELECT.finditer(html)
    ]
    if not sizes:
        return ("", 0)
    name, count = max(sizes, key=lambda s: s[1])
    return (name.group(1) if name else "", count)
