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


@pytest.mark.django_db
def test_a_chinese_search_sent_unescaped_keeps_its_words_in_every_link(client):
    """A client may send the query's UTF-8 bytes as they are (a browser
    escapes them; curl and some apps do not): Django's get_full_path() then
    spells them as Latin-1 (长 as %C3%A9%C2%95%C2%BF)."""
    raw = "q=摇篮".encode().decode("latin-1")  # the query string as WSGI passes it
    html = client.generic("GET", "/zh-hans/search/", QUERY_STRING=raw).content.decode()
    escaped = "q=%E6%91%87%E7%AF%AE"
    assert f'hreflang="en" href="http://testserver/search/?{escaped}"' in html
    assert f'rel="canonical" href="http://testserver/zh-hans/search/?{escaped}"' in html
    assert "%C3%A6" not in html


@pytest.mark.django_db
def test_a_huge_query_is_linked_as_far_as_the_page_reads_it(client):
    """The search reads its first 200 characters; its links (canonical,
    other languages, the switcher) carry no more: 3,000 characters made a
    400 KB page of them."""
    answer = client.get("/zh-hans/search/", {"q": "长" * 3000})
    html = answer.content.decode()
    assert answer.status_code == 200
    assert len(html.encode()) < 40_000
    assert "%E9%95%BF" * 200 in html
    assert "%E9%95%BF" * 201 not in html
