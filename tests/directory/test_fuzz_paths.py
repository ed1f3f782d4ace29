"""Hostile paths, details and the admin login; see tests/directory/test_fuzz.py."""

from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.directory.test_fuzz import (  # noqa: F401 (fixtures)
    COMMON,
    HOSTILE,
    METHODS,
    PREFIXES,
    client,
    encode,
    examples,
    records,
    send,
)

pytestmark = pytest.mark.django_db


@settings(max_examples=examples(900), **COMMON)
@given(
    prefix=st.sampled_from(PREFIXES),
    section=st.sampled_from(
        ["programmes", "services", "events", "organisations", "sources", "search"]
    ),
    slug=HOSTILE,
    raw=st.booleans(),
    method=METHODS,
    page=HOSTILE,
)
def test_detail_pages(client, records, prefix, section, slug, raw, method, page):  # noqa: F811
    send(client, method, f"{prefix}/{section}/{encode(slug, raw)}/")
    send(client, "GET", records[len(slug) % len(records)], f"page={encode(page, raw)}")
    send(client, method, prefix + records[len(page) % len(records)], f"{encode(slug, raw)}=1")
    send(
        client, "HEAD", f"{prefix}/{section}/", f"page={encode(page, raw)}&sort={encode(slug, raw)}"
    )


@settings(max_examples=examples(800), **COMMON)
@given(
    path=st.text(max_size=40),
    raw=st.booleans(),
    method=METHODS,
    field=HOSTILE,
)
def test_any_path_and_the_admin_login(client, db, path, raw, method, field):  # noqa: F811
    send(client, method, "/" + encode(path, raw))
    send(client, "GET", "/language/" + encode(path, raw) + "/", "next=" + encode(field, raw))
    response = client.generic(
        method,
        "/admin/login/?next=" + encode(field, raw),
        data=f"username={quote(field)}&password={quote(path)}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code < 500, (method, field, path)
    send(client, "GET", "/admin/login/", "next=" + encode(path, raw))


def test_a_login_with_an_overlong_username_is_refused_not_an_error(client, db):  # noqa: F811
    response = client.post(
        "/admin/login/", {"username": "a" * 5000, "password": "x"}, REMOTE_ADDR="192.0.2.9"
    )
    assert response.status_code in (200, 403, 429)
