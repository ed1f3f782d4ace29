"""Who a record is for, in the filters (issue 21 A): a region filter finds
what is open to firms from that region, through the facet index, so the
counts beside each option agree with the results; a programme open to every
sector matches any sector; organisations filter by where they are based and
where they are active. Runs on the real seeds."""

import pytest

from directory import facets
from directory.models import FacetEntry, Organisation, Region, Sector
from programmes.models import Programme, Service

pytestmark = pytest.mark.django_db


def slugs(response):
    return [
        item.get_absolute_url().rstrip("/").rsplit("/", 1)[-1]
        for item in response.context["results"]
    ]


def count_beside(response, facet, slug):
    for f in response.context["facets"]:
        if f.name == facet:
            for option in f.options:
                if option.value == slug:
                    return option.count
    return None


def test_a_city_finds_what_is_open_to_mainland_firms(client, seeded):
    response = client.get("/programmes/?region=wuxi")
    found = slugs(response)
    assert "cradle-going-global-service-centre" in found
    mainland = set(
        Programme.objects.published()
        .filter(open_to_scope="mainland")
        .values_list("slug", flat=True)
    )
    assert mainland <= set(found)
    # Open to Beijing and Hong Kong firms only, and serving neither Wuxi nor Jiangsu.
    assert not [
        s
        for s in found
        if Programme.objects.get(slug=s).open_to_scope == "region"
        and not Programme.objects.get(slug=s).regions.filter(slug__in=["wuxi", "jiangsu"]).exists()
    ]


def test_the_count_beside_a_region_is_the_number_of_results(client, seeded):
    listing = client.get("/programmes/")
    for region in Region.objects.all():
        filtered = client.get(f"/programmes/?region={region.slug}")
        n = filtered.context["page_obj"].paginator.count
        assert n == len(slugs(filtered)) or n > 20
        shown = count_beside(client.get("/programmes/?more=region"), "region", region.slug)
        assert (shown or 0) == n, region.slug
    assert listing.status_code == 200


def test_open_to_listed_regions_reaches_their_cities_not_other_provinces(client, seeded):
    shaanxi_only = Programme.objects.filter(
        open_to_scope="region", open_to_regions__slug="shaanxi"
    ).first()
    assert shaanxi_only is not None
    assert shaanxi_only.slug in slugs(client.get("/programmes/?region=xian"))
    assert shaanxi_only.slug not in slugs(client.get("/programmes/?region=wuxi"))


def test_hong_kong_firms_do_not_get_mainland_only_records(client, seeded):
    found = slugs(client.get("/programmes/?region=hong-kong"))
    cradle = Programme.objects.get(slug="cradle-going-global-service-centre")
    # The Cradle serves Hong Kong (it is there), so it stays; a mainland-only
    # record placed nowhere in Hong Kong does not.
    assert cradle.slug in found
    for slug in found:
        p = Programme.objects.get(slug=slug)
        if p.open_to_scope == "mainland":
            assert p.regions.filter(slug="hong-kong").exists(), slug


def test_services_open_to_mainland_firms_are_found_from_a_city(client, seeded):
    found = slugs(client.get("/services/?region=wuxi"))
    assert "cradle-ip-guidance" in found or any(s.startswith("cradle-") for s in found)
    assert set(
        Service.objects.published().filter(open_to_scope="mainland").values_list("slug", flat=True)
    ) <= set(found)


def test_a_record_is_under_one_region_entry_per_region_without_an_entry_per_city(seeded):
    cradle = Programme.objects.get(slug="cradle-going-global-service-centre")
    values = set(
        FacetEntry.objects.filter(
            kind="programme", facet="region", record_id=cradle.pk
        ).values_list("value", flat=True)
    )
    assert f"{facets.OPEN}{facets.MAINLAND}" in values
    # Its plain entries under the mainland are covered by "open to mainland".
    assert str(Region.objects.get(slug="guangzhou").pk) not in values
    assert str(Region.objects.get(slug="hong-kong").pk) in values
    assert len(values) < Region.objects.count()


def test_all_sectors_matches_any_sector_and_says_so(client, seeded):
    everyone = set(
        Programme.objects.published().filter(all_sectors=True).values_list("slug", flat=True)
    )
    assert everyone
    for sector in Sector.objects.all():
        response = client.get(f"/programmes/?sector={sector.slug}")
        found = set(slugs(response))
        assert everyone <= found, sector.slug
        assert count_beside(response, "sector", sector.slug) == len(found)
        assert b"open to all technology sectors" in response.content  # why it matches
        assert b"Open to all technology sectors" in response.content


def test_changing_who_a_programme_is_open_to_moves_its_entries(seeded):
    programme = Programme.objects.get(slug="cradle-going-global-service-centre")
    programme.open_to_scope = "region"
    programme.save()
    programme.open_to_regions.set([Region.objects.get(slug="wuxi")])
    values = set(
        FacetEntry.objects.filter(
            kind="programme", facet="region", record_id=programme.pk
        ).values_list("value", flat=True)
    )
    wuxi, jiangsu = Region.objects.get(slug="wuxi"), Region.objects.get(slug="jiangsu")
    assert f"{facets.OPEN}{wuxi.pk}" in values and str(jiangsu.pk) in values
    assert f"{facets.OPEN}{facets.MAINLAND}" not in values
    facets.rebuild()
    assert values == set(
        FacetEntry.objects.filter(
            kind="programme", facet="region", record_id=programme.pk
        ).values_list("value", flat=True)
    )


def test_organisations_by_where_they_are_based_and_where_they_are_active(client, seeded):
    response = client.get("/organisations/?active_in=sichuan")
    active = slugs(response)
    assert "hktdc" in active
    n = response.context["page_obj"].paginator.count
    based = slugs(client.get("/organisations/?region=sichuan"))
    assert "hktdc" not in based
    hktdc = Organisation.objects.get(slug="hktdc")
    assert hktdc.region is None or hktdc.region.slug == "hong-kong"
    response = client.get("/organisations/")
    assert b"Based in" in response.content and b"Active in" in response.content
    assert count_beside(response, "active_in", "sichuan") == n


def test_an_organisation_stops_being_active_where_it_no_longer_takes_part(seeded):
    hktdc = Organisation.objects.get(slug="hktdc")
    sichuan = str(Region.objects.get(slug="sichuan").pk)

    def active_in():
        return set(
            FacetEntry.objects.filter(
                kind="organisation", facet="active_in", record_id=hktdc.pk
            ).values_list("value", flat=True)
        )

    assert sichuan in active_in()
    for role in [*hktdc.programme_roles.all(), *hktdc.event_roles.all()]:
        role.delete()
    assert active_in() == set()


def test_each_result_says_why_it_matches(client, seeded):
    response = client.get("/programmes/?region=wuxi&help=intellectual-property")
    assert response.status_code == 200
    cradle = next(
        item
        for item in response.context["results"]
        if item.slug == "cradle-going-global-service-centre"
    )
    assert "open to mainland firms" in [str(r) for r in cradle.match_reasons]
