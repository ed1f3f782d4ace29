"""Rate limits per real client behind the proxy, counted in the shared cache;
the admin lockout keyed on the same address."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from directory import ratelimit
from directory.ratelimit import client_ip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def half_a_minute_into_a_window(monkeypatch):
    # The limiter counts per fixed window of the clock: a test's requests
    # falling either side of a window's end would start a new count (one CI
    # run saw a third login post answered 200). Its clock stands still, half
    # a minute into a window.
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 60 * 10**8 + 30.0))


PROXY = "10.0.0.2"


def via_proxy(client_address):
    # What the site's one proxy sends on: its own address as REMOTE_ADDR, the
    # client's appended to whatever X-Forwarded-For the client sent.
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"6.6.6.6, {client_address}"}


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.mark.parametrize(
    "count, meta, expected",
    [
        (0, {"REMOTE_ADDR": "1.2.3.4", "HTTP_X_FORWARDED_FOR": "9.9.9.9"}, "1.2.3.4"),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "9.9.9.9, 1.2.3.4"}, "1.2.3.4"),
        (
            2,
            {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "9.9.9.9, 1.2.3.4, 10.0.0.3"},
            "1.2.3.4",
        ),
        (1, {"REMOTE_ADDR": PROXY}, PROXY),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "not-an-address"}, PROXY),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "2001:db8::1"}, "2001:db8::1"),
    ],
)
def test_the_client_address(settings, count, meta, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", **meta)
    request.META.update(meta)
    assert client_ip(request) == expected


def test_search_is_limited_per_client_with_a_page_and_retry_after(
    client, settings, behind_one_proxy
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "3/60"}
    for _ in range(3):
        assert client.get("/search/?q=cradle", **via_proxy("1.1.1.1")).status_code == 200
    limited = client.get("/search/?q=cradle", **via_proxy("1.1.1.1"))
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    html = limited.content.decode()
    assert 'class="site-header"' in html and "Too many requests" in html
    assert "no-store" in limited["Cache-Control"]
    # Another client behind the same proxy is not affected.
    assert client.get("/search/?q=cradle", **via_proxy("2.2.2.2")).status_code == 200


@pytest.mark.urls("tests.support.form_urls")
def test_the_limiter_guards_a_form(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "form": "2/60"}
    client = Client()
    assert [client.post("/enquiry/").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/enquiry/").status_code == 200


def test_the_admin_login_posts_are_limited(client, settings, behind_one_proxy):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "2/60"}
    data = {"username": "nobody", "password": "wrong"}
    answers = [
        client.post("/admin/login/", data, **via_proxy("3.3.3.3")).status_code for _ in range(3)
    ]
    assert answers == [200, 200, 429]
    assert client.get("/admin/login/", **via_proxy("3.3.3.3")).status_code == 200


def test_wrong_passwords_behind_the_proxy_lock_only_that_client(behind_one_proxy):
    User.objects.create_user("editor", password="right-password-123", is_staff=True)
    attacker, colleague = Client(), Client()
    for _ in range(5):
        attacker.post(
            "/admin/login/", {"username": "editor", "password": "wrong"}, **via_proxy("7.7.7.7")
        )
    locked = attacker.post(
        "/admin/login/",
        {"username": "editor", "password": "right-password-123"},
        **via_proxy("7.7.7.7"),
    )
    assert locked.status_code in (403, 429)
    signed_in = colleague.post(
        "/admin/login/",
        {"username": "editor", "password": "right-password-123"},
        **via_proxy("8.8.8.8"),
    )
    assert signed_in.status_code == 302, signed_in.status_code
