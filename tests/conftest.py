import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation
from pytest_django.plugin import blocking_manager_key


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
    # tests/directory/caching/test_page_cache.py turns it on where it is the subject.
    settings.DIRECTORY_CACHING = False
    # A fast hasher, as Django's testing docs advise: the default's hundreds
    # of thousands of iterations cost a third of a second per staff user made
    # or signed in, most of the admin tests' set-up. Production keeps it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # WhiteNoise warns on every request when STATIC_ROOT does not exist yet.
    settings.STATIC_ROOT.mkdir(exist_ok=True)


@pytest.fixture(autouse=True)
def english_afterwards():
    # A request to a Chinese page switches the thread's language; without this
    # the next test's reverse() would build Chinese URLs.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def restores_data(item):
    marker = item.get_closest_marker("django_db")
    return bool(
        (marker is not None and marker.kwargs.get("serialized_rollback"))
        or "django_db_serialized_rollback" in getattr(item, "fixturenames", ())
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put back what migrations created once a transactional test's flush has
    emptied every table.

    Django's serialized rollback restores that data at the *start* of the test
    that asks for it, and the flush at its end empties the tables again, content
    types and the Editor and Publisher groups included. A test that runs after it
    on the same process would then find no groups, and would write citations
    under content-type ids that this process has cached but the table lost.
    """
    result = yield
    marker = item.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )
    contents = getattr(connection, "_test_serialized_contents", None)
    # With no next test, the teardown has dropped the test database already;
    # a next test with serialized rollback puts the data back itself.
    if transactional and contents and nextitem is not None and not restores_data(nextitem):
        from django.contrib.contenttypes.models import ContentType

        with item.config.stash[blocking_manager_key].unblock():
            if not ContentType.objects.exists():
                connection.creation.deserialize_db_from_string(contents)
                ContentType.objects.clear_cache()
    return result


@pytest.fixture(scope="module")
def seeds_for_the_module(django_db_setup, django_db_blocker):
    """The seed articles loaded once for a module, inside a transaction that
    is rolled back when the module ends (as Django's TestCase.setUpTestData
    does). Each test still runs in a transaction of its own within it, so
    what one test changes the next does not see. Loading the seeds takes
    about two seconds; once per test it was over a minute of every run."""
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seeds", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeds_for_the_module, db):
    """The seeds, for a test in a module whose tests all use them (a test of
    the same module that did not ask for them would still find them)."""
