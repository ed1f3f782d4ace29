"""What the public may read: published records and published articles only.
Staff preview drafts when they may view that kind of record in the admin;
previews are private and never enter the shared page cache."""

import pytest
from django.core.management import call_command

from directory import workflow
from directory.models import Organisation, SourceArticle
from programmes.models import Event, Programme, Service
from tests import factories as f
from tests.support.admin import staff_user

QUOTE = "The Hong Kong Productivity Council launched the centre."
SECRET_QUOTE = "A fund for robotics start-ups opens next spring."


@pytest.fixture
def article(db):
    return f.article(f"{QUOTE} {SECRET_QUOTE}", slug="launch")


def test_an_unpublished_article_is_not_found_by_the_public(client, db):
    for status in ("draft", "in_review", "archived"):
        draft = f.article("Unreviewed words.", status=status)
        assert client.get(draft.get_absolute_url()).status_code == 404, status
    assert client.get(f.article("Reviewed words.").get_absolute_url()).status_code == 200


def test_a_source_page_never_prints_the_quotes_of_unpublished_records(client, article):
    published = f.programme("Open Programme")
    draft = f.programme("Secret Draft Programme", status="draft")
    f.cite(published, article, QUOTE)
    f.cite(draft, article, SECRET_QUOTE)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Open Programme" in html
    assert "Secret Draft Programme" not in html
    # Neither listed nor marked in the text (the text itself is public).
    assert html.count("<mark") == 1
    assert 'class="citation"' in html and html.count('class="citation"') == 1


def test_a_record_page_lists_no_quote_from_an_unpublished_article(client, article):
    hidden = f.article("Words from an unreviewed article.", status="draft")
    programme = f.programme("Cited Programme")
    f.cite(programme, article, QUOTE)
    f.cite(programme, hidden, "Words from an unreviewed article.")
    html = client.get(programme.get_absolute_url()).content.decode()
    assert QUOTE in html
    assert "unreviewed article" not in html
    api = client.get(f"/api/v1/programmes/{programme.slug}").json()
    assert [c["quote"] for c in api["citations"]] == [QUOTE]


def test_the_api_and_sitemap_list_published_articles_only(client, article):
    f.article("Unreviewed words.", slug="unreviewed", status="draft")
    slugs = [item["slug"] for item in client.get("/api/v1/sources").json()["results"]]
    assert slugs == ["launch"]
    assert client.get("/api/v1/sources/unreviewed").status_code == 404
    sitemap = client.get("/sitemap-sources.xml").content.decode()
    assert "/sources/launch/" in sitemap and "unreviewed" not in sitemap


@pytest.mark.parametrize("model", [Programme, Organisation, Service, Event])
def test_staff_without_the_view_permission_see_no_drafts(client, db, model):
    maker = {Programme: f.programme, Organisation: f.organisation, Service: f.service,
             Event: f.event}[model]  # fmt: skip
    draft = maker(status="draft")
    client.force_login(staff_user("no-group"))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_an_editor_previews_a_draft_privately_and_it_is_never_cached(client, caching, article):
    draft = f.programme("Quiet Draft Programme", status="draft")
    hidden = f.article("Unreviewed words.", slug="unreviewed", status="draft")
    url = draft.get_absolute_url()
    client.force_login(staff_user("editor", "Editor"))
    for page in (url, hidden.get_absolute_url(), "/programmes/"):
        response = client.get(page)
        assert response.status_code == 200, page
        assert response["Cache-Control"] == "private, no-store", page
        assert "X-Page-Cache" not in response, page
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(hidden.get_absolute_url()).status_code == 404
    listing = client.get("/programmes/")
    assert "Quiet Draft Programme" not in listing.content.decode()


def test_the_seeds_load_their_articles_published_and_every_record_publishable(db):
    call_command("load_seeds", verbosity=0)
    assert SourceArticle.objects.exists()
    assert not SourceArticle.objects.exclude(status="published").exists()
    for model in (Organisation, Programme, Service, Event):
        records = list(model.objects.published())
        assert records, model
        unsourced = [r for r in records if not workflow.has_source(r)]
        assert unsourced == [], model
