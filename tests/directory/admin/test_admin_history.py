from django.urls import reverse

from directory import workflow
from directory.models import PublicationStatus
from tests.support.admin import post_data


def change_url(programme):
    return reverse("admin:programmes_programme_change", args=[programme.pk])


def history_url(programme):
    return reverse("admin:programmes_programme_history", args=[programme.pk])


def revert_url(programme, version):
    return reverse(
        "admin:programmes_programme_simple_history", args=[programme.pk, version.history_id]
    )


def test_an_edit_appears_in_history_with_who_and_what(client, editor, records):
    client.force_login(editor)
    programme = records["programme"]
    data = post_data(client.get(change_url(programme)), summary="One-stop help abroad")
    client.post(change_url(programme), data)

    latest = programme.history.latest()
    assert latest.history_user == editor
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("summary", "", "One-stop help abroad")
    ]
    page = client.get(history_url(programme)).content.decode()
    assert "editor" in page
    assert "One-stop help abroad" in page


def test_restoring_an_earlier_version_brings_its_values_back(client, superuser, records):
    client.force_login(superuser)
    programme = records["programme"]
    original = programme.history.earliest()
    data = post_data(client.get(change_url(programme)), name="Renamed by mistake")
    client.post(change_url(programme), data)
    programme.refresh_from_db()
    assert programme.name == "Renamed by mistake"

    page = client.get(revert_url(programme, original))
    assert page.status_code == 200
    response = client.post(revert_url(programme, original), post_data(page))
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Going Global Service Centre"
    assert programme.history.latest().history_user == superuser


def test_an_editor_cannot_republish_by_restoring_a_published_version(
    client,
    editor,
    publisher,
    records,
):
    organisation = records["organisation"]
    published_version = organisation.history.latest()
    workflow.unpublish([organisation], publisher)
    organisation.refresh_from_db()
    assert organisation.status == PublicationStatus.DRAFT

    client.force_login(editor)
    url = reverse(
        "admin:directory_organisation_simple_history",
        args=[organisation.pk, published_version.history_id],
    )
    assert client.post(url, post_data(client.get(url))).status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == PublicationStatus.DRAFT
    assert organisation.history.latest().history_user == editor
