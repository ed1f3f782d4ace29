"""Switching language keeps the page, its filters and its results; Chinese
pages are accessible and render their characters."""

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.browser.axe import axe_violations

FILTERED = "/programmes/?region=sichuan&kind=agreement&kind=event_series&sort=name"


def result_links(page):
    return page.locator("#results h3 a").evaluate_all("links => links.map(a => a.pathname)")


def switch_to(page, language_name):
    with page.expect_navigation():
        page.locator(".language-switcher").get_by_role("link", name=language_name).click()


def test_switching_language_keeps_the_filters_and_the_results(new_page, live_server, seeded):
    page = new_page()
    page.goto(live_server.url + FILTERED)
    english = result_links(page)
    assert english, "the filtered list should not be empty"

    switch_to(page, "简体中文")
    url = urlsplit(page.url)
    assert url.path == "/zh-hans/programmes/"
    assert parse_qs(url.query) == parse_qs(urlsplit(FILTERED).query)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    assert [path.removeprefix("/zh-hans") for path in result_links(page)] == english
    expect(page.locator("#active-filters")).to_contain_text("四川")


def test_switching_back_to_english_keeps_the_filters_and_the_results(new_page, live_server, seeded):
    page = new_page()
    page.goto(live_server.url + FILTERED)
    english = result_links(page)
    switch_to(page, "简体中文")
    switch_to(page, "English")
    url = urlsplit(page.url)
    assert url.path == "/programmes/"
    assert parse_qs(url.query) == parse_qs(urlsplit(FILTERED).query)
    assert result_links(page) == english


def test_a_detail_page_switches_to_traditional_chinese(new_page, live_server, seeded):
    page = new_page()
    page.goto(live_server.url + "/organisations/hkpc/")
    expect(page.locator("h1")).to_contain_text("Hong Kong Productivity Council")
    switch_to(page, "繁體中文")
    assert urlsplit(page.url).path == "/zh-hant/organisations/hkpc/"
    expect(page.locator("h1")).to_contain_text("香港生產力促進局")
    expect(page.locator("h1")).to_contain_text("HKPC")


def test_a_chinese_browser_lands_on_the_simplified_home_page(new_page, live_server, seeded):
    page = new_page(locale="zh-CN")
    page.goto(live_server.url + "/")
    assert urlsplit(page.url).path == "/zh-hans/"
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")


def test_chinese_pages_have_no_axe_violations(new_page, live_server, seeded, screenshot):
    page = new_page(width=1280)
    for language in ("zh-hans", "zh-hant"):
        for name, path in (
            ("programme-list", FILTERED),
            ("organisation-detail", "/organisations/hkpc/"),
            ("search", "/search/?q=生产力" if language == "zh-hans" else "/search/?q=生產力"),
        ):
            page.goto(f"{live_server.url}/{language}{path}")
            violations = axe_violations(page)
            assert violations == [], f"{language} {name}: " + "\n".join(violations)
        # The search found the council in either script.
        expect(page.locator("#results")).to_contain_text("香港生")


def test_screenshots_of_a_list_and_a_detail_page_in_each_language(
    new_page, live_server, seeded, screenshot
):
    page = new_page(width=1280)
    detail = first_programme(page, live_server.url)
    for language, prefix in (("en", ""), ("zh-hans", "/zh-hans"), ("zh-hant", "/zh-hant")):
        page.goto(live_server.url + prefix + FILTERED)
        expect(page.locator("#results")).to_be_visible()
        screenshot(page, f"programme-list-{language}-1280")
        page.goto(live_server.url + prefix + detail)
        expect(page.locator("h1")).to_be_visible()
        screenshot(page, f"programme-detail-{language}-1280")
    page.goto(live_server.url + "/zh-hans/organisations/hkpc/")
    screenshot(page, "organisation-detail-zh-hans-1280")


def first_programme(page, base_url):
    page.goto(base_url + FILTERED)
    return page.locator("#results h3 a").first.get_attribute("href")
