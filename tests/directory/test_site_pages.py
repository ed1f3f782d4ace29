"""The directory's own pages say what is true of this installation, in the
three languages, and the shell links to them from every page."""

import datetime

import pytest

from tests import factories as f

PAGES = ["/about/", "/contact/", "/privacy/", "/accessibility/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("prefix", ["", "/zh-hans", "/zh-hant"])
def test_it_serves_each_page_in_each_language(client, path, prefix):
    response = client.get(prefix + path)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1
    if prefix:
        assert "Accessibility statement" not in html and "About this directory" not in html


@pytest.mark.django_db
def test_every_page_links_to_the_about_contact_privacy_and_accessibility_pages(client):
    html = client.get("/programmes/").content.decode()
    for path in PAGES:
        assert f'href="{path}"' in html


@pytest.mark.django_db
def test_the_privacy_page_states_the_configured_retention(client, settings):
    settings.ENQUIRY_RETENTION_DAYS = 90
    settings.ENQUIRY_RATE_LIMIT = 3
    html = client.get("/privacy/").content.decode()
    assert "deleted 90 days after staff mark it answered or closed" in html
    assert "may send 3 enquiries an hour" in html
    assert "90 天" in client.get("/zh-hans/privacy/").content.decode()


@pytest.mark.django_db
def test_the_contact_page_offers_the_inbox_only_when_one_is_configured(client, settings):
    settings.DIRECTORY_INBOX = "inbox@directory.invalid"
    html = client.get("/contact/").content.decode()
    assert "mailto:" not in html and "no public email address" in html
    settings.DIRECTORY_INBOX = "editors@example.org"
    html = client.get("/contact/").content.decode()
    assert 'href="mailto:editors@example.org"' in html


@pytest.mark.django_db
def test_the_operator_is_named_only_when_configured(client, settings):
    settings.DIRECTORY_OPERATOR = ""
    assert "Operated by its publisher." in client.get("/about/").content.decode()
    settings.DIRECTORY_OPERATOR = "Example Council"
    html = client.get("/about/").content.decode()
    assert "operated by Example Council" in html and "Operated by Example Council." in html


@pytest.mark.django_db
def test_the_home_page_shows_recently_updated_programmes_and_services_not_agreements(client):
    f.programme("Bay Area Memorandum", kind="agreement")
    f.programme("Going Global Service Centre")
    f.service("Patent filing advice", provider=f.organisation())
    html = client.get("/").content.decode()
    recent = html.split('id="recent-programmes-heading"', 1)[1]
    assert "Going Global Service Centre" in recent
    assert "Bay Area Memorandum" not in recent
    assert "Patent filing advice" in html.split('id="recent-services-heading"', 1)[1]
    # The guided start comes before the events and the recent records.
    assert html.index('id="home-start"') < html.index('id="upcoming-heading"')


@pytest.mark.django_db
def test_a_from_date_after_the_to_date_is_swapped_and_explained(client):
    f.event("Autumn fair", start_date=datetime.date(2024, 10, 1))
    html = client.get("/events/", {"from": "2024-12-31", "to": "2024-01-01"}).content.decode()
    assert "was after the “to” date" in html
    assert "Autumn fair" in html.split('id="results"', 1)[1]
    assert 'name="from" value="2024-01-01"' in html


@pytest.mark.django_db
def test_the_filters_disclosure_counts_the_filters_applied(client):
    region = f.region("Sichuan")
    f.index(f.programme("Chengdu Link", regions=[region]))
    html = client.get("/programmes/", {"region": region.slug}).content.decode()
    assert "Filters (1 applied)" in html
    # The results come before the filters in the page.
    assert html.index('id="result-count"') < html.index('id="filters"')
