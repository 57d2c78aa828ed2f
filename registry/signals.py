"""Keep products' stored search text in step when their producer is renamed or moved.

A signal rather than code in Producer.save(), because producers change through the
admin, imports and the shell alike and every path must reindex.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

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
