"""Keep products' stored search text in step when their producer is renamed or moved,
and drop the public pages kept for visitors when public data changes.

A signal rather than code in Producer.save(), because producers change through the
admin, imports and the shell alike and every path must reindex.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from core import page_cache
from registry.models import (
    IntellectualPropertyTitle,
    Producer,
    Product,
    ProductPhoto,
    QualityPaper,
    SalesPoint,
)


@receiver(post_save, sender=Producer, dispatch_uid="registry_reindex_producer_products")
def reindex_producer_products(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    products = list(Product.objects.filter(producer=instance).select_related("producer"))
    for product in products:
        product.producer = instance
        product.refresh_search_fields()
    Product.objects.bulk_update(
        products, ["search_text", "search_exact", "search_more"], batch_size=500
    )


# Rare changes that touch every public page: these drop them all (core/page_cache.py).
PUBLIC_MODELS = [
    "registry.SalesPoint",
    "registry.AdministrativeUnit",
    "registry.ProductGroup",
    "registry.ProductSet",
]
page_cache.drop_pages_when_saved(*PUBLIC_MODELS, m2m=(SalesPoint.products.through,))


# Products, producers and a product's papers touch a few pages: the product's own, the
# pages of its producer's products (they list each other) and the lists. A change to a
# product the public sees neither before nor after (a draft, an expired product) touches
# none: producers and offices edit those all day.
def _is_public(product) -> bool:
    today = timezone.localdate()
    until = product.certified_until
    return bool(product.is_published and until and until > today)


@receiver(pre_save, sender=Product, dispatch_uid="registry_product_was_public")
def remember_standing(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._was_public = None
        return
    before = (
        Product.objects.filter(pk=instance.pk)
        .values_list("producer_id", "is_published", "certified_until")
        .first()
    )
    if before is None:
        instance._was_public = None
        return
    producer_id, published, until = before
    today = timezone.localdate()
    instance._was_public = producer_id if published and until and until > today else None


@receiver(post_save, sender=Product, dispatch_uid="registry_product_public_change")
@receiver(post_delete, sender=Product, dispatch_uid="registry_product_public_delete")
def product_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    producers = set()
    if _is_public(instance):
        producers.add(instance.producer_id)
    was = getattr(instance, "_was_public", None)
    if was is not None:
        producers.add(was)
    if producers:
        page_cache.changed(
            page_cache.product_tag(instance.pk),
            page_cache.LISTS,
            *(page_cache.producer_tag(pk) for pk in producers),
        )


@receiver(post_save, sender=Producer, dispatch_uid="registry_producer_public_change")
def producer_changed(sender, instance, raw=False, **kwargs):
    # A producer's deletion deletes its products, which say so themselves.
    if not raw and Product.objects.public().filter(producer=instance).exists():
        page_cache.changed(page_cache.producer_tag(instance.pk), page_cache.LISTS)


def _papers_changed(*, on_cards: bool):
    def receiver_(sender, instance, raw=False, **kwargs):
        if raw:
            return
        public = Product.objects.public().filter(pk=instance.product_id)
        producer_id = public.values_list("producer_id", flat=True).first()
        if producer_id is None:
            return
        tags = [page_cache.product_tag(instance.product_id)]
        if on_cards:  # a card shows the first photo, on the lists and beside siblings
            tags += [page_cache.LISTS, page_cache.producer_tag(producer_id)]
        page_cache.changed(*tags)

    return receiver_


_photo_changed = _papers_changed(on_cards=True)
_paper_changed = _papers_changed(on_cards=False)
for _model, _receiver in (
    (ProductPhoto, _photo_changed),
    (IntellectualPropertyTitle, _paper_changed),
    (QualityPaper, _paper_changed),
):
    _uid = f"registry_{_model.__name__}_public_change"
    post_save.connect(_receiver, sender=_model, dispatch_uid=f"{_uid}_save")
    post_delete.connect(_receiver, sender=_model, dispatch_uid=f"{_uid}_delete")
