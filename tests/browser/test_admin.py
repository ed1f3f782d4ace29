"""The admin in a real browser: axe on every page an editor works in, signed in
as a superuser and as an Editor; changelists that fit a 1280 px screen; the
export page's "Select all" under the strict CSP."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.axe import axe_violations
from tests.support.admin import ADMIN_MODELS, PASSWORD, admin_url, an_enquiry, staff_user


def sign_in(page, base_url, username):
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_contain_text("Cross-border innovation directory")


def admin_pages(model):
    """The changelist, add and change form of a model (enquiries come from the
    public site only, so they have no add form)."""
    pages = [("changelist", admin_url(model, "changelist"))]
    if model._meta.model_name != "enquiry":
        pages.append(("add", admin_url(model, "add")))
    record = model._default_manager.order_by("pk").first()
    pages.append(("change", admin_url(model, "change", record.pk)))
    return pages


@pytest.fixture
def staff(seeded):
    from django.contrib.contenttypes.models import ContentType

    from directory.models import Organisation, PendingSearchText, StaffConfirmation

    users = {"root": staff_user("root", superuser=True), "editor": staff_user("editor", "Editor")}
    organisation = Organisation.objects.order_by("pk").first()
    # Every admin list has a row, so each change form is visited too.
    StaffConfirmation.objects.create(
        record=organisation,
        confirmed_by=users["root"],
        confirmed_with="Its press office",
        note="Opening hours",
    )
    # A rename's search text still to redo: its note on the admin's front page.
    PendingSearchText.objects.create(
        content_type=ContentType.objects.get_for_model(Organisation), object_id=organisation.pk
    )
    an_enquiry(
        organisation,
        name="Someone with a long name",
        email="someone.with.a.long.address@example-robotics.example.com",
        company="Example Robotics Co., Ltd.",
    )
    return users


# Every autocomplete picker drawn (those of an inline's blank template row
# are drawn when a row is added). Waiting for the network to idle instead
# cost half a second a page.
SELECT2_DRAWN = """() => document.querySelectorAll(
  'select.admin-autocomplete:not(.select2-hidden-accessible):not([name*="__prefix__"])'
).length === 0"""


@pytest.mark.parametrize("username", ["root", "editor"])
def test_the_admin_pages_have_no_axe_violations(new_page, live_server, staff, screenshot, username):
    page = new_page(width=1280)
    sign_in(page, live_server.url, username)
    problems = []
    visited = 0
    page.goto(live_server.url + reverse("admin:index"))
    problems += [f"index: {v}" for v in axe_violations(page)]
    screenshot(page, f"admin-index-{username}-1280")
    for model in ADMIN_MODELS:
        for view, url in admin_pages(model):
            response = page.goto(live_server.url + url)
            assert response.ok, url
            visited += 1
            # Select2 draws its pickers after load; the labels follow it.
            page.wait_for_function(SELECT2_DRAWN)
            problems += [f"{url}: {v}" for v in axe_violations(page)]
            if view == "changelist" or model._meta.model_name == "programme":
                screenshot(page, f"admin-{model._meta.model_name}-{view}-{username}-1280")
    assert visited == 3 * len(ADMIN_MODELS) - 1
    assert problems == [], "\n".join(problems)


# The table against the box it sits in: wider means the last columns are
# off-screen behind a sideways scroll.
TABLE_AND_BOX = """() => {
  const table = document.querySelector('#result_list');
  const box = document.querySelector('#changelist-form .results');
  return [table.getBoundingClientRect().width, box.clientWidth,
          document.documentElement.scrollWidth - window.innerWidth];
}"""


def test_every_changelist_fits_a_1280px_screen(new_page, live_server, staff):
    page = new_page(width=1280)
    sign_in(page, live_server.url, "root")
    widths = {}
    for model in ADMIN_MODELS:
        page.goto(live_server.url + admin_url(model, "changelist"))
        table, box, page_overflow = page.evaluate(TABLE_AND_BOX)
        widths[model.__name__] = (round(table), box)
        assert table <= box, f"{model.__name__}: table {table:.0f}px in a {box}px box"
        assert page_overflow <= 0, f"{model.__name__}: the page scrolls sideways"
    print(widths)


def test_the_programme_list_shows_status_and_dates_without_scrolling(new_page, live_server, staff):
    page = new_page(width=1280)
    sign_in(page, live_server.url, "editor")
    page.goto(live_server.url + admin_url(admin_model("programme"), "changelist"))
    for header in ("Publication status", "Last verified", "Updated", "Translations"):
        cell = page.locator("#result_list thead th", has_text=header)
        expect(cell).to_be_in_viewport()
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= 1280, header
    label = page.locator("#result_list .status-label").first
    expect(label).to_have_text("Published")


def admin_model(name):
    return next(model for model in ADMIN_MODELS if model._meta.model_name == name)


def test_select_all_on_the_export_page_ticks_and_clears_every_field(new_page, live_server, staff):
    page = new_page(width=1280)
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    sign_in(page, live_server.url, "editor")
    page.goto(live_server.url + admin_url(admin_model("programme"), "export"))
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]:visible')
    assert fields.count() > 5
    select_all = page.get_by_label("Select all")

    select_all.uncheck()
    assert [fields.nth(i).is_checked() for i in range(fields.count())] == [False] * fields.count()
    select_all.check()
    assert all(fields.nth(i).is_checked() for i in range(fields.count()))
    assert not [m for m in messages if "Content Security Policy" in m], messages
    assert axe_violations(page) == []


def test_without_javascript_the_export_page_hides_select_all_and_exports_every_field(
    new_page, live_server, staff
):
    page = new_page(width=1280, javascript=False)
    sign_in(page, live_server.url, "editor")
    page.goto(live_server.url + admin_url(admin_model("programme"), "export"))
    expect(page.get_by_label("Select all")).to_be_hidden()
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]')
    assert fields.count() > 5
    assert all(fields.nth(i).is_checked() for i in range(fields.count()))


def test_a_refused_restore_shows_the_comparison_without_axe_violations(
    new_page, live_server, staff, screenshot
):
    """A restore from history opened before someone else's save is refused
    with the field-by-field comparison, which passes axe like the forms."""
    from programmes.models import Programme

    programme = Programme.objects.order_by("pk").first()
    earliest = programme.history.order_by("history_date").first()
    page = new_page(width=1280)
    sign_in(page, live_server.url, "root")
    page.goto(
        live_server.url
        + reverse(
            "admin:programmes_programme_simple_history", args=[programme.pk, earliest.history_id]
        )
    )
    # Someone else saves the record meanwhile.
    Programme.objects.filter(pk=programme.pk).update(summary="Changed by someone else")
    page.locator("input[type=submit][name=_save]").click()

    expect(page.locator(".errorlist")).to_contain_text("Someone else saved this record")
    comparison = page.locator("#edit-conflict")
    expect(comparison).to_contain_text("Changed by someone else")
    screenshot(page, "admin-programme-restore-refused-1280")
    assert axe_violations(page) == []
    programme.refresh_from_db()
    assert programme.summary == "Changed by someone else"
