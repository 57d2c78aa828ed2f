"""Keep products' stored search text in step when their producer is renamed or moved,
and drop the public pages kept for visitors when public data changes.

A signal rather than code in Producer.save(), because producers change through the
admin, imports and the shell alike and every path must reindex.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from core import page_cache
from registry.models import Producer, Product, SalesPoint


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
# pages kept for anonymous visitors (core/page_cache.py); evaluation names its own.
# Imports are left out: they are never shown to the public.
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
]
page_cache.drop_pages_when_saved(*PUBLIC_MODELS, m2m=(SalesPoint.products.through,))
