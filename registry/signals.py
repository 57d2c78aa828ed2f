"""Keep products' stored search text in step when their producer is renamed or moved,
and drop the public pages kept for visitors when public data changes.

A signal rather than code in Producer.save(), because producers change through the
admin, imports and the shell alike and every path must reindex.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from registry import page_cache
from registry.models import Producer, Product


@receiver(post_save, sender=Producer, dispatch_uid="registry_reindex_producer_products")
def reindex_producer_products(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    products = list(Product.objects.filter(producer=instance).select_related("producer"))
    for product in products:
        product.producer = instance
        product.refresh_search_fields()
    Product.objects.bulk_update(products, ["search_text", "search_exact"], batch_size=500)


# Everything a public page shows: a save or delete of any of these drops the public
# pages kept for anonymous visitors (registry/page_cache.py). Scorecards, answers,
# councils and imports are left out: they are never shown to the public, and a
# council's ticks must not empty the cache for every visitor.
PUBLIC_MODELS = [
    "registry.Product",
    "registry.ProductPhoto",
    "registry.IntellectualPropertyTitle",
    "registry.QualityPaper",
    "registry.Producer",
    "registry.SalesPoint",
    "registry.AdministrativeUnit",
    "registry.ProductGroup",
    "registry.ProductSet",
    "evaluation.Certificate",
    "evaluation.Dossier",
    "evaluation.CouncilResult",
    "evaluation.Target",
]


def public_data_changed(sender, raw=False, **kwargs):
    if not raw:  # loaddata (a restore) says so itself when it is done
        page_cache.changed()


def connect_public_models():
    for label in PUBLIC_MODELS:
        model = apps.get_model(label)
        uid = f"public_pages_{label}"
        post_save.connect(public_data_changed, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(public_data_changed, sender=model, dispatch_uid=f"{uid}_delete")
    through = apps.get_model("registry.SalesPoint").products.through
    m2m_changed.connect(public_data_changed, sender=through, dispatch_uid="public_pages_m2m")


connect_public_models()
