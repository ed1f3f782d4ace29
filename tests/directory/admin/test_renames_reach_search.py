"""A record's names are repeated in the search text of the records found by
them (a service by its programme's name, a session by its event's, a
programme by its partners'). Renaming it in the admin, by import, or by
restoring an earlier name from its history, makes those records findable by
the new name and no longer by the old one."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import PublicationStatus
from directory.search import with_search_dependents
from programmes.models import Service
from tests import factories as f
from tests.support.admin import post_data
from tests.support.search import found_names


@pytest.fixture
def published(records, settings):
    # Staff edits replace cached pages; here every search is read fresh.
    settings.DIRECTORY_CACHING = False
    programme, event = records["programme"], records["event"]
    event.programmes.add(programme)
    for record in (programme, records["service"], event, *event.sessions.all()):
        type(record).objects.filter(pk=record.pk).update(status=PublicationStatus.PUBLISHED)
    return records


def change_url(record):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


def rename(client, record, name):
    response = client.post(change_url(record), post_data(client.get(change_url(record)), name=name))
    assert response.status_code == 302


def test_renaming_a_programme_finds_its_services_and_events_by_the_new_name(
    client, superuser, published
):
    client.force_login(superuser)
    rename(client, published["programme"], "Qianhai Launchpad")
    client.logout()
    assert found_names(client, "Qianhai Launchpad", "services") == ["IP guidance"]
    assert found_names(client, "Qianhai Launchpad", "events") == ["Innovation Expo"]
    assert found_names(client, "Going Global", "services") == []


def test_renaming_an_event_finds_its_sessions_by_the_new_name(client, superuser, published):
    client.force_login(superuser)
    rename(client, published["event"], "Belt and Road Summit")
    client.logout()
    assert found_names(client, "Belt and Road Summit", "events") == [
        "Belt and Road Summit",
        "Opening session",
    ]


def test_restoring_a_programmes_earlier_name_restores_how_its_services_are_found(
    client, superuser, published
):
    programme = published["programme"]
    client.force_login(superuser)
    rename(client, programme, "Renamed by mistake")
    earlier = programme.history.order_by("history_date")[0]
    url = reverse(
        "admin:programmes_programme_simple_history", args=[programme.pk, earlier.history_id]
    )
    assert client.post(url, post_data(client.get(url))).status_code == 302
    client.logout()
    assert found_names(client, "Going Global Service Centre", "services") == ["IP guidance"]
    assert found_names(client, "Renamed by mistake", "services") == []


def test_renaming_a_programme_by_import_finds_its_services_by_the_new_name(
    client, publisher, published
):
    client.force_login(publisher)
    csv = (
        "slug,name,kind,organisations,regions,status\n"
        "going-global,Qianhai Launchpad,service_centre,hkpc:lead,shenzhen,published\n"
    )
    upload = SimpleUploadedFile("programmes.csv", csv.encode(), content_type="text/csv")
    preview = client.post(
        reverse("admin:programmes_programme_import"), {"format": "0", "import_file": upload}
    )
    confirmed = client.post(
        reverse("admin:programmes_programme_process_import"),
        preview.context["confirm_form"].initial,
    )
    assert confirmed.status_code == 302
    client.logout()
    assert found_names(client, "Qianhai Launchpad", "services") == ["IP guidance"]


def test_the_records_to_refresh_are_found_in_a_query_per_relation(db):
    """An import of a thousand programmes finds their services, events and
    editions in three queries, not three per programme."""
    programmes = [f.programme(f"Programme {n}") for n in range(5)]
    for programme in programmes:
        f.service(f"Advice of {programme.name}", programme=programme)
    with CaptureQueriesContext(connection) as for_one:
        with_search_dependents(programmes[:1])
    with CaptureQueriesContext(connection) as for_five:
        found = with_search_dependents(programmes)
    assert len(for_five) == len(for_one) == 3
    assert sorted(r.name for r in found if isinstance(r, Service)) == [
        f"Advice of Programme {n}" for n in range(5)
    ]
