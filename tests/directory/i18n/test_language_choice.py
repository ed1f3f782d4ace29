import pytest
from django.conf import settings


@pytest.mark.django_db
def test_it_switches_a_chinese_page_back_to_english_keeping_the_filters(client):
    response = client.get("/language/en/", {"next": "/zh-hans/programmes/?region=sichuan"})
    assert response.status_code == 302
    assert response["Location"] == "/programmes/?region=sichuan"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_it_switches_an_english_page_to_traditional_chinese(client):
    response = client.get("/language/zh-hant/", {"next": "/events/?when=past&page=2"})
    assert response["Location"] == "/zh-hant/events/?when=past&page=2"


@pytest.mark.django_db
def test_it_refuses_to_redirect_to_another_site(client):
    response = client.get("/language/zh-hans/", {"next": "https://example.com/"})
    assert response["Location"] == "/zh-hans/"


@pytest.mark.django_db
def test_an_unknown_language_changes_nothing(client):
    response = client.get("/language/fr/", {"next": "/programmes/"})
    assert response["Location"] == "/programmes/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_a_first_visit_follows_the_browsers_language(client):
    response = client.get("/programmes/?sector=fintech", HTTP_ACCEPT_LANGUAGE="zh-TW,zh;q=0.8")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hant/programmes/?sector=fintech"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_the_readers_choice_beats_the_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/programmes/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_every_page_links_its_other_languages(client):
    html = client.get("/programmes/?region=sichuan").content.decode()
    assert 'hreflang="zh-Hans" href="http://testserver/zh-hans/programmes/?region=sichuan"' in html
    assert 'hreflang="zh-Hant" href="http://testserver/zh-hant/programmes/?region=sichuan"' in html
    assert "/language/zh-hans/?next=%2Fprogrammes%2F%3Fregion%3Dsichuan" in html
