"""Hostile requests over every kind of public URL and the admin login.

Hypothesis sends paths and query strings with NUL bytes, broken percent
escapes, non-Latin text, huge numbers, bad dates, repeated and unknown
parameters, and odd methods through Django's test client. No answer may be
a server error, and none may take over a second. 10,100 requests in all:
3,300 here, 6,800 in tests/directory/test_fuzz_paths.py (a file of its own, so the
two run side by side on two processes). `FUZZ_SHARE=0.1` sends a tenth of
them: CI sends them all on PostgreSQL, the production database, and a tenth
on SQLite.
"""

import os
import time
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories as f

pytestmark = pytest.mark.django_db

SLOW = 1.0
SHARE = float(os.environ.get("FUZZ_SHARE", "1"))


def examples(n):
    """`n` examples, or the share of them FUZZ_SHARE asks for (at least 10)."""
    return max(10, round(n * SHARE))


COMMON = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    database=None,
)

PREFIXES = ["", "/zh-hans", "/zh-hant"]
LISTS = ["/programmes/", "/services/", "/events/", "/organisations/"]
NAMES = [
    "q",
    "region",
    "sector",
    "help",
    "organisation",
    "kind",
    "status",
    "sort",
    "page",
    "more",
    "when",
    "from",
    "to",
    "year",
    "next",
    "zzz",
]
HOSTILE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "\x00",
            "%00",
            "%",
            "%zz",
            "%E4%B8",
            "%C0%AF",
            "香港",
            "中国 深圳",
            "9" * 40,
            "-1",
            "0",
            "last",
            "2024-02-30",
            "0000-00-00",
            "99999-01-01",
            "1e999",
            "NaN",
            "' OR 1=1 --",
            "<script>",
            "a" * 3000,
            "relevance",
            "upcoming",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(str),
)
METHODS = st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "PUT", "OPTIONS", "PATCH", "TRACE"])


@pytest.fixture(scope="module")
def client():
    return Client(raise_request_exception=False)


@pytest.fixture
def records(db):
    programme = f.programme("Cradle Going Global", short_name="CGG")
    event = f.event("InnoEX")
    source = f.article()
    return [programme.get_absolute_url(), event.get_absolute_url(), f"/sources/{source.slug}/"]


def send(client, method, path, query="", again=True):
    started = time.monotonic()
    response = client.generic(method, path + ("?" + query if query else ""))
    seconds = time.monotonic() - started
    assert response.status_code < 500, (method, path, query, response.status_code)
    if seconds >= SLOW and again:
        # On a shared machine a request is sometimes held up from outside;
        # a slow page is slow the second time too.
        return send(client, method, path, query, again=False)
    assert seconds < SLOW, (method, path, query, seconds)
    return response


def encode(value, raw):
    # Sometimes as a browser would send it, sometimes the raw text (broken
    # escapes and NUL bytes included).
    return value if raw else quote(value, safe="")


@settings(max_examples=examples(1100), **COMMON)
@given(
    prefix=st.sampled_from(PREFIXES),
    page=st.sampled_from(LISTS + ["/search/", "/"]),
    params=st.lists(st.tuples(st.sampled_from(NAMES), HOSTILE), max_size=8),
    raw=st.booleans(),
    method=METHODS,
)
def test_lists_and_search(client, records, prefix, page, params, raw, method):
    query = "&".join(f"{encode(k, raw)}={encode(v, raw)}" for k, v in params)
    send(client, method, prefix + page, query)
    # Each parameter repeated, and the same query to another list.
    send(client, "GET", prefix + page, query + "&" + query)
    send(client, "GET", prefix + LISTS[len(params) % len(LISTS)], query)
