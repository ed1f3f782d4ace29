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
    "start": "/start/",
    "about": "/about/",
    "contact": "/contact/",
    "privacy": "/privacy/",
    "accessibility": "/accessibility/",
    # Contradictory dates: the page explains what it did.
    "event-list-dates-swapped": "/events/?from=2030-01-01&to=2020-01-01",
    "empty-list": "/programmes/?q=zzzzzz",
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

    # The enquiry form of a programme, empty and with its error messages.
    detail = first_result_url(page, live_server.url, "/programmes/")
    page.goto(live_server.url + detail.replace("/programmes/", "/ask/programme/"))
    check(page, screenshot, "enquiry")
    page.get_by_role("button", name="Send").click()
    check(page, screenshot, "enquiry-errors")

    # A list with its filters unfolded (on a phone they start folded).
    page.goto(live_server.url + "/programmes/?region=sichuan")
    summary = page.locator("#filters-panel > summary")
    if page.locator("#filters-panel").get_attribute("open") is None:
        summary.click()
    check(page, screenshot, "programme-list-filters-open")

    # A source page, reached from a citation on a programme.
    page.goto(live_server.url + first_result_url(page, live_server.url, "/programmes/"))
    page.locator(".citation a").first.click()
    check(page, screenshot, "source")


@pytest.mark.parametrize("prefix", ["/zh-hans", "/zh-hant"])
def test_the_chinese_pages_have_no_axe_violations(
    new_page, live_server, seeded, screenshot, prefix
):
    page = new_page(width=375)
    for name in ("home", "programme-list", "event-list", "search", "about", "privacy"):
        page.goto(live_server.url + prefix + LIST_PAGES[name])
        check(page, screenshot, f"{name}{prefix.replace('/', '-')}")
    page.goto(live_server.url + prefix + first_result_url(page, live_server.url, "/programmes/"))
    check(page, screenshot, f"programme-detail{prefix.replace('/', '-')}")


def test_pages_fit_a_360px_phone_without_sideways_scrolling(new_page, live_server, seeded):
    page = new_page(width=360)
    for path in LIST_PAGES.values():
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
