"""A record's slug cannot be the name of one of its list's own pages (the
feed): its page would be unreachable, or it would hide the list's."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from directory.models.slugs import RESERVED_SLUGS
from directory.sources.intake import unique_slug
from programmes.models import Programme
from tests import factories
from tests.support.admin import post_data

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_every_page_beside_a_lists_records_is_a_reserved_slug(db):
    found = set(routes(get_resolver().url_patterns))
    beside = set()
    for route in found:
        if not route.endswith("<slug:slug>/"):
            continue
        parent = route.removesuffix("<slug:slug>/")
        for other in found:
            rest = other.removeprefix(parent) if other.startswith(parent) else None
            name = rest.split("/")[0] if rest else ""
            if name and SLUG.match(name) and "<" not in name:
                beside.add(name)
    assert "feed" in beside
    assert beside <= RESERVED_SLUGS


def change_url(record):
    return reverse("admin:programmes_programme_change", args=[record.pk])


def test_the_admin_refuses_a_reserved_slug_and_says_why(client, superuser):
    client.force_login(superuser)
    record = factories.programme("Sample programme", slug="sample")
    response = client.post(
        change_url(record), post_data(client.get(change_url(record)), slug="feed")
    )
    assert response.status_code == 200
    assert "is the address of one of the list&#x27;s own pages" in response.content.decode()
    record.refresh_from_db()
    assert record.slug == "sample"
    assert not Programme.objects.filter(slug="feed").exists()


@pytest.mark.parametrize("model", ["organisation", "programme", "service", "event"])
def test_no_kind_of_record_takes_a_reserved_slug(db, model):
    record = getattr(factories, model)("Feed")
    record.slug = "feed"
    with pytest.raises(ValidationError) as raised:
        record.full_clean()
    assert "slug" in raised.value.message_dict


def test_the_list_feed_stays_the_feed_and_a_record_named_feed_gets_a_page(client, db):
    named = factories.programme("Feed", slug=unique_slug(Programme, "Feed"))
    assert named.slug == "feed-2"
    assert client.get(named.get_absolute_url()).status_code == 200
    feed = client.get("/programmes/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert named.get_absolute_url().encode() in feed.content
