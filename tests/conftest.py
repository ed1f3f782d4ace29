import pytest
from django.core.management import call_command


def pytest_configure(config):
    # The suite talks plain HTTP to the test client and to the live server that
    # the browser visits. Middleware reads these once when it is built, so they
    # are set for the whole run here rather than per test. The production
    # values (HTTPS redirect, HSTS, secure cookies) are checked by
    # `manage.py check --deploy` in CI instead.
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(scope="session", autouse=True)
def collected_static(django_db_blocker):
    # Pages link static files through the manifest storage used in production,
    # so the suite collects them once, as a deployment would.
    call_command("collectstatic", interactive=False, verbosity=0)
