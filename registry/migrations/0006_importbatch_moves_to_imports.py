# ImportBatch now belongs to the `imports` app (bulk import sits above both registry and
# evaluation). Only Django's state moves here; the table is renamed by imports.0001.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_search_trigram_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportBatch")],
            database_operations=[],
        )
    ]
