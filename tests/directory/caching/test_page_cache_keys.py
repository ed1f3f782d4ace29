"""Page cache keys: the parameters a page reads, sorted; nothing else.

Junk parameters are answered from the canonical page (which still says they
were ignored) and add no key; public pages take GET and HEAD only; the admin
and what signed-in staff see are never kept by any cache.
"""

import pytest
from django.db import connection

from tests import factories as f
from tests.directory.caching.test_cached_page_handler import Answer, application  # noqa: F401 (fixture)


def stored_keys():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_cache")
        return cursor.fetchone()[0]


@pytest.fixture
def programme(db):
    return f.programme("Cradle Going Global", short_name="CGG")


def test_junk_parameters_add_no_keys(application, programme):  # noqa: F811
    pages = ["/programmes/", "/search/?q=cradle", programme.get_absolute_url()]
    for path in pages:
        Answer(application, path)
    before = stored_keys()
    answers = []
    for n in range(5000):
        path = pages[n % 3]
        joiner = "&" if "?" in path else "?"
        answers.append(Answer(application, f"{path}{joiner}utm_{n}=x{n}&fbclid={n}"))
    assert stored_keys() - before == 0
    assert {a.status for a in answers} == {"200 OK"}
    assert {a.page_cache for a in answers} == {"hit"}


def test_the_ignored_parameters_are_still_named_on_the_page(application, programme):  # noqa: F811
    Answer(application, "/programmes/?sector=ai")
    answer = Answer(application, "/programmes/?zzz=1&sector=ai")
    assert answer.page_cache == "hit"
    html = answer.content.decode()
    assert "the unknown parameter “zzz”" in html
    assert answer.headers["Content-Length"] == str(len(answer.content))
    # The canonical page itself does not mention it.
    assert "zzz" not in Answer(application, "/programmes/?sector=ai").content.decode()


def test_the_order_of_parameters_does_not_matter(application, programme):  # noqa: F811
    Answer(application, "/programmes/?sector=ai&region=shenzhen")
    again = Answer(application, "/programmes/?region=shenzhen&sector=ai")
    assert again.page_cache == "hit"


def test_a_chinese_page_names_ignored_parameters_in_chinese(application, programme):  # noqa: F811
    answer = Answer(application, "/zh-hans/programmes/?zzz=1")
    assert answer.status == "200 OK"
    assert "zzz" in answer.content.decode()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_public_pages_take_get_and_head_only(client, programme, method):
    for path in ["/", "/programmes/", programme.get_absolute_url(), "/search/?q=x"]:
        response = getattr(client, method)(path)
        assert response.status_code in (403, 405), (path, method, response.status_code)
    assert client.options("/programmes/").status_code == 405


def test_the_admin_and_previews_are_private(client, db, settings):
    login = client.get("/admin/login/")
    assert "no-store" in login["Cache-Control"] and "private" in login["Cache-Control"]
    from django.contrib.auth.models import Permission, User

    user = User.objects.create_user("staffer", password="x-password-123", is_staff=True)
    # Previews need the model's view permission (staff without it get a 404).
    user.user_permissions.add(Permission.objects.get(codename="view_programme"))
    client.force_login(user)
    draft = f.programme("Draft thing", status="draft")
    preview = client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    assert "no-store" in client.get("/admin/")["Cache-Control"]


def test_anonymous_public_pages_stay_cacheable(client, db):
    response = client.get("/programmes/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_declared_parameters_are_the_ones_each_view_reads(client, db):
    from django.urls import resolve

    for path in ["/programmes/", "/services/", "/events/", "/organisations/"]:
        names = resolve(path).func.query_parameters
        query = "&".join(f"{name}=1" for name in sorted(names))
        html = client.get(f"{path}?{query}&zzz=1").content.decode()
        assert "the unknown parameter “zzz”" in html
        for name in names:
            assert f"the unknown parameter “{name}”" not in html, (path, name)
