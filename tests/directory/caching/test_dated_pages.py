"""Pages stored across midnight (without the day's date in their key) show
nothing by today's date; the pages stored under it do."""

import datetime

import pytest
from django.utils import timezone

from directory.caching.tags import is_dated
from tests.programmes.test_record_page_links import record_pages

pytestmark = pytest.mark.django_db

# Every dated event of the seeds is upcoming on the first day, past on the second.
DAYS = (datetime.date(2000, 1, 1), datetime.date(2100, 1, 1))
LISTS = [
    "/",
    "/programmes/",
    "/programmes/?region=sichuan",
    "/organisations/",
    "/services/",
    "/events/",
    "/events/?when=upcoming",
    "/search/?q=Hong+Kong",
    "/search/?q=InnoEX",
    "/start/",
    "/about/",
    "/programmes/feed/",
    "/services/results.csv",
    "/organisations/results.csv",
]


def public_pages():
    return LISTS + record_pages()


def test_pages_stored_across_midnight_show_nothing_by_the_date(client, seeded, monkeypatch):
    same, changed = [], []
    for url in [prefix + path for path in public_pages() for prefix in ("", "/zh-hans")]:
        renderings = []
        for day in DAYS:
            monkeypatch.setattr(timezone, "localdate", lambda *args, day=day, **kwargs: day)
            response = client.get(url)
            assert response.status_code == 200, url
            renderings.append(response.content)
        if not is_dated(url):
            assert renderings[0] == renderings[1], f"{url} changes with the date"
            same.append(url)
        elif renderings[0] != renderings[1]:
            changed.append(url)
    # Both kinds were there to compare: the dates do change the dated pages.
    assert len(same) > 50
    assert {"/", "/events/", "/zh-hans/events/"} <= set(changed)
