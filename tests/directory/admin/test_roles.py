import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from directory.models import PublicationStatus
from programmes.models import Programme
from tests.support.admin import PASSWORD, post_data, staff_user

CHANGELIST = reverse("admin:programmes_programme_changelist")


def change_url(record):
    return reverse("admin:programmes_programme_change", args=[record.pk])


def status_after(client, action, record):
    """`record`'s status after the bulk `action` on it."""
    bulk_action(client, action, record)
    record.refresh_from_db()
    return record.status


def bulk_action(client, action, *records):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [str(r.pk) for r in records]},
        follow=True,
    )


def test_the_migration_creates_both_roles_without_account_rights(db):
    for name in ["Editor", "Publisher"]:
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"add_programme", "change_event", "view_citation"} <= codenames
        assert not {c for c in codenames if c.endswith(("_user", "_group", "_permission"))}
    editor_perms = set(
        Group.objects.get(name="Editor").permissions.values_list("codename", flat=True)
    )
    assert not {c for c in editor_perms if c.startswith(("delete_", "publish_"))}


def test_an_editor_can_add_and_change_records(client, editor, records):
    client.force_login(editor)
    add_url = reverse("admin:programmes_programme_add")
    data = post_data(client.get(add_url), name="New fund", slug="new-fund", kind="fund")
    assert client.post(add_url, data).status_code == 302
    assert Programme.objects.get(slug="new-fund").status == PublicationStatus.DRAFT

    programme = records["programme"]
    data = post_data(client.get(change_url(programme)), summary="Helps firms go global")
    assert client.post(change_url(programme), data).status_code == 302
    programme.refresh_from_db()
    assert programme.summary == "Helps firms go global"


def test_an_editor_cannot_delete(client, editor, records):
    client.force_login(editor)
    programme = records["programme"]
    delete_url = reverse("admin:programmes_programme_delete", args=[programme.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk_action(client, "delete_selected", programme)
    assert Programme.objects.filter(pk=programme.pk).exists()


def test_an_editor_can_submit_for_review_but_not_publish_by_bulk_action(client, editor, records):
    client.force_login(editor)
    programme = records["programme"]
    page = client.get(CHANGELIST).content.decode()
    assert 'value="submit_for_review"' in page
    assert 'value="publish"' not in page

    assert status_after(client, "publish", programme) == PublicationStatus.DRAFT

    assert status_after(client, "submit_for_review", programme) == PublicationStatus.IN_REVIEW


def test_an_editor_cannot_publish_with_a_crafted_change_form_post(client, editor, records):
    client.force_login(editor)
    programme = records["programme"]
    page = client.get(change_url(programme))
    assert "status" not in page.context["adminform"].form.fields
    data = post_data(page, status="published", summary="Crafted")
    assert client.post(change_url(programme), data).status_code == 302
    programme.refresh_from_db()
    assert programme.summary == "Crafted"
    assert programme.status == PublicationStatus.DRAFT

    add_url = reverse("admin:programmes_programme_add")
    data = post_data(client.get(add_url), name="X", slug="x", kind="fund", status="published")
    client.post(add_url, data)
    assert Programme.objects.get(slug="x").status == PublicationStatus.DRAFT


def test_an_editor_cannot_unpublish_by_editing_a_published_record(client, editor, records):
    client.force_login(editor)
    organisation = records["organisation"]  # published
    url = reverse("admin:directory_organisation_change", args=[organisation.pk])
    data = post_data(client.get(url), status="draft", description="Edited")
    assert client.post(url, data).status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == PublicationStatus.PUBLISHED
    assert organisation.description == "Edited"


def test_a_publisher_can_publish_archive_and_delete(client, publisher, records):
    client.force_login(publisher)
    programme = records["programme"]
    assert status_after(client, "publish", programme) == PublicationStatus.PUBLISHED

    assert status_after(client, "archive", programme) == PublicationStatus.ARCHIVED

    # The change form publishes with its button (a posted status is ignored).
    data = post_data(client.get(change_url(programme)), status="draft", _publish="1")
    client.post(change_url(programme), data)
    programme.refresh_from_db()
    assert programme.status == PublicationStatus.PUBLISHED

    delete_url = reverse("admin:programmes_programme_delete", args=[programme.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Programme.objects.filter(pk=programme.pk).exists()


@pytest.mark.parametrize("role", ["Editor", "Publisher"])
def test_neither_role_can_open_the_user_or_group_admin(client, db, role):
    client.force_login(staff_user("someone", role))
    for name in ["auth_user_changelist", "auth_user_add", "auth_group_changelist"]:
        assert client.get(reverse(f"admin:{name}")).status_code == 403
    assert "auth/user" not in client.get(reverse("admin:index")).content.decode()


def test_the_sixth_failed_login_is_refused_even_with_the_right_password(client, superuser):
    login = reverse("admin:login")
    statuses = [
        client.post(login, {"username": "root", "password": "wrong"}).status_code
        for _attempt in range(5)
    ]
    # The fifth failure is the one that locks the account for this address.
    assert statuses == [200, 200, 200, 200, 429]
    response = client.post(login, {"username": "root", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked out.
    staff_user("colleague", "Editor")
    response = client.post(login, {"username": "colleague", "password": PASSWORD})
    assert response.status_code == 302


def test_admin_session_cookies_are_http_only_and_expire(client, superuser, settings):
    response = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert 0 < int(cookie["max-age"]) <= 8 * 60 * 60
