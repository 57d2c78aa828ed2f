"""The products' full-text index, one per database, over the folded texts that
registry/search.py makes and Product.refresh_search_fields stores.

* SQLite: an FTS5 table, `registry_product_fts`, reading its text from the product
  table itself (external content: nothing stored twice) and kept in step by three
  triggers, so every way of writing a product (save, bulk_create, bulk_update, the
  shell) updates it. A migration that rebuilds the product table on SQLite drops its
  triggers with the old table: `ensure` runs after every `migrate` (registry/apps.py)
  and puts back whatever is missing, rebuilding the index if triggers were.
* PostgreSQL: a GIN index on the expression `to_tsvector('simple', text)`; the
  'simple' configuration only lower-cases, the folding is ours, so no `unaccent`
  extension (which a non-superuser may not create) is needed. Without GIN's pending
  list (fastupdate off): searches never read a backlog of unmerged entries.

`matches(vendor, words)` is the condition a search adds: every word starts a word of
the product's name, maker, places or description. Where FTS5 is not compiled into
SQLite, the condition is the same test as LIKEs over the stored texts: slower, same
answers.
"""

import functools
import sqlite3

from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from registry import search

FTS_TABLE = "registry_product_fts"
PG_INDEX = "product_fulltext_idx"
# Name, maker and places; then the description. Ranking tells them apart (querysets.py).
COLUMNS = ("search_text", "search_more")


def _pg_document(table: str = "") -> str:
    """The indexed expression; a query must spell it the same to use the index."""
    prefix = f'"{table}".' if table else ""
    return f"to_tsvector('simple'::regconfig, {prefix}search_text || ' ' || {prefix}search_more)"


_TRIGGERS = {
    "registry_product_fts_insert": (
        "AFTER INSERT ON registry_product BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text, search_more) "
        "VALUES (new.id, new.search_text, new.search_more); END"
    ),
    "registry_product_fts_delete": (
        "AFTER DELETE ON registry_product BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text, search_more) "
        "VALUES ('delete', old.id, old.search_text, old.search_more); END"
    ),
    # Only when the indexed text changes: a save that rewrites every column (stars,
    # certified_until) leaves the index alone.
    "registry_product_fts_update": (
        "AFTER UPDATE OF search_text, search_more ON registry_product "
        "WHEN old.search_text IS NOT new.search_text "
        "OR old.search_more IS NOT new.search_more BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text, search_more) "
        "VALUES ('delete', old.id, old.search_text, old.search_more); "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text, search_more) "
        "VALUES (new.id, new.search_text, new.search_more); END"
    ),
}


@functools.cache
def fts5_compiled() -> bool:
    """Whether this Python's SQLite has FTS5 (asked of a throw-away memory database, so
    no query is spent on it per request)."""
    try:
        with sqlite3.connect(":memory:") as db:
            db.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    except sqlite3.Error:
        return False
    return True


def matches(vendor: str, words: list[str]):
    """The condition 'every word starts a word of the product's texts'."""
    if vendor == "sqlite" and fts5_compiled():
        return RawSQL(
            f'"registry_product"."id" IN (SELECT rowid FROM {FTS_TABLE} '
            f"WHERE {FTS_TABLE} MATCH %s)",
            [search.fts5_query(words)],
            output_field=BooleanField(),
        )
    if vendor == "postgresql":
        return RawSQL(
            f"{_pg_document('registry_product')} @@ to_tsquery('simple'::regconfig, %s)",
            [search.tsquery(words)],
            output_field=BooleanField(),
        )
    return prefix_tests(words)


def prefix_tests(words: list[str]) -> Q:
    """The same condition without the index: each word starts a word of the stored
    texts (they begin with a space and separate words by one, registry/search.py)."""
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=f" {word}") | Q(search_more__contains=f" {word}")
    return condition


def ensure(connection, verbosity: int = 1) -> None:
    """Make the index if it is missing (idempotent; cheap when it is there)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [PG_INDEX])
            if cursor.fetchone() is None:
                # Rows written earlier in this transaction (a migration's backfill) leave
                # deferred foreign-key checks, which CREATE INDEX refuses to wait behind.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(
                    f"CREATE INDEX {PG_INDEX} ON registry_product USING gin "
                    f"(({_pg_document()})) WITH (fastupdate = off)"
                )
            _pg_no_pending_list(cursor)
        return
    if connection.vendor != "sqlite":
        return
    if not fts5_compiled():
        if verbosity:
            print(
                "\n  This SQLite has no FTS5: catalogue search works without its index "
                "but reads every product."
            )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            [f"{FTS_TABLE}%"],
        )
        present = {row[0] for row in cursor.fetchall()}
        if FTS_TABLE not in present:
            cursor.execute(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
                f"{', '.join(COLUMNS)}, content='registry_product', content_rowid='id', "
                # The text is folded and split already: words are runs of letters, digits
                # and "_", as registry/search.py splits them.
                "tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\")"
            )
        missing = [name for name in _TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(f"CREATE TRIGGER {name} {_TRIGGERS[name]}")
        if missing:  # new, or its triggers were lost: read every product again
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def _pg_no_pending_list(cursor) -> None:
    """GIN's "fast update" puts new entries in a pending list that every search then
    reads whole, until VACUUM merges it: at 6,500 pending entries (an import, a fresh
    load) a broad search took twice as long, and its time depended on when autovacuum
    last ran. Products change seldom and searches all day: entries go straight into the
    index (an import writes a little slower), and a list left by an index made before
    is merged now."""
    cursor.execute("SELECT coalesce(reloptions, '{}') FROM pg_class WHERE relname = %s", [PG_INDEX])
    (options,) = cursor.fetchone()
    if "fastupdate=off" not in options:
        cursor.execute(f"ALTER INDEX {PG_INDEX} SET (fastupdate = off)")
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [PG_INDEX])


def drop(connection) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for name in _TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
