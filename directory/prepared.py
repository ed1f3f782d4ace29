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
type other than int, str, date and a list of ints) runs through the ORM for
that call. A list of ids is a value only where it is one array parameter
(`any_of` on PostgreSQL); on SQLite it is a placeholder per id, which
changes the SQL, so it runs through the ORM there.
"""

import datetime
import threading

from django.db import DEFAULT_DB_ALIAS, connections
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


def _stand_in(kind, position, which):
    if kind is list:  # of ids: an array parameter on PostgreSQL (`any_of`)
        return [_INT_BASE[which] + position]
    if kind is int:
        return _INT_BASE[which] + position
    if kind is datetime.date:
        return datetime.date(_DATE_YEARS[which] + position, 1, 1)
    return f"{_STR_BASE[which]}{position} "


def _stand_ins(types, which):
    """Stand-ins of `types` (int, str, date or list of ints), one per value position."""
    return [_stand_in(kind, position, which) for position, kind in enumerate(types)]


def _substitutable(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return _INT_RANGE[0] <= value <= _INT_RANGE[1]
    if type(value) is list:
        return all(type(item) is int for item in value)
    return isinstance(value, str) or type(value) is datetime.date


class _Compiled:
    """One compiled statement: its SQL, parameters (with the positions the
    values go to) and the compiler that turns its rows into results."""

    def __init__(self, queryset, sql, params, slots, compiler):
        self.queryset = queryset
        self.sql = sql
        self.params = list(params)
        self.slots = slots  # [(parameter index, value index, conversion or None)]
        self.compiler = compiler
        compiler.as_sql = self._as_sql
        queryset.query.get_compiler = self._get_compiler
        self._current = None

    def _as_sql(self, *args, **kwargs):
        return self.sql, self._current

    def _get_compiler(self, *args, **kwargs):
        return self.compiler

    def run(self, values):
        params = list(self.params)
        for index, position, convert in self.slots:
            params[index] = convert(values[position]) if convert else values[position]
        self._current = tuple(params)
        try:
            return list(self.queryset._iterable_class(self.queryset))
        finally:
            self._current = None


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

    def __init__(self, build):
        self.build = build
        self.__doc__ = build.__doc__
        self.__name__ = build.__name__
        self._local = threading.local()

    def __call__(self, *values, using=DEFAULT_DB_ALIAS, **shape):
        if not all(_substitutable(value) for value in values):
            return list(self.build(*values, **shape))
        types = tuple(type(value) for value in values)
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
        return compiled.run(values)

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
        return _Compiled(queryset, sql_a, params_a, slots, compiler)
