"""Every page sends a strict set of security headers; scored as the Mozilla
Observatory scores them (tests/support/observatory.py), it reaches 100+."""

import pytest

from tests import factories as f
from tests.support.observatory import parse_csp, score
from tests.support.pages import MOST_READ

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    # As deployed: HTTPS, HSTS and secure cookies (tests/conftest.py turns them off).
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


@pytest.fixture
def pages(db):
    programme = f.programme("Cradle Going Global", short_name="CGG")
    return [
        *MOST_READ,
        programme.get_absolute_url(),
        "/zh-hans/programmes/",
        "/no-such-page/",
        "/admin/login/",
    ]


def header_score(response):
    headers = dict(response.items())
    return score(headers, [m.output(header="").strip() for m in response.cookies.values()])


def test_every_page_scores_at_least_100(client, production, pages):
    for path in pages:
        response = client.get(path, secure=True)
        assert response.status_code in (200, 404), path
        total, results = header_score(response)
        assert total >= 100, (path, total, results)


def test_the_policy_allows_no_inline_script_or_style(client, pages):
    for path in pages:
        policy = parse_csp(client.get(path)["Content-Security-Policy"])
        assert policy["default-src"] == ["'none'"]
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]


def test_the_other_headers(client, pages):
    for path in pages:
        response = client.get(path)
        assert response["Cross-Origin-Resource-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "camera=()" in response["Permissions-Policy"]


def test_the_templates_hold_no_inline_script_or_style(client, pages):
    import re

    for path in pages:
        html = client.get(path).content.decode()
        assert not re.search(
            r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>", html
        ), path
        assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html), path


def test_a_stored_page_keeps_its_headers(client, settings, pages):
    from directory.caching import bump_content_version

    settings.DIRECTORY_CACHING = True
    bump_content_version()
    client.get("/programmes/")
    hit = client.get("/programmes/")
    assert hit["X-Page-Cache"] == "hit"
    assert "default-src 'none'" in hit["Content-Security-Policy"]


def test_the_score_of_a_page_without_the_headers_is_low():
    # The scorer itself: a bare response scores as the Observatory says.
    total, _ = score({})
    assert total == 100 - 25 - 20 - 5 - 20
