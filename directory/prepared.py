"""Querysets compiled once, then run again and again with new values.

A record page runs the same few queries for every record, only the record's
slug or id differs. Building a queryset (filter, select_related, annotate…)
and compiling it to SQL is Django's work in Python, a millisecond or more for
a query that joins a hundred columns: on a cold record page it was more time
than the database took (bench/in_process.py). `prepared(build)` builds and
compiles `build(*values)` once per database connection (connections are per
thread) and page language, and after that only swaps the values into the
compiled statement's parameters and turns the rows into results exactly as
the queryset would (the same compiler: same columns, converters, deferred
fields, joined records and annotations).

`build` must return the same SQL for any values, the values only filling
parameters: keyword arguments (`shape`) are for what changes the SQL (a staff
reader who also sees drafts), and they are part of the key, as the active
language is (translated columns, in-language ordering). Nothing else a build
reads may change while the process runs (no dates: pass today as a value).

Where that cannot be checked, the query is not prepared and runs through the
ORM every time: the statement is compiled with two sets of stand-in values
and kept only if the two differ exactly where the stand-ins are (a value
turned into something else, or changing the SQL, is not substitutable). A
value the stand-ins do not stand for (None, an integer outside 32 bits, a
type other than int, str, date and a list of ints or of texts) runs through
the ORM for that call. A list is a value only where it is one array
parameter (`any_of` on PostgreSQL); on SQLite it is a placeholder per item,
which changes the SQL, so it runs through the ORM there.

On PostgreSQL the statement is also prepared on the server (PREPARE, once
per database session): each run is then an EXECUTE with the values, which
the server neither parses nor plans again. Planning was most of a record
page's database time: its five queries each ran in 0.03 to 0.16 ms after
0.14 to 0.38 ms of planning. Its parameters are typed from the values the
statement was compiled with (an untyped one would be taken as text: a
CASE of numbers would sort as text). A search's statements are planned for
each query's own words (`planned_each_time`): a plan made once for any
words could be far from the best one for common words. Inside a
transaction the statement runs as before (a failed PREPARE would abort the
transaction); `PREPARED_STATEMENTS = False` turns server-side statements
off, for a connection pooler that shares sessions between clients.
"""

import datetime
import itertools
import threading
from decimal import Decimal

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import translation

# Two stand-ins per value position, per type: in 32-bit range (an integer
# out of its column's range compiles to "matches nothing", no parameter) and
# unlike any real value. A text stand-in has spaces around it, capitals and
# a full-width letter: a build that strips, lowers, case-folds or normalises
# a value (which it must not) changes it, so it is found not substitutable,
# rather than being given the raw value where it meant the changed one.
_INT_BASE = (1_900_000_001, 1_950_000_001)
_STR_BASE = (" \uff30Prepared\ue000A", " \uff30Prepared\ue000B")
_INT_RANGE = (-(2**31), 2**31 - 1)
_DATE_YEARS = (2900, 2950)


# The kinds of lists a value can be: of ids, of texts.
IDS, TEXTS = "ids", "texts"


def _kind(value):
    if type(value) is list:
        return IDS if all(type(item) is int for item in value) else TEXTS
    return type(value)


def _stand_in(kind, position, which):
    # A list is an array parameter on PostgreSQL (`any_of`).
    if kind == IDS:
        return [_INT_BASE[which] + position]
    if kind == TEXTS:
        return [f"{_STR_BASE[which]}{position} "]
    if kind is int:
        return _INT_BASE[which] + position
    if kind is datetime.date:
        return datetime.date(_DATE_YEARS[which] + position, 1, 1)
    return f"{_STR_BASE[which]}{position} "


def _stand_ins(types, which):
    """Stand-ins of `types` (int, str, date, IDS or TEXTS), one per value position."""
    return [_stand_in(kind, position, which) for position, kind in enumerate(types)]


def _substitutable(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return _INT_RANGE[0] <= value <= _INT_RANGE[1]
    if type(value) is list:
        return all(type(item) is int for item in value) or all(type(item) is str for item in value)
    return isinstance(value, str) or type(value) is datetime.date


class _Compiled:
    """One compiled statement: its SQL, parameters (with the positions the
    values go to) and the compiler that turns its rows into results."""

    def __init__(self, queryset, sql, params, slots, compiler, on_server):
        self.queryset = queryset
        self.sql = sql
        self.params = list(params)
        self.slots = slots  # [(parameter index, value index, conversion or None)]
        self.compiler = compiler
        compiler.as_sql = self._as_sql
        compiler.get_converters = self._converters(compiler.get_converters)
        queryset.query.get_compiler = self._get_compiler
        self._current = None
        self._current_sql = sql
        self.statement = _ServerStatement.of(sql, params) if on_server else None

    def _as_sql(self, *args, **kwargs):
        return self._current_sql, self._current

    @staticmethod
    def _converters(find):
        """The compiler's `get_converters`, worked out once per set of
        columns: the same on every run (5% of a record page's time)."""
        found = {}

        def converters(expressions):
            # The compiled statement's own column objects: alive, and so
            # their ids unique, as long as the compiler is.
            key = tuple(id(expression) for expression in expressions)
            if key not in found:
                found[key] = find(expressions)
            return found[key]

        return converters

    def _get_compiler(self, *args, **kwargs):
        return self.compiler

    def run(self, values, connection):
        params = list(self.params)
        for index, position, convert in self.slots:
            params[index] = convert(values[position]) if convert else values[position]
        self._current = tuple(params)
        statement = self.statement
        try:
            if statement and statement.usable_on(connection):
                self._current_sql = statement.execute_sql
                try:
                    return self._results()
                except DatabaseError as error:
                    if not statement.was_lost(error, connection):
                        raise
                # The session lost it (DISCARD ALL, a new connection) or its
                # columns changed type: once more.
                if statement.usable_on(connection):
                    return self._results()
            self._current_sql = self.sql
            return self._results()
        finally:
            self._current, self._current_sql = None, self.sql

    def _results(self):
        return list(self.queryset._iterable_class(self.queryset))


def _server_type(param):
    """PostgreSQL's type for a parameter of a server-side statement, by the
    value it was compiled with (choices are str or int subclasses); None
    for any other."""
    if isinstance(param, bool):
        return "boolean"
    if isinstance(param, int):
        return "bigint"
    if isinstance(param, float):
        return "double precision"
    if isinstance(param, Decimal):
        return "numeric"
    if isinstance(param, str):
        return "text"
    if isinstance(param, datetime.datetime):
        return "timestamp with time zone" if param.tzinfo else None
    if isinstance(param, datetime.date):
        return "date"
    if type(param) is list and _substitutable(param):
        return {IDS: "bigint[]", TEXTS: "text[]"}[_kind(param)]
    return None


_names = itertools.count(1)


class _Sessions(threading.local):
    """The statements prepared in this thread's database session: the raw
    connection they were prepared on (a new one has none) and their names."""

    raw = None
    names = frozenset()


_sessions = _Sessions()


class _ServerStatement:
    """A compiled statement as a PostgreSQL prepared statement."""

    def __init__(self, name, types, body):
        self.name = name
        if types:
            self.prepare_sql = f"PREPARE {name} ({', '.join(types)}) AS {body}"
            self.execute_sql = f"EXECUTE {name}({', '.join(['%s'] * len(types))})"
        else:
            self.prepare_sql = f"PREPARE {name} AS {body}"
            self.execute_sql = f"EXECUTE {name}"
        self.failed = False

    @classmethod
    def of(cls, sql, params):
        """None when a parameter has no known type (None, an unknown type),
        or when the statement is not one PREPARE takes."""
        types = [_server_type(param) for param in params]
        if None in types:
            return None
        body = _numbered(sql)
        if body is None or len(types) != body[1]:
            return None
        return cls(f"directory_prepared_{next(_names)}", types, body[0])

    def usable_on(self, connection):
        """Whether to run it as EXECUTE: prepared in this session (now, if
        not yet), and not inside a transaction (see the module's docstring)."""
        if (
            self.failed
            or connection.vendor != "postgresql"
            or connection.in_atomic_block
            or not settings.PREPARED_STATEMENTS
        ):
            return False
        connection.ensure_connection()
        if _sessions.raw is not connection.connection:
            _sessions.raw, _sessions.names = connection.connection, frozenset()
        if self.name in _sessions.names:
            return True
        try:
            with connection.cursor() as cursor:
                cursor.execute(self.prepare_sql)
        except DatabaseError:
            # Outside a transaction: nothing else is lost. Run as before.
            self.failed = True
            return False
        _sessions.names = _sessions.names | {self.name}
        return True

    def was_lost(self, error, connection):
        """Whether `error` says the session no longer holds it, or holds it
        for columns whose types a migration has since changed (which it
        refuses to run until it is prepared again: a migration runs while
        the servers started before it still serve); if so, it is forgotten
        for this session, to be prepared again."""
        cause = error.__cause__
        code = getattr(cause, "pgcode", None)
        if code == "0A000" and "cached plan must not change result type" in str(cause):
            with connection.cursor() as cursor:
                cursor.execute(f"DEALLOCATE {self.name}")
        elif code != "26000":  # invalid_sql_statement_name
            return False
        _sessions.names = _sessions.names - {self.name}
        return True


def _numbered(sql):
    """(`sql` with its placeholders numbered as PREPARE takes them, their
    number), or None for SQL that has a lone `%`."""
    parts, count, position = [], 0, 0
    while True:
        found = sql.find("%", position)
        if found < 0:
            parts.append(sql[position:])
            return "".join(parts), count
        parts.append(sql[position:found])
        following = sql[found + 1 : found + 2]
        if following == "s":
            count += 1
            parts.append(f"${count}")
        elif following == "%":
            parts.append("%")
        else:
            return None
        position = found + 2


def _compile(queryset, using):
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    return compiler, sql, params


def _position(param, where):
    if type(param) is list:  # an array: a list stand-in, compared by value
        return next((found for value, found in where.get(list, ()) if value == param), None)
    try:
        return where.get(param)
    except TypeError:  # another unhashable parameter is no stand-in
        return None


def _slots(params_a, params_b, stand_ins_a, stand_ins_b):
    """[(parameter index, value index, conversion)], or None if the two compilations
    differ anywhere but exactly at the stand-ins."""
    if len(params_a) != len(params_b):
        return None
    # A date may reach the parameters as text (SQLite): then the value goes
    # in as text too.
    where_a = {list: []}
    for position, value in enumerate(stand_ins_a):
        if type(value) is list:
            where_a[list].append((value, (position, None)))
            continue
        where_a[value] = (position, None)
        if isinstance(value, datetime.date):
            where_a[value.isoformat()] = (position, datetime.date.isoformat)
    slots = []
    for index, (a, b) in enumerate(zip(params_a, params_b, strict=True)):
        found = _position(a, where_a)
        if found is None:
            if a == b:
                continue
            return None
        position, convert = found
        expected = stand_ins_b[position]
        if type(a) is not type(b) or b != (convert(expected) if convert else expected):
            return None
        slots.append((index, position, convert))
    return slots


class prepared:  # noqa: N801 (used as a decorator, like functools.cache)
    """`build(*values, **shape)` -> a queryset; calling the prepared query
    returns the list of its results for those values (see the module's
    docstring). Prefetching is not supported (its queries would run through
    the ORM anyway)."""

    def __init__(self, build, on_server=True):
        self.build = build
        self.on_server = on_server
        self.__doc__ = build.__doc__
        self.__name__ = build.__name__
        self._local = threading.local()

    def __call__(self, *values, using=DEFAULT_DB_ALIAS, **shape):
        if not all(_substitutable(value) for value in values):
            return list(self.build(*values, **shape))
        types = tuple(_kind(value) for value in values)
        key = (using, translation.get_language(), types, tuple(sorted(shape.items())))
        # Per thread and per connection object: a compiler holds its connection.
        connection = connections[using]
        cache = getattr(self._local, "cache", None)
        if cache is None or self._local.connection is not connection:
            cache = self._local.cache = {}
            self._local.connection = connection
        if key not in cache:
            cache[key] = self._prepare(types, using, shape)
        compiled = cache[key]
        if compiled is None:
            return list(self.build(*values, **shape))
        return compiled.run(values, connection)

    def _prepare(self, types, using, shape):
        stand_ins_a, stand_ins_b = _stand_ins(types, 0), _stand_ins(types, 1)
        queryset = self.build(*stand_ins_a, **shape)
        if queryset._prefetch_related_lookups:
            return None
        try:
            compiler, sql_a, params_a = _compile(queryset, using)
            _compiler_b, sql_b, params_b = _compile(self.build(*stand_ins_b, **shape), using)
        except Exception:  # EmptyResultSet and the like: leave it to the ORM
            return None
        if sql_a != sql_b:
            return None
        slots = _slots(params_a, params_b, stand_ins_a, stand_ins_b)
        # Every value must land somewhere, or it changed nothing the statement says.
        if slots is None or len({slot[1] for slot in slots}) != len(types):
            return None
        # The compiler keeps what compiling worked out (columns, joined
        # records, annotations, converters) for turning rows into results.
        return _Compiled(queryset, sql_a, params_a, slots, compiler, self.on_server)


def planned_each_time(build):
    """`prepared`, but never a server-side statement: PostgreSQL plans each
    run for its own values (see the module's docstring)."""
    return prepared(build, on_server=False)


# Raw statements run as server-side statements (`rows`), by their SQL: a
# statement's name and text, the same in every session (each session
# prepares its own, see _ServerStatement.usable_on).
_raw_statements = {}


def rows(sql, params, using=DEFAULT_DB_ALIAS):
    """The rows of a raw statement: on PostgreSQL, outside a transaction,
    as a server-side statement planned once per session, when each of its
    parameters has a type PREPARE can name (not None); else as is."""
    connection = connections[using]
    statement = None
    if connection.vendor == "postgresql" and settings.PREPARED_STATEMENTS:
        statement = _raw_statements.get(sql) or _ServerStatement.of(sql, params)
        if statement is not None:
            _raw_statements[sql] = statement
    with connection.cursor() as cursor:
        if statement is not None and statement.usable_on(connection):
            try:
                cursor.execute(statement.execute_sql, params)
                return cursor.fetchall()
            except DatabaseError as error:
                if not statement.was_lost(error, connection):
                    raise
            if statement.usable_on(connection):
                cursor.execute(statement.execute_sql, params)
                return cursor.fetchall()
        cursor.execute(sql, params)
        return cursor.fetchall()
