"""What the pages look like: every page kind at phone and desktop widths in
the three languages (screenshots for people to look at), no sideways
scrolling at 320px, results within the first screen of a phone, and the
list controls that must not surprise a keyboard user."""

import re

import pytest
from playwright.sync_api import expect

from directory.models import SourceArticle
from programmes.models import Event, Programme, Service

LANGUAGES = {"en": "", "zh-hans": "/zh-hans", "zh-hant": "/zh-hant"}
WIDTHS = [320, 390, 1280]
PHONE = {"width": 390, "height": 844}


def page_kinds():
    """One page of every kind, by name; details are the first published record."""
    programme = Programme.objects.published().order_by("name").first()
    event = Event.objects.published().order_by("name").first()
    return {
        "home": "/",
        "start": "/start/",
        "programme-list": "/programmes/?region=sichuan",
        "organisation-list": "/organisations/",
        "service-list": "/services/",
        "event-list": "/events/?when=past",
        "search": "/search/?q=Hong+Kong",
        "programme-detail": programme.get_absolute_url(),
        "organisation-detail": programme.organisations.order_by("name").first().get_absolute_url(),
        "service-detail": Service.objects.published().order_by("name").first().get_absolute_url(),
        "event-detail": event.get_absolute_url(),
        "source": SourceArticle.objects.order_by("pk").first().get_absolute_url(),
        "enquiry": f"/ask/programme/{programme.slug}/",
        "about": "/about/",
        "contact": "/contact/",
        "privacy": "/privacy/",
        "accessibility": "/accessibility/",
        "not-found": "/programmes/no-such-programme/",
    }


def localised(prefix, path):
    # Detail URLs come from reverse() in English; the Chinese pages add a prefix.
    return prefix + path


def sideways_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_kind_reflows_at_320px_and_is_photographed(
    new_page, live_server, seeded, screenshot, language
):
    kinds = page_kinds()
    overflowing = []
    for width in WIDTHS:
        page = new_page(width=width)
        for name, path in kinds.items():
            page.goto(live_server.url + localised(LANGUAGES[language], path))
            screenshot(page, f"{name}-{language}-{width}")
            if width == 320 and sideways_overflow(page) > 0:
                overflowing.append(f"{name} by {sideways_overflow(page)}px")
        page.context.close()
    assert overflowing == [], f"{language} scrolls sideways at 320px: {overflowing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_first_programme_is_on_the_first_screen_of_a_phone(
    new_page, live_server, seeded, language
):
    page = new_page(width=PHONE["width"])
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{LANGUAGES[language]}/programmes/")
    first = page.locator("#results > li").first
    expect(first).to_be_visible()
    top = first.bounding_box()["y"]
    assert top <= PHONE["height"], f"first result at y={top}"
    # The filters are folded behind a disclosure that says how many apply.
    assert page.locator("#filters-panel").get_attribute("open") is None


def test_the_filters_disclosure_counts_what_applies_and_works_without_javascript(
    new_page, live_server, seeded
):
    page = new_page(width=PHONE["width"], javascript=False)
    page.goto(f"{live_server.url}/programmes/?region=zhejiang&sector=biomedicine")
    summary = page.locator("#filters-panel > summary")
    expect(summary).to_have_text("Filters (2 applied)")
    expect(page.locator("#filters")).to_be_hidden()
    summary.click()
    expect(page.locator("#filters")).to_be_visible()
    page.locator("#filters").get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"region=zhejiang"))


def test_wide_screens_show_the_filters_beside_the_results(page, live_server, seeded):
    page.goto(f"{live_server.url}/programmes/")
    expect(page.locator("#filters")).to_be_visible()
    filters, results = (
        page.locator("#filters").bounding_box(),
        page.locator("#results").bounding_box(),
    )
    assert filters["x"] + filters["width"] <= results["x"]


def test_the_sort_waits_for_its_button_when_chosen_with_the_keyboard(page, live_server, seeded):
    page.goto(f"{live_server.url}/programmes/")
    url = page.url
    sort = page.locator("#filter-sort")
    sort.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)
    assert page.url == url, "an arrow key reloaded the page"
    chosen = sort.input_value()
    page.get_by_role("button", name="Sort", exact=True).click()
    expect(page).to_have_url(re.compile(rf"sort={chosen}"))


def test_applying_filters_moves_focus_to_the_result_count(page, live_server, seeded):
    page.goto(f"{live_server.url}/programmes/")
    filters = page.locator("#filters")
    filters.get_by_role("checkbox", name=re.compile(r"^Zhejiang")).check()
    filters.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"region=zhejiang.*#results-heading"))
    expect(page.locator("#results-heading")).to_be_focused()


def test_a_from_date_after_the_to_date_is_explained_not_silently_empty(page, live_server, seeded):
    page.goto(f"{live_server.url}/events/?from=2030-01-01&to=2020-01-01")
    expect(page.locator(".notice")).to_contain_text("was after the “to” date")
    expect(page.locator("#results > li").first).to_be_visible()
    expect(page.locator("#filter-from")).to_have_value("2020-01-01")
