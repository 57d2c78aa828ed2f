"""A hot statement prepared once per PostgreSQL connection, then only executed.

PostgreSQL plans a statement each time it is sent: for the scorecard tick's one access
check (six tables and three subqueries) planning takes 1.2-1.4 ms and running it 0.1, on
the busiest write of the site. A prepared statement is planned once for the connection
(PostgreSQL keeps a generic plan after a few executions), so the tick sends EXECUTE.

Prepared statements live as long as the database session: PREPARE is sent once for each
physical connection (the driver's connection object), on the driver's own cursor, outside
Django's query log, so a request's statement count is the same whichever request was
the first on its connection. Other databases run the statement as it is. A connection
pooler must keep sessions (PgBouncer in session mode: docs/deploy.md).
"""

import re
from weakref import WeakKeyDictionary

from django.db import connection

# The driver's connections -> the names prepared in their sessions (a connection closed
# and dropped leaves with its names).
_prepared: WeakKeyDictionary = WeakKeyDictionary()
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def execute(cursor, name: str, sql: str, params) -> None:
    """cursor.execute(sql, params), by a statement prepared as `name` on PostgreSQL."""
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    assert _NAME.match(name), name
    raw = connection.connection
    names = _prepared.setdefault(raw, set())
    if name not in names:
        numbered, count = _numbered(sql)
        assert count == len(params), (name, count, len(params))
        with raw.cursor() as own:
            own.execute(f"PREPARE {name} AS {numbered}")
        names.add(name)
    marks = f"({', '.join(['%s'] * len(params))})" if params else ""  # not "()"
    cursor.execute(f"EXECUTE {name}{marks}", params)


def _numbered(sql: str) -> tuple[str, int]:
    """psycopg's %s placeholders as PostgreSQL's $1, $2, …"""
    count = 0

    def number(_match):
        nonlocal count
        count += 1
        return f"${count}"

    return re.sub(r"%s", number, sql), count
