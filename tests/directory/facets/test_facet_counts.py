"""The facet counts (directory.facets) follow every kind of write exactly.

Each write below is followed by a full rebuild from the relations: the entries
and totals the signals kept must be the very ones a rebuild computes, or a
list would show counts that do not match its results.
"""

import re

import pytest
from django.urls import reverse

from directory import facets, workflow
from directory.models import FacetEntry, FacetTotal, UpcomingTotal
from programmes.models import Event, Programme, ProgrammeOrganisation, Service
from tests import factories
from tests.support.admin import post_data


def snapshot():
    entries = sorted(
        FacetEntry.objects.values_list("kind", "facet", "record_id", "value", "until"),
        key=lambda entry: (*entry[:4], str(entry[4])),
    )
    totals = sorted(FacetTotal.objects.filter(n__gt=0).values_list("kind", "facet", "value", "n"))
    upcoming = sorted(
        UpcomingTotal.objects.filter(n__gt=0).values_list("kind", "facet", "value", "n")
    )
    return entries, totals, upcoming


def assert_same_as_a_rebuild():
    kept = snapshot()
    facets.rebuild()
    rebuilt = snapshot()
    assert kept[0] == rebuilt[0], "entries drifted"
    assert kept[1] == rebuilt[1], "totals drifted"
    assert kept[2] == rebuilt[2], "totals of the events to come drifted"


@pytest.fixture
def data(db):
    return factories.catalogue(6)


def saved(record, **values):
    """`record` with `values` set and saved (through its signals, as an admin save)."""
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    return record


def test_the_counts_of_a_new_catalogue_are_those_of_a_rebuild(data):
    assert FacetEntry.objects.exists()
    assert_same_as_a_rebuild()


def test_record_edits_keep_the_counts_exact(data):
    saved(data["programmes"][0], status="draft")
    assert_same_as_a_rebuild()

    programme = saved(data["programmes"][1], kind=Programme.Kind.FUND)
    programme.regions.remove(data["cities"][1])
    assert_same_as_a_rebuild()

    # From the other side of the relation, and cleared from that side.
    data["cities"][2].programmes.add(programme)
    assert_same_as_a_rebuild()
    data["province"].programmes.clear()
    assert_same_as_a_rebuild()

    event = data["events"][0]
    event.start_date = event.start_date.replace(year=2031)
    event.city = None
    event.save()
    event.sectors.clear()
    assert_same_as_a_rebuild()
    # Its entries carry its last day: the start, then the end once it has one.
    days = FacetEntry.objects.filter(kind="event", record_id=event.pk).values_list("until")
    assert set(days) == {(event.start_date,)}
    event.end_date = event.start_date.replace(month=12, day=31)
    event.save()
    assert set(days.all()) == {(event.end_date,)}
    assert_same_as_a_rebuild()


def test_service_edits_move_their_programmes_counts(data):
    service = saved(data["services"][0], category=data["categories"][2])
    assert_same_as_a_rebuild()

    saved(service, programme=data["programmes"][3])
    assert_same_as_a_rebuild()

    workflow.unpublish([data["services"][1]], publisher())
    assert_same_as_a_rebuild()

    data["services"][2].delete()
    assert_same_as_a_rebuild()


def test_organisation_and_region_edits_reach_the_records_that_depend_on_them(data):
    saved(data["organisations"][0], status="draft")
    assert_same_as_a_rebuild()

    saved(data["organisations"][1], region=data["cities"][2])
    assert_same_as_a_rebuild()

    # A city moved to another province moves its records' province counts.
    elsewhere = factories.region("Guangdong")
    saved(data["cities"][0], parent=elsewhere)
    assert_same_as_a_rebuild()
    assert FacetTotal.objects.get(kind="programme", facet="region", value=str(elsewhere.pk)).n > 0

    ProgrammeOrganisation.objects.filter(organisation=data["organisations"][2]).delete()
    assert_same_as_a_rebuild()


def test_deletes_take_their_entries_with_them(data):
    programme = data["programmes"][4]
    served = list(programme.services.values_list("pk", flat=True))
    programme.delete()
    assert not FacetEntry.objects.filter(kind="programme", record_id=programme.pk).exists()
    assert served and Service.objects.filter(pk__in=served, programme=None).exists()
    assert_same_as_a_rebuild()

    data["sectors"][0].delete()
    assert_same_as_a_rebuild()

    Event.objects.filter(pk=data["events"][5].pk).first().delete()
    assert_same_as_a_rebuild()

    city = factories.region("Chengdu", parent=data["province"])
    factories.programme("In Chengdu", regions=[city])
    city.programmes.clear()
    city.delete()
    assert_same_as_a_rebuild()


def test_a_rolled_back_write_leaves_the_counts_as_they_were(data):
    from django.db import transaction

    before = snapshot()
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.programme("Never saved", regions=[data["province"]])
        raise RuntimeError
    assert snapshot() == before


def test_the_lists_counts_follow_a_publish(client, data):
    province = data["province"]
    pattern = re.compile(
        rf'name="region" value="{province.slug}"[^>]*>.*?<span class="count">\(([\d,]+)\)', re.S
    )

    def province_count(query=""):
        html = client.get(f"/programmes/{query}").content.decode()
        return int(pattern.search(html).group(1).replace(",", ""))

    sector = data["sectors"][1]
    unfiltered, filtered = province_count(), province_count(f"?sector={sector.slug}")
    draft = sourced(
        factories.programme(
            "Newly found", status="draft", regions=[data["cities"][0]], sectors=[sector]
        )
    )
    assert (province_count(), province_count(f"?sector={sector.slug}")) == (unfiltered, filtered)
    workflow.publish([draft], publisher())
    assert province_count() == unfiltered + 1
    assert province_count(f"?sector={sector.slug}") == filtered + 1


def test_the_home_page_counts_follow_a_publish(client, data):
    def programmes_on_home():
        html = client.get("/").content.decode()
        return int(re.search(r">([\d,]+) programmes</a>", html).group(1).replace(",", ""))

    before = programmes_on_home()
    assert before == Programme.objects.published().count()
    draft = sourced(factories.programme("Newly found", status="draft"))
    assert programmes_on_home() == before
    workflow.publish([draft], publisher())
    assert programmes_on_home() == before + 1


def sourced(record):
    """`record` with a citation whose quote is in its article: publishable."""
    factories.cite(record, factories.article("Newly found is a new programme."), "Newly found")
    return record


def publisher():
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(f"publisher-{User.objects.count()}", is_staff=True)
    user.groups.add(Group.objects.get(name="Publisher"))
    return user


def test_an_admin_save_with_its_relations_and_inlines_keeps_the_counts_exact(
    client,
    records,
    superuser,
):
    client.force_login(superuser)
    programme = records["programme"]
    programme.status = "published"
    programme.save()
    url = reverse("admin:programmes_programme_change", args=[programme.pk])
    guangdong = records["region"].parent
    data = post_data(client.get(url), regions=[str(guangdong.pk)], kind="fund")
    assert client.post(url, data).status_code == 302
    entries = set(
        FacetEntry.objects.filter(kind="programme", record_id=programme.pk).values_list(
            "facet", "value"
        )
    )
    assert ("region", str(guangdong.pk)) in entries
    assert ("region", str(records["region"].pk)) not in entries
    assert ("kind_status", "fund|unknown") in entries
    assert_same_as_a_rebuild()
