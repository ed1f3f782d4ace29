"""Prepared queries as PostgreSQL prepared statements (directory/prepared.py):
outside a transaction a page's fixed queries run as EXECUTE, each record
still getting its own rows; a session that lost them, or a new one, prepares
them again; inside a transaction, or with PREPARED_STATEMENTS off, the SQL
runs as before."""

import pytest
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Value, When
from django.test.utils import CaptureQueriesContext

from directory.prepared import prepared
from programmes.models import Service
from tests import factories as f

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def programmes(settings):
    settings.DIRECTORY_CACHING = False
    council = f.organisation("Hong Kong Productivity Council")
    return [
        f.programme("Cradle landing programme", organisations=[council]),
        f.programme("SmartHK matching", organisations=[council]),
    ]


def visit(client, record):
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(record.get_absolute_url())
    assert answer.status_code == 200
    assert f"<h1>{record.name}</h1>" in answer.content.decode()
    return [q["sql"] for q in queries.captured_queries]


def executed(sql):
    return [s for s in sql if s.startswith("EXECUTE directory_prepared_")]


def prepared_now(sql):
    return [s for s in sql if s.startswith("PREPARE directory_prepared_")]


def test_record_pages_run_their_queries_as_statements_prepared_once(client, programmes):
    first, second = programmes
    visit(client, first)
    again = visit(client, first)
    other = visit(client, second)
    assert executed(again) and executed(other)
    assert not prepared_now(again) and not prepared_now(other)


def test_a_lost_statement_or_a_new_session_is_prepared_again(client, programmes):
    first, second = programmes
    visit(client, first)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as a pooler's DISCARD ALL would
    after_loss = visit(client, second)
    assert executed(after_loss) and prepared_now(after_loss)
    connection.close()
    new_session = visit(client, first)
    assert executed(new_session) and prepared_now(new_session)


def test_a_statement_whose_columns_changed_type_is_prepared_again(client, programmes):
    """A migration runs while the servers started before it still serve:
    PostgreSQL then refuses a statement prepared for the old column types
    ("cached plan must not change result type") until it is prepared again."""
    first, second = programmes
    visit(client, first)
    alter = "ALTER TABLE programmes_programme ALTER COLUMN name TYPE varchar(%s)"
    with connection.cursor() as cursor:
        cursor.execute(alter % 401)
    try:
        after_migration = visit(client, second)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(alter % 400)
    assert executed(after_migration) and prepared_now(after_migration)


def test_inside_a_transaction_or_when_turned_off_the_sql_runs_as_before(
    client, programmes, settings
):
    first, _second = programmes
    visit(client, first)
    with transaction.atomic():
        assert not executed(visit(client, first))
    settings.PREPARED_STATEMENTS = False
    assert not executed(visit(client, first))


def test_numbers_in_the_sql_stay_numbers(programmes):
    """A parameter PREPARE is not told the type of is taken as text: a CASE
    of 9 and 10 would then sort "10" before "9". Typed from the values the
    statement was compiled with, it sorts as the ORM does."""
    first, second = programmes
    f.service("Patent advice", programme=first)
    f.service("Market study", programme=second)

    @prepared
    def ranked(name):
        rank = Case(When(name=name, then=Value(10)), default=Value(9), output_field=IntegerField())
        return (
            Service.objects.annotate(rank=rank)
            .order_by("rank", "name")
            .values_list("name", flat=True)
        )

    ranked("Patent advice")
    with CaptureQueriesContext(connection) as queries:
        assert ranked("Patent advice") == ["Market study", "Patent advice"]
        assert ranked("Market study") == ["Patent advice", "Market study"]
    assert len(executed([q["sql"] for q in queries.captured_queries])) == 2
