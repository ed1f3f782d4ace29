"""Every POST passes the CSRF check, whether or not the sender is signed in."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.support.form_urls")]


@pytest.fixture
def client():
    return Client(enforce_csrf_checks=True)


def test_an_anonymous_post_without_a_token_is_refused(client):
    assert client.post("/enquiry/", {"message": "hi"}).status_code == 403


def test_an_anonymous_post_with_a_token_is_accepted(client):
    client.get("/admin/login/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/enquiry/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 200


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_unsafe_methods_are_checked_too(client, method):
    assert getattr(client, method)("/enquiry/").status_code == 403


def test_a_get_needs_no_token(client):
    assert client.get("/enquiry/").content == b"GET ok"
