import pytest
from django.core.management import call_command


@pytest.fixture(scope="session", autouse=True)
def collected_static(django_db_blocker):
    # Pages link static files through the manifest storage used in production,
    # so the suite collects them once, as a deployment would.
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def plain_http(settings):
    # The suite talks plain HTTP to the test client and the live server; the
    # production redirect to HTTPS and secure-only cookies are checked by
    # `manage.py check --deploy` in CI instead.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
