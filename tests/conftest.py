import pytest
from django.conf import settings
from django.utils import translation


def pytest_configure(config):
    # Set for the whole run, because middleware reads settings once when it is
    # built (by the test client and by the live server the browser visits).
    # Plain HTTP: the production HTTPS redirect, HSTS and secure-only cookies
    # are checked by `manage.py check --deploy` in CI instead.
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # Static files straight from the source folders, as `runserver` serves them;
    # CI runs `collectstatic` with the production storage separately.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    # Tests change records inside transactions that never commit, so the page
    # cache (invalidated on commit) would serve pages from before the change.
    # tests/test_page_cache.py turns it on where it is the subject.
    settings.DIRECTORY_CACHING = False
    # WhiteNoise warns on every request when STATIC_ROOT does not exist yet.
    settings.STATIC_ROOT.mkdir(exist_ok=True)


@pytest.fixture(autouse=True)
def english_afterwards():
    # A request to a Chinese page switches the thread's language; without this
    # the next test's reverse() would build Chinese URLs.
    yield
    translation.activate(settings.LANGUAGE_CODE)
