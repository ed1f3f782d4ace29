"""Django's PostgreSQL backend, with a health check that costs no round trip
while the connection is quiet.

CONN_HEALTH_CHECKS is what lets a worker's persistent connection survive a
database restart: before a request's first query Django runs `SELECT 1`, and
reconnects if it fails. That is a round trip on every request (0.11 ms of a
5 ms record page at 100,000 programmes). A server that ends a session sends
its reason and closes the socket, so the socket turns readable; an idle
session in autocommit is otherwise sent nothing (the site runs no LISTEN). A
socket with nothing to read is taken as healthy; one with something to read
gets Django's `SELECT 1`, which reads it and tells a closed session from a
notice.
"""

import select

from django.db.backends.postgresql import base

from directory.postgresql import arrays

arrays.register()


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and self.connection is not None
            and self.is_quiet()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def is_quiet(self):
        """True when the connection is open, idle and has nothing waiting to
        be read: no sign the server has ended the session."""
        connection = self.connection
        if connection.closed or not self.get_autocommit() or self.in_atomic_block:
            return False
        try:
            readable, _writable, _failed = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
