"""Pages stored across midnight (without the day's date in their key) show
nothing by today's date; the pages stored under it do."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation

from directory import kinds
from directory.caching.tags import is_dated
from directory.models import SourceArticle

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


@pytest.fixture
def seeded(db):
    call_command("load_seeds", verbosity=0)


def public_pages():
    with translation.override(settings.LANGUAGE_CODE):
        records = [
            record.get_absolute_url()
            for kind in kinds.all_kinds()
            for record in kind.model.objects.published()
        ]
        articles = [article.get_absolute_url() for article in SourceArticle.objects.published()]
    return LISTS + records + articles


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
