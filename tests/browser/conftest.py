"""Real-browser tests: Playwright driving the system's Chromium.

Playwright's sync API runs an event loop in the test thread; Django refuses
ORM calls from a thread with a running loop unless told this is safe, which it
is here because the loop only talks to the browser.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
# Without these flags Chromium reaches out to Google's services at start-up.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (install Debian's chromium package)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _new_page(browser, *, javascript=True, width=1280, locale="en-GB"):
    context = browser.new_context(
        java_script_enabled=javascript,
        viewport={"width": width, "height": 900},
        locale=locale,
    )
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def page(browser):
    page = _new_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def page_without_js(browser):
    page = _new_page(browser, javascript=False)
    yield page
    page.context.close()


@pytest.fixture
def new_page(browser):
    """A factory for pages with other settings (width, JavaScript, language)."""
    pages = []

    def make(**kwargs):
        made = _new_page(browser, **kwargs)
        pages.append(made)
        return made

    yield make
    for made in pages:
        made.context.close()


@pytest.fixture(autouse=True)
def migration_data_restored(django_db_serialized_rollback):
    # A live server needs committed data, so every browser test flushes the
    # database afterwards. The serialized rollback keeps a copy of what
    # migrations created (content types, the Editor and Publisher groups),
    # which tests/conftest.py puts back after each flush.
    pass


@pytest.fixture
def seeded(transactional_db):
    call_command("load_seeds", verbosity=0)


@pytest.fixture
def screenshot():
    """Saves a full-page screenshot under screenshots/ for people to look at;
    SCREENSHOTS=0 skips them (CI keeps one database's set, not two)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    wanted = os.environ.get("SCREENSHOTS", "1") != "0"

    def take(page, name):
        if wanted:
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take
