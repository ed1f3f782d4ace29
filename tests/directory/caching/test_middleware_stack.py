"""Anonymous readers get the short middleware stack; staff the full one."""

from django.test import Client

from directory.caching import bump_content_version
from tests import factories as f


def test_an_anonymous_reader_gets_no_session_or_csrf_cookie(client, db):
    f.programme("Cradle Going Global")
    response = client.get("/programmes/")
    assert response.status_code == 200
    assert not response.cookies
    assert response["X-Frame-Options"] == "DENY"


def test_the_admin_still_checks_csrf(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_the_admin_login_page_sets_its_csrf_cookie(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies


def test_a_chinese_admin_url_gets_the_full_stack_too(client, db):
    response = client.get("/zh-hans/admin/login/")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies


def test_a_signed_in_editor_can_preview_a_draft(client, admin_user):
    draft = f.programme("Quiet Draft Programme", status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(admin_user)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Quiet Draft Programme" in response.content.decode()


def test_a_made_up_session_cookie_gets_the_cached_page(client, settings, db):
    settings.DIRECTORY_CACHING = True
    bump_content_version()
    record = f.programme("Cached Programme")
    assert client.get(record.get_absolute_url())["X-Page-Cache"] == "miss"
    client.cookies["sessionid"] = "0123456789abcdefghijklmnopqrstuv"
    response = client.get(record.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert "sessionid" not in response.cookies or not response.cookies["sessionid"].value


def test_a_real_staff_session_is_never_served_the_cached_page(client, settings, admin_user):
    settings.DIRECTORY_CACHING = True
    bump_content_version()
    draft = f.programme("Quiet Draft Programme", status="draft")
    listing = client.get("/programmes/")
    assert listing["X-Page-Cache"] == "miss"
    assert client.get("/programmes/")["X-Page-Cache"] == "hit"
    client.force_login(admin_user)
    response = client.get("/programmes/")
    assert "X-Page-Cache" not in response
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(draft.get_absolute_url()).status_code == 200
