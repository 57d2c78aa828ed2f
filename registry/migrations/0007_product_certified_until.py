# The product no longer points at a certificate (evaluation's model): it keeps its own
# standing, the expiry date of its certificate in force, beside the stars it already had.
# The registry then depends on nothing above it. Existing rows copy the date from the
# certificate they pointed at, unless that one was revoked or superseded.
from django.db import migrations, models


def copy_expiry(apps, schema_editor):
    Product = apps.get_model("registry", "Product")
    for product in Product.objects.filter(certificate__isnull=False).select_related(
        "certificate"
    ):
        certificate = product.certificate
        if certificate.revoked_on is None and certificate.superseded_by_id is None:
            product.certified_until = certificate.expires_on
            product.save(update_fields=["certified_until"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_importbatch_moves_to_imports"),
        # Only to read the certificates the products pointed at, once.
        ("evaluation", "0003_target"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="certified_until",
            field=models.DateField(
                blank=True,
                help_text="The day the product's certificate lapses; empty when it holds none or it was revoked. Kept in step by the evaluation when a certificate is issued or revoked.",
                null=True,
                verbose_name="certified until",
            ),
        ),
        migrations.RunPython(copy_expiry, migrations.RunPython.noop),
        migrations.RemoveField(model_name="product", name="certificate"),
        migrations.AlterField(
            model_name="product",
            name="stars",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Star tier of the product's certificate; empty when not certified.",
                null=True,
                verbose_name="OCOP stars",
            ),
        ),
    ]
