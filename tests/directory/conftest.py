import pytest

from directory.caching import bump_content_version

# The staff users and the small set of records that admin, workflow and
# facet tests sign in as and edit.
from tests.support.admin import editor, publisher, records, superuser  # noqa: F401 (fixtures)


@pytest.fixture
def caching(settings, db):
    """The shared page cache on (tests/conftest.py turns it off), starting empty."""
    settings.DIRECTORY_CACHING = True
    bump_content_version()
