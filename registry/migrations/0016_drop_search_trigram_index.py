"""On PostgreSQL, drop the trigram index on the folded search text (made by 0005).

Since 0013 a search is found through the full-text index (registry/fulltext.py); LIKE on
search_text only says how well a match ranks. The trigram index was left behind and did
harm: given a page of one rank (`search_ranks`), PostgreSQL combined it with the
full-text index (BitmapAnd), and a trigram match is always re-checked, so to_tsvector
was computed again for every candidate: "ruou" took 178 ms instead of 23. It also cost
every product write an update of a large GIN index. The pg_trgm extension itself is left
in place (other objects may use it; it costs nothing unused).
"""

from importlib import import_module

from django.db import migrations

INDEX = "product_search_trgm_idx"


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def make_again(apps, schema_editor):
    import_module("registry.migrations.0005_search_trigram_index").create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("registry", "0015_producer_place_to_complete")]

    operations = [migrations.RunPython(drop, make_again)]
