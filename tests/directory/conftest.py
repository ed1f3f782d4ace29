# The staff users and the small set of records that admin, workflow and
# facet tests sign in as and edit.
from tests.support.admin import editor, publisher, records, superuser  # noqa: F401 (fixtures)
