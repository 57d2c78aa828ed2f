"""A hot query's SQL made by the ORM once, then run with each request's values.

Turning a queryset into SQL costs more than running it for the small, indexed queries
every public page makes: 0.75 ms to compile the catalogue cards' query (six tables and
a subquery) against 0.13 ms to run it on SQLite, 0.3-0.5 ms for a product page's
one-row lookup. The rule stays in the queryset (`Product.objects.public()`, the cards'
fields): `Compiled` asks the ORM for the SQL of the query built with placeholder values,
notes where each placeholder landed among the parameters, and from then on runs that SQL
with the request's values in their places.

On PostgreSQL the SQL is also prepared once per connection (core/prepared.py): planning
the cards' query (six tables and a subquery) cost more than running it.

Only for queries whose columns come back from the database as they are used (text,
integers, ids): a column the ORM would convert (dates on SQLite, decimals, JSON) is
refused when the SQL is made, so no value is handed over unconverted.
"""

from collections.abc import Callable, Sequence
from itertools import count

from django.db import connections
from django.db.models import QuerySet

from core import prepared

_numbers = count(1)


class Compiled:
    """`build(*placeholders, *fixed)` -> a values_list() queryset; `rows(*values,
    fixed=…)` runs its SQL with `values` in the placeholders' places.

    `fixed` values are made into the SQL as the ORM makes them (a date, which the ORM
    prepares for each database): the SQL is made once for each. `shape(*values)` says
    which made SQL fits those values (the length of an id list). Both are part of the
    key of the made SQL, of which at most `limit` are kept."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        shape: Callable[..., tuple] = lambda *values: (),
        limit: int = 64,
    ):
        self.build = build
        self.shape = shape
        self.limit = limit
        self._made: dict[tuple, tuple[str, list, list, str]] = {}

    def rows(self, *values, fixed: tuple = (), using: str = "default") -> list[tuple]:
        connection = connections[using]
        key = (connection.vendor, connection.settings_dict["NAME"], fixed, *self.shape(*values))
        made = self._made.get(key)
        if made is None:
            made = self._make(values, fixed, using)
            if len(self._made) >= self.limit:
                self._made.clear()
            self._made[key] = made
        sql, params, places, name = made
        params = list(params)
        for position, path in places:
            params[position] = _at(values, path)
        with connection.cursor() as cursor:
            prepared.execute(cursor, name, sql, params)
            return cursor.fetchall()

    def _make(self, values, fixed, using) -> tuple[str, list, list, str]:
        placeholders, marks = _placeholders(values)
        queryset = self.build(*placeholders, *fixed).using(using)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        columns = [column for column, _sql, _alias in compiler.select]
        if compiler.get_converters(columns):
            raise ValueError("a compiled query must return columns the ORM does not convert")
        places = []
        for position, param in enumerate(params):
            if param in marks:
                places.append((position, marks[param]))
        if sorted(path for _position, path in places) != sorted(marks.values()):
            # A placeholder was transformed (prepared, folded) or used twice: its place
            # among the parameters cannot be known, and the query must not be made so.
            raise ValueError("every placeholder must appear once, as given, among the parameters")
        # A name of its own for each SQL made, in this process (a prepared statement
        # lives in one connection, which only this process uses).
        return sql, list(params), places, f"ocop_compiled_{next(_numbers)}"


def _placeholders(values) -> tuple[list, dict]:
    """A unique stand-in for each value, of its type (lists and tuples element by
    element), and where each stand-in stands: its path in `values`."""
    marks = {}

    def stand_in(value, path):
        if isinstance(value, (list, tuple)):
            return type(value)(stand_in(item, (*path, n)) for n, item in enumerate(value))
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise TypeError(f"a compiled query's values are ints and strings, not {value!r}")
        number = next(_numbers)
        mark = -(10**15) - number if isinstance(value, int) else f"\x00compiled:{number}\x00"
        marks[mark] = path
        return mark

    return [stand_in(value, (n,)) for n, value in enumerate(values)], marks


def _at(values: Sequence, path: tuple):
    for step in path:
        values = values[step]
    return values
