"""The acceptance searches, on the real seed data."""

import pytest
from django.db import connection

from tests.support.search import found_names

pytestmark = pytest.mark.django_db


def test_it_finds_the_council_by_its_acronym(client, seeded):
    assert "Hong Kong Productivity Council" in found_names(client, "HKPC", "organisations")


def test_it_finds_hkpc_led_programmes_by_the_councils_full_name(client, seeded):
    from programmes.models import Programme

    led = Programme.objects.published().filter(
        organisation_roles__organisation__short_name="HKPC", organisation_roles__role="lead"
    )
    assert led.exists()
    found = found_names(client, "Hong Kong Productivity Council", "programmes")
    assert set(led.values_list("name", flat=True)) & set(found)


def test_it_finds_intellectual_property_services_by_ip(client, seeded):
    from programmes.models import Service

    ip_services = Service.objects.published().filter(category__alternative_names__icontains="IP")
    found = found_names(client, "IP", "services")
    assert found
    assert set(found) <= set(Service.objects.published().values_list("name", flat=True))
    assert set(ip_services.values_list("name", flat=True)) & set(found)


def test_it_finds_xian_records_by_the_plain_spelling(client, seeded):
    response = client.get("/search/", {"q": "Xian"})
    assert response.context["total"] > 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram matching is PostgreSQL's")
def test_it_finds_the_council_despite_a_misspelling(client, seeded):
    assert "Hong Kong Productivity Council" in found_names(client, "Productivty", "organisations")


@pytest.mark.parametrize("path", ["/", "/programmes/", "/organisations/", "/services/", "/events/"])
def test_it_renders_every_page_on_the_seed_data(client, seeded, path):
    assert client.get(path).status_code == 200


def test_it_renders_every_seeded_record_and_source(client, seeded):
    from directory.models import Organisation, SourceArticle
    from programmes.models import Event, Programme, Service

    for model in (Organisation, Programme, Service, Event):
        for record in model.objects.published():
            assert client.get(record.get_absolute_url()).status_code == 200, record
    for source in SourceArticle.objects.all():
        html = client.get(source.get_absolute_url()).content.decode()
        assert "<mark id=" in html
