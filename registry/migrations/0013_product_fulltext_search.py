"""Search through a full-text index, and through descriptions too.

The folded description is stored beside the folded name text (search_more), filled
here for every product; then the index is made: an FTS5 table kept by triggers on
SQLite, a GIN index on to_tsvector('simple', ...) on PostgreSQL (registry/fulltext.py,
which also puts it back after any later `migrate`).
"""

from django.db import migrations, models

from registry import fulltext, search


def fill_search_more(apps, schema_editor):
    Product = apps.get_model("registry", "Product")
    batch = []
    rows = Product.objects.exclude(description="").only("id", "description")
    for product in rows.iterator(chunk_size=2000):
        product.search_more = search.index_text(product.description)
        batch.append(product)
        if len(batch) == 2000:
            Product.objects.bulk_update(batch, ["search_more"])
            batch = []
    Product.objects.bulk_update(batch, ["search_more"])


def create_index(apps, schema_editor):
    fulltext.ensure(schema_editor.connection, verbosity=0)


def drop_index(apps, schema_editor):
    fulltext.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("registry", "0012_merge_public_indexes")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="search_more",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search_more, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
