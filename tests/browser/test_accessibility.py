"""axe-core on every page kind, at phone and desktop widths, with screenshots."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_violations

LIST_PAGES = {
    "home": "/",
    "programme-list": "/programmes/?region=sichuan&sort=name",
    "organisation-list": "/organisations/?kind=statutory_body",
    "service-list": "/services/?help=intellectual-property-guidance",
    "event-list": "/events/?when=past",
    "search": "/search/?q=Hong+Kong",
}
DETAIL_LISTS = {
    "programme-detail": "/programmes/",
    "organisation-detail": "/organisations/",
    "service-detail": "/services/",
    "event-detail": "/events/?when=past",
}


def first_result_url(page, base_url, list_path):
    page.goto(base_url + list_path)
    link = page.locator("#results a").first
    expect(link).to_be_visible()
    return link.get_attribute("href")


def check(page, screenshot, name):
    violations = axe_violations(page)
    assert violations == [], f"{name}: " + "\n".join(violations)
    screenshot(page, f"{name}-{page.viewport_size['width']}")


@pytest.mark.parametrize("width", [375, 1280])
def test_it_has_no_axe_violations_on_any_page_kind(
    new_page, live_server, seeded, screenshot, width
):
    page = new_page(width=width)
    for name, path in LIST_PAGES.items():
        page.goto(live_server.url + path)
        check(page, screenshot, name)

    for name, list_path in DETAIL_LISTS.items():
        page.goto(live_server.url + first_result_url(page, live_server.url, list_path))
        check(page, screenshot, name)

    # A source page, reached from a citation on a programme.
    page.goto(live_server.url + first_result_url(page, live_server.url, "/programmes/"))
    page.locator(".citation a").first.click()
    check(page, screenshot, "source")


def test_pages_fit_a_360px_phone_without_sideways_scrolling(new_page, live_server, seeded):
    page = new_page(width=360)
    for path in LIST_PAGES.values():
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
