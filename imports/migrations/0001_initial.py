# ImportBatch moved here from registry (registry.0004 made its table). The model is taken
# over in Django's state under its old table name, then the table gets this app's name.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("registry", "0006_importbatch_moves_to_imports"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportBatch",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("file_name", models.CharField(max_length=255, verbose_name="file name")),
                        ("sha256", models.CharField(max_length=64, unique=True, verbose_name="SHA-256 of the file")),
                        ("row_count", models.PositiveIntegerField(default=0, verbose_name="rows")),
                        ("producers_created", models.PositiveIntegerField(default=0, verbose_name="producers created")),
                        ("producers_updated", models.PositiveIntegerField(default=0, verbose_name="producers updated")),
                        ("products_created", models.PositiveIntegerField(default=0, verbose_name="products created")),
                        ("certificates_created", models.PositiveIntegerField(default=0, verbose_name="certificates created")),
                        ("summary", models.JSONField(blank=True, default=dict, verbose_name="summary")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="imported at")),
                        ("user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="imported by")),
                    ],
                    options={
                        "verbose_name": "import batch",
                        "verbose_name_plural": "import batches",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "registry_importbatch",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="importbatch", table=None),
    ]
