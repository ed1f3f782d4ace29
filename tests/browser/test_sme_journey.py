"""A Wuxi AI start-up, reading Simplified Chinese on a 390 px phone, finds the
Cradle through the guided start and asks about it; staff see the enquiry in
the admin. axe-core checks every page on the way."""

import re

from playwright.sync_api import expect

from directory.models import Enquiry
from tests.browser.axe import axe_violations
from tests.support.admin import PASSWORD, staff_user

CRADLE = "cradle-going-global-service-centre"


def accessible(page, screenshot, name):
    violations = axe_violations(page)
    assert violations == [], f"{name}: " + "\n".join(violations)
    screenshot(page, f"journey-{name}-390")


def test_a_wuxi_ai_start_up_reaches_the_cradle_and_asks_about_it(
    new_page, live_server, seeded, screenshot
):
    page = new_page(width=390, locale="zh-CN")
    page.goto(f"{live_server.url}/zh-hans/start/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    accessible(page, screenshot, "start-step-1")

    # Step 1: where the company is registered (Wuxi, a city of Jiangsu).
    page.locator("#start-regions").get_by_role("link", name="无锡", exact=True).click()
    expect(page.locator("#start-step")).to_contain_text("2")
    accessible(page, screenshot, "start-step-2")

    # Step 2: its sector.
    page.locator("#start-sectors").get_by_role("link", name="人工智能").click()
    expect(page.locator("#start-step")).to_contain_text("3")
    accessible(page, screenshot, "start-step-3")

    # Step 3: anything that fits, ranked best fit first.
    page.locator("#start-helps").get_by_role("link", name="显示所有合适的项目").click()
    expect(page).to_have_url(re.compile(r"/zh-hans/programmes/\?.*region=wuxi"))
    assert "sort=fit" in page.url and "sector=artificial-intelligence" in page.url
    cradle = page.locator("#results > li").filter(has=page.locator(f'a[href$="/{CRADLE}/"]'))
    expect(cradle).to_have_count(1)
    # Why it matches: open to mainland firms (Wuxi is not among its places).
    expect(cradle.locator(".reasons")).to_contain_text("内地")

    cradle.locator(f'a[href$="/{CRADLE}/"]').first.click()
    expect(page).to_have_url(re.compile(rf"/zh-hans/programmes/{CRADLE}/$"))
    facts = page.locator(".key-facts")
    expect(facts).to_contain_text("负责机构")  # Runs it
    expect(facts).to_contain_text("服务对象")  # For whom
    # Status as of the article's own date, a dateline without a year, in Chinese.
    expect(facts).to_contain_text("4月21日")
    expect(facts).not_to_contain_text("April")
    # A numbered reference leads to its source, whose quote opens on demand.
    facts.locator("a.ref").first.click()
    expect(page).to_have_url(re.compile(r"#ref-\d+$"))
    reference = page.locator(".references li:target")
    expect(reference.locator("blockquote")).to_be_hidden()
    reference.locator("summary").click()
    expect(reference.locator("blockquote")).to_be_visible()
    accessible(page, screenshot, "cradle")

    facts.get_by_role("link", name="查询此项").click()
    expect(page).to_have_url(re.compile(rf"/zh-hans/ask/programme/{CRADLE}/$"))
    accessible(page, screenshot, "ask-form")
    page.locator("#id_name").fill("王芳")
    page.locator("#id_email").fill("wang.fang@example.com")
    page.locator("#id_company").fill("无锡智算科技有限公司")
    page.locator("#id_message").fill("我们是无锡的人工智能初创企业，想了解如何申请知识产权指导。")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="发送").click()
    expect(page.locator("#enquiry-sent")).to_be_visible()
    accessible(page, screenshot, "ask-sent")

    enquiry = Enquiry.objects.get()
    assert enquiry.company == "无锡智算科技有限公司"
    assert enquiry.record.slug == CRADLE

    # A staff member finds it in the admin.
    staff_user("council-editor", group="Editor")
    admin = new_page(width=1280)
    admin.goto(f"{live_server.url}/admin/directory/enquiry/")
    admin.locator("#id_username").fill("council-editor")
    admin.locator("#id_password").fill(PASSWORD)
    admin.locator("#id_password").press("Enter")
    expect(admin).to_have_url(re.compile(r"/admin/directory/enquiry/$"))
    expect(admin.locator("#result_list")).to_contain_text("wang.fang@example.com")
    admin.locator("#result_list tbody a").first.click()
    expect(admin.locator("body")).to_contain_text("无锡智算科技有限公司")


def test_record_pages_have_no_axe_violations_in_chinese_at_390px(
    new_page, live_server, seeded, screenshot
):
    page = new_page(width=390, locale="zh-CN")
    for kind, slug in (
        ("programmes", CRADLE),
        ("programmes", "smarthk"),
        ("services", "cradle-government-funding-consultations"),
        ("events", "smarthk-2020-sichuan"),
        ("events", "beijing-delegation-to-innoex"),
        ("organisations", "the-cradle"),
    ):
        page.goto(f"{live_server.url}/zh-hans/{kind}/{slug}/")
        expect(page.locator(".key-facts")).to_be_visible()
        page.locator(".references summary").first.click()
        accessible(page, screenshot, f"record-{kind}-{slug}")
    page.goto(f"{live_server.url}/zh-hans/events/?when=undated")
    accessible(page, screenshot, "events-undated")
