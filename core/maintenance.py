"""Keeping the query planner informed after bulk writes.

SQLite never gathers table statistics by itself: after tens of thousands of rows
arrive in one go, its planner sorted the whole catalogue for every page (212 ms)
instead of walking the name index (7 ms). PostgreSQL's autovacuum analyses
eventually, but not within the minute after a bulk load. Bulk loaders call this.
"""

from django.db import connection


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
