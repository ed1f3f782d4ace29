"""A worker's persistent connection after the database ended its session (a
restart, an administrator's pg_terminate_backend): the next request's first
query gets a new session, not an error page. And a healthy connection is
checked without a round trip (directory/postgresql/base.py)."""

import pytest
from django.db import connection
from django.db.utils import OperationalError, load_backend

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's sessions"),
    pytest.mark.django_db,
]


@pytest.fixture
def worker_connection():
    """A connection as a worker holds it between requests: persistent, with
    health checks on, outside any transaction."""
    settings = {**connection.settings_dict, "CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True}
    worker = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, "default")
    worker.ensure_connection()
    yield worker
    worker.close()


def next_request(worker, sql):
    """What Django does around a request: the connection is kept or closed at
    its start, then the view runs its query."""
    worker.close_if_unusable_or_obsolete()
    with worker.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def backend_pid(worker):
    return worker.connection.info.backend_pid


def last_statement(pid):
    with connection.cursor() as cursor:
        # Statistics are read once per transaction unless cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def test_a_session_ended_by_the_server_is_replaced_before_the_next_query(worker_connection):
    ended = backend_pid(worker_connection)
    assert next_request(worker_connection, "SELECT 'first page'") == "first page"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [ended])

    assert next_request(worker_connection, "SELECT 'next page'") == "next page"
    assert backend_pid(worker_connection) != ended


def test_without_the_health_check_that_query_would_fail(worker_connection):
    """The situation above is real: the same cut, checks off, is an error."""
    # Read from the settings when the session starts; this one has started.
    worker_connection.health_check_enabled = False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [backend_pid(worker_connection)])
    with pytest.raises(OperationalError):
        next_request(worker_connection, "SELECT 'next page'")


def test_a_quiet_connection_is_checked_without_a_query(worker_connection):
    pid = backend_pid(worker_connection)
    next_request(worker_connection, "SELECT 'first page'")
    assert next_request(worker_connection, "SELECT 'next page'") == "next page"
    # The check ran (a new request), but sent nothing: the session's last
    # statement is the page's own, not a `SELECT 1` before it.
    worker_connection.close_if_unusable_or_obsolete()
    worker_connection.close_if_health_check_failed()
    assert worker_connection.health_check_done
    assert last_statement(pid) == "SELECT 'next page'"
    assert backend_pid(worker_connection) == pid
