"""The production WSGI application answers a stored page before Django does."""

import pytest
from django.contrib.auth.models import User
from django.core.signals import request_started
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from directory.caching.handler import CachedPageHandler
from tests import factories as f
from tests.support import wsgi


@pytest.fixture
def application(settings, db):
    settings.DIRECTORY_CACHING = True
    with wsgi.serving(CachedPageHandler()) as application:
        yield application


@pytest.fixture
def programme(db):
    return f.programme("Cradle Going Global", short_name="CGG")


class Answer:
    def __init__(self, application, path, method="GET", secure=False, **headers):
        factory = RequestFactory()
        request = factory.generic(method, path, secure=secure, headers=headers)
        self.status, self.headers = None, None
        with CaptureQueriesContext(connection) as queries:
            body = application(request.environ, self.start_response)
            self.content = b"".join(body)
            if hasattr(body, "close"):
                body.close()
        # The database cache table stands in for Redis in the suite.
        self.queries = [q["sql"] for q in queries if "django_cache" not in q["sql"]]
        self.cache_queries = len(queries) - len(self.queries)
        # The database cache's get_many(): one per lookup of a version and a page.
        self.cache_lookups = len([q for q in queries if '"cache_key" IN' in q["sql"]])

    def start_response(self, status, headers):
        self.status, self.headers = status, dict(headers)

    @property
    def page_cache(self):
        return self.headers.get("X-Page-Cache")


def test_a_stored_page_is_sent_as_first_sent_without_touching_the_records(application, programme):
    url = programme.get_absolute_url()
    first = Answer(application, url)
    assert first.status == "200 OK" and first.page_cache == "miss"
    started = []

    def count(**_kwargs):
        started.append(1)

    request_started.connect(count, weak=False, dispatch_uid="test-started")
    try:
        second = Answer(application, url)
    finally:
        request_started.disconnect(dispatch_uid="test-started")
    assert second.status == "200 OK" and second.page_cache == "hit"
    # Answered in front of Django: no request cycle, no middleware, no query.
    assert started == []
    assert second.queries == []
    assert second.content == first.content
    assert "Cradle Going Global" in second.content.decode()
    # The headers of the whole middleware stack come with it.
    for name in ("Content-Type", "Content-Length", "Content-Language", "Vary"):
        assert second.headers[name] == first.headers[name]
    assert second.headers["X-Frame-Options"] == "DENY"
    assert second.headers["X-Content-Type-Options"] == "nosniff"
    assert second.headers["Referrer-Policy"] == "same-origin"
    assert int(second.headers["Content-Length"]) == len(second.content)


def test_a_committed_edit_shows_on_the_next_request(
    application, programme, django_capture_on_commit_callbacks
):
    Answer(application, "/programmes/")
    assert Answer(application, "/programmes/").page_cache == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        programme.name = "Cradle Going Global Plus"
        programme.save()
    answer = Answer(application, "/programmes/")
    assert answer.page_cache == "miss"
    assert "Cradle Going Global Plus" in answer.content.decode()


@pytest.mark.parametrize(
    "headers",
    [{"Cookie": "django_language=zh-hans"}, {"Accept-Language": "zh-CN,zh;q=0.9"}],
    ids=["chose Chinese", "Chinese browser"],
)
def test_a_reader_who_prefers_chinese_is_still_sent_to_the_chinese_page(
    application, programme, headers
):
    assert Answer(application, "/programmes/").status == "200 OK"
    answer = Answer(application, "/programmes/", **headers)
    assert answer.status.startswith("302")
    assert answer.headers["Location"] == "/zh-hans/programmes/"


def test_a_chinese_page_is_stored_apart_from_the_english_one(application, programme):
    Answer(application, "/programmes/")
    chinese = Answer(application, "/zh-hans/programmes/")
    assert chinese.page_cache == "miss"
    again = Answer(application, "/zh-hans/programmes/", **{"Accept-Language": "en"})
    assert again.page_cache == "hit"
    assert 'lang="zh-Hans"' in again.content.decode()


def test_a_signed_in_reader_gets_a_fresh_private_rendering(application, programme, client):
    Answer(application, "/programmes/")
    client.force_login(User.objects.create_user("staff", is_staff=True))
    answer = Answer(
        application, "/programmes/", Cookie=f"sessionid={client.cookies['sessionid'].value}"
    )
    assert answer.status == "200 OK"
    assert "X-Page-Cache" not in answer.headers
    assert answer.headers["Cache-Control"] == "private, no-store"


def test_a_cookie_that_is_no_signed_in_session_is_served_from_the_cache(application, programme):
    Answer(application, "/programmes/")
    fake = "sessionid=" + "a1" * 16  # well-formed, but no such session
    for cookie in ("sessionid=x", "sessionid=", "sessionid=" + "Z" * 40, fake):
        answer = Answer(application, "/programmes/", Cookie=cookie)
        assert (answer.status, answer.page_cache) == ("200 OK", "hit"), cookie
        # The hit costs one look-up in the session store at most.
        assert len(answer.queries) <= 1, cookie


def test_a_host_not_allowed_is_refused_even_for_a_stored_page(application, programme):
    Answer(application, "/programmes/")
    answer = Answer(application, "/programmes/", Host="elsewhere.example")
    assert answer.status.startswith("400")


def test_https_and_http_are_stored_apart(application, programme):
    Answer(application, "/programmes/")
    assert Answer(application, "/programmes/", secure=True).page_cache == "miss"
    assert Answer(application, "/programmes/", secure=True).page_cache == "hit"


def test_head_gets_the_headers_of_the_stored_page(application, programme):
    first = Answer(application, "/programmes/")
    head = Answer(application, "/programmes/", method="HEAD")
    assert head.page_cache == "hit"
    assert head.headers["Content-Length"] == first.headers["Content-Length"]


def test_a_post_is_never_answered_from_the_cache(application, programme):
    Answer(application, "/programmes/")
    answer = Answer(application, "/programmes/", method="POST")
    assert answer.page_cache != "hit"
    assert answer.status.startswith("405")


def test_static_files_and_the_admin_do_not_ask_the_page_cache(application):
    static = Answer(application, "/static/css/site.css")
    assert static.status == "200 OK"
    admin = Answer(application, "/admin/login/")
    assert admin.status == "200 OK"
    assert static.cache_queries == admin.cache_queries == 0


def test_turned_off_it_renders_every_time(application, settings, programme):
    settings.DIRECTORY_CACHING = False
    Answer(application, "/programmes/")
    answer = Answer(application, "/programmes/")
    assert answer.status == "200 OK"
    assert "X-Page-Cache" not in answer.headers


def test_the_production_application_is_this_handler():
    from directory.wsgi import application

    assert isinstance(application, CachedPageHandler)


def test_a_miss_asks_the_cache_once(application, programme, django_capture_on_commit_callbacks):
    # The very first reader of a page starts its tags' generations (once per
    # tag ever, not per page or language); every later miss asks once.
    Answer(application, programme.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        programme.name = "Cradle Going Global Plus"
        programme.save()
    miss = Answer(application, programme.get_absolute_url())
    assert miss.page_cache == "miss"
    assert miss.cache_lookups == 1
    hit = Answer(application, programme.get_absolute_url())
    assert (hit.page_cache, hit.cache_lookups) == ("hit", 1)


def test_every_public_page_is_looked_up_and_nothing_else(db):
    from django.urls import get_resolver

    from directory.caching import PUBLIC_NAMESPACES
    from directory.caching.handler import PUBLIC_PATH

    def public_routes(patterns, prefix="", namespace=None):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                yield from public_routes(
                    pattern.url_patterns, route, pattern.namespace or namespace
                )
            elif namespace in PUBLIC_NAMESPACES:
                yield "/" + route.replace("<slug:slug>", "some-slug")

    routes = list(public_routes(get_resolver().url_patterns))
    assert len(routes) >= 11
    for route in routes:
        assert PUBLIC_PATH.match(route), route
        assert PUBLIC_PATH.match("/zh-hant" + route), route
    for other in ("/static/css/site.css", "/admin/", "/zh-hans/admin/", "/language/en/"):
        assert not PUBLIC_PATH.match(other), other
