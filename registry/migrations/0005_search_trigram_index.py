"""On PostgreSQL, a trigram index on the folded search text.

The catalogue search is `search_text LIKE '% word%'` on both databases (registry/search.py).
Without an index PostgreSQL reads every product's text; pg_trgm's GIN index answers such
LIKE patterns from the index. pg_trgm is a "trusted" extension (PostgreSQL 13+): the
database's owner may create it. Where that is refused the migration says so and goes on
without the index: search stays correct, only slower. SQLite has no such index and keeps
its scan.
"""

from django.db import migrations

INDEX = "product_search_trgm_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            cursor.execute("SAVEPOINT trgm")
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute("RELEASE SAVEPOINT trgm")
        except Exception as exc:  # noqa: BLE001 — any refusal: say it, keep going
            cursor.execute("ROLLBACK TO SAVEPOINT trgm")
            print(
                f"\n  pg_trgm could not be created ({exc}).\n"
                "  Catalogue search works without it but reads every product: ask the\n"
                "  database administrator to run CREATE EXTENSION pg_trgm; then\n"
                f"  CREATE INDEX {INDEX} ON registry_product USING gin (search_text gin_trgm_ops);"
            )
            return
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_product "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_importbatch")]

    operations = [migrations.RunPython(create, drop)]
