"""What an export manager does on the site, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect


@pytest.fixture(params=[True, False], ids=["with-js", "without-js"])
def any_page(request, new_page):
    return new_page(javascript=request.param)


def test_it_filters_by_province_and_sector_then_follows_a_citation(any_page, live_server, seeded):
    page = any_page
    page.goto(f"{live_server.url}/programmes/")
    # Without JavaScript the filters are folded under "Filters" at any width
    # (results come first); script unfolds them on a wide screen.
    disclosure = page.locator("#filters-panel")
    if disclosure.get_attribute("open") is None:
        disclosure.locator("summary").click()
    filters = page.locator("#filters")
    # Zhejiang is a province; the Hangzhou platform is in one of its cities.
    filters.get_by_role("checkbox", name=re.compile(r"^Zhejiang")).check()
    filters.get_by_role("checkbox", name=re.compile(r"^Bio")).first.check()
    filters.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"region=zhejiang"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name=re.compile("Hangzhou-Hong Kong"))).not_to_have_count(0)
    expect(page.locator("#active-filters")).to_contain_text("Zhejiang")

    results.get_by_role("link", name=re.compile("Hangzhou-Hong Kong")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hangzhou-Hong Kong")

    citation = page.locator(".citation").first
    quote = citation.locator("blockquote, q").first.inner_text()
    citation.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/sources/[\w-]+/"))
    # The quote is highlighted in the article's text.
    highlighted = page.locator("mark").filter(has_text=quote.strip("“”\"' ")[:40])
    expect(highlighted).not_to_have_count(0)


def test_it_finds_an_organisation_by_its_acronym(any_page, live_server, seeded):
    page = any_page
    page.goto(f"{live_server.url}/")
    page.get_by_role("searchbox", name=re.compile("Search")).first.fill("HKPC")
    page.get_by_role("searchbox", name=re.compile("Search")).first.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=HKPC"))
    link = page.get_by_role("link", name=re.compile("Hong Kong Productivity Council"))
    expect(link.first).to_be_visible()
    link.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hong Kong Productivity Council")
