"""On the seeded directory, every link of every record page, in each
language, leads to a page that answers: no empty `href`, no link to a record
that is not there."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db.models import Model
from django.utils import translation

from directory import kinds
from directory.models import SourceArticle

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<a\b[^>]*\bhref="([^"]*)"')
# Downloads, feeds, the enquiry form and the language switch (which sets a
# cookie) answer too, but are not pages to crawl.
NOT_PAGES = (
    "/static/",
    "/admin/",
    "/language/",
    "calendar.ics",
    "results.csv",
    "/feed/",
    "/enquiries/",
)


def record_pages():
    with translation.override(settings.LANGUAGE_CODE):
        urls = [
            record.get_absolute_url()
            for kind in kinds.all_kinds()
            for record in kind.model.objects.published()
        ]
        return urls + [a.get_absolute_url() for a in SourceArticle.objects.published()]


@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
def test_every_link_on_every_record_page_leads_somewhere(client, seeded, prefix):
    checked, broken = {}, []
    for url in record_pages():
        page = client.get(prefix + url)
        assert page.status_code == 200, prefix + url
        for href in HREF.findall(page.content.decode()):
            target = urlsplit(href)
            if not any((target.netloc, target.path, target.query, target.fragment)):
                broken.append((prefix + url, href))
                continue
            if target.netloc or not target.path or any(p in target.path for p in NOT_PAGES):
                continue
            if target.path not in checked:
                checked[target.path] = client.get(target.path).status_code
            if checked[target.path] != 200:
                broken.append((prefix + url, href, checked[target.path]))
    assert broken == []
    assert len(checked) > 100


# Lists read only the columns their rows show (`list_view(columns=...)`),
# with the reasons a filter adds, every sort, a search and an empty page.
LIST_PAGES = [
    *(f"/{kind}/" for kind in ("programmes", "services", "organisations", "events")),
    "/programmes/?region=sichuan&sector=artificial-intelligence&sort=fit",
    "/programmes/?q=Hong+Kong&sort=newest",
    "/services/?region=guangdong&sort=fit",
    "/services/?q=Cradle&sort=name",
    "/organisations/?region=beijing&sort=name",
    "/events/?when=upcoming",
    "/events/?when=past&sort=date",
    "/events/?when=undated",
]


def test_no_record_page_fetches_a_field_its_queries_left_out(client, seeded, monkeypatch):
    # Pages read related records narrowly (only what they show); a field the
    # template reads but the query left out would cost a query of its own.
    # The home page too: its latest changes and events are links only.
    fetched = []
    original = Model.refresh_from_db

    def refresh_from_db(self, *args, fields=None, **kwargs):
        fetched.append((type(self).__name__, fields))
        return original(self, *args, fields=fields, **kwargs)

    monkeypatch.setattr(Model, "refresh_from_db", refresh_from_db)
    for prefix in ("", "/zh-hans"):
        for url in ["/", *LIST_PAGES, *record_pages()]:
            assert client.get(prefix + url).status_code == 200, prefix + url
    assert fetched == []
