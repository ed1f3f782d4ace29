"""What one in-process rendering spends, and its raw-SQL floor (bench/in_process.py).

`Probe` records, while it is open, every SQL statement (its text, parameters
and time) and the page's template rendering (its time less the SQL run from
inside it, and the template, context and request it was given). `floor()`
then does only what the page could not do without: the same statements
through a plain cursor (rows fetched, nothing built from them) and the same
template rendered again from the same context, whose querysets already hold
their rows.
"""

import contextlib
import time

from django.db import connection
from django.template.backends.django import Template

# Statements the floor replays: reads only (a page that wrote would not be
# the same page twice).
# EXECUTE: a read prepared on the server (directory/prepared.py prepares
# querysets only).
READS = ("SELECT", "WITH", "(", "EXECUTE")


class Probe:
    def __init__(self):
        self.statements = []
        self.sql_seconds = 0.0
        self.template_seconds = 0.0
        self.rendered = None  # (template, context, request) of the outermost rendering
        self._depth = 0

    def _execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.sql_seconds += time.perf_counter() - started
            self.statements.append((sql, params, many))

    def _render(self, original):
        probe = self

        def render(template, context=None, request=None):
            if probe._depth:
                return original(template, context, request)
            if probe.rendered is None:
                probe.rendered = (template, context, request)
            probe._depth += 1
            sql_before, started = probe.sql_seconds, time.perf_counter()
            try:
                return original(template, context, request)
            finally:
                probe._depth -= 1
                spent = time.perf_counter() - started
                probe.template_seconds += spent - (probe.sql_seconds - sql_before)

        return render

    @contextlib.contextmanager
    def recording(self):
        original = Template.render
        Template.render = self._render(original)
        try:
            with connection.execute_wrapper(self._execute):
                yield self
        finally:
            Template.render = original

    @property
    def queries(self):
        return len(self.statements)


def floor(probe):
    """{"sql_ms", "template_ms", "template_queries"}: the captured reads run
    again through a plain cursor, and the captured template rendered again
    with its context (any query that rendering still runs is counted and
    timed in it)."""
    reads = [
        (sql, params)
        for sql, params, many in probe.statements
        if not many and sql.lstrip().upper().startswith(READS)
    ]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params in reads:
            cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()
    sql_seconds = time.perf_counter() - started
    template_seconds, template_queries = 0.0, 0
    if probe.rendered is not None:
        template, context, request = probe.rendered
        again = Probe()
        with connection.execute_wrapper(again._execute):
            started = time.perf_counter()
            template.render(context, request)
            template_seconds = time.perf_counter() - started
        template_queries = again.queries
    return {
        "sql_ms": sql_seconds * 1000,
        "template_ms": template_seconds * 1000,
        "template_queries": template_queries,
    }
