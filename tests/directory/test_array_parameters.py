"""Lists of ids go to PostgreSQL as the text of one typed array
(directory/postgresql/arrays.py), and come back and match as before."""

import pytest
from django.db import connection

from programmes.models import Programme
from tests.factories import programme

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg2's adaptation"),
    pytest.mark.django_db,
]


def round_trip(value):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s", [value])
        return cursor.fetchone()[0]


def sent(value):
    with connection.cursor() as cursor:
        return cursor.mogrify("SELECT %s", [value]).decode()


def test_ids_are_one_typed_literal_the_server_reads_in_one_pass():
    ids = list(range(1, 1001))
    assert sent(ids) == "SELECT '{" + ",".join(map(str, ids)) + "}'::bigint[]"
    assert round_trip(ids) == ids


def test_any_integer_comes_back_as_it_went():
    ids = [-(2**63), -1, 0, 2**31, 2**63 - 1]
    assert round_trip(ids) == ids


@pytest.mark.parametrize(
    "value",
    [["a", "it's", "{b,c}", 'say "x"', "back\\slash"], [1, None], [True, False], [1, 2**70]],
    ids=["texts", "with a null", "booleans", "beyond bigint"],
)
def test_other_lists_are_adapted_as_before(value):
    assert "::bigint[]" not in sent(value)
    assert round_trip(value) == value


def test_an_empty_list_is_sent_as_before():
    assert sent([]) == "SELECT '{}'"


def test_records_are_matched_by_a_list_of_their_ids():
    first, second, third = (programme(f"Programme {n}") for n in range(3))
    matched = Programme.objects.filter(pk__any_of=[first.pk, third.pk]).order_by("pk")
    assert [p.name for p in matched] == ["Programme 0", "Programme 2"]
