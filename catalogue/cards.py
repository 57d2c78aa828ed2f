"""Product cards from plain rows: what a card shows, read with values(), not models.

A catalogue page used to build ~200 model instances (24 products, their producers,
communes, provinces, districts, product sets, groups and photos) to print four lines a
card, and to reverse a URL and include a template for each. Here a card is a small
frozen row, its address the product page's prefix plus the slug (reversed once a list),
and `includes/product_cards.html` draws the whole list in one loop.
"""

from dataclasses import dataclass

from django.urls import reverse

from registry.models import Product, ProductPhoto

_FIELDS = (
    "pk",
    "name",
    "slug",
    "stars",
    "producer__name",
    "producer__commune__name",
    "producer__district__name",
    "producer__commune__parent__name",
    # A producer whose commune is still to be completed (an old list gave only its
    # district or province) keeps its province here (registry: Producer.province).
    "producer__province__name",
)


@dataclass(frozen=True, slots=True)
class Card:
    pk: int
    name: str
    url: str
    stars: int | None
    producer: str
    place: str  # commune, district (before 2025) if any, province
    thumbnail: str  # the first photo's thumbnail URL, or "" for the placeholder


def _product_url_prefix() -> str:
    # One reversal a list (the language prefix included): slugs are ASCII (SlugField,
    # the <slug:> converter), so prefix + slug + "/" is what {% url %} gives.
    marker = "-"
    url = reverse("catalogue:product", args=[marker])
    return url[: -len(marker) - 1]


def _thumbnails(ids) -> dict[int, str]:
    """Each product's first photo (model order: position, id), as its thumbnail's URL;
    "" when that photo has no thumbnail (the card shows the placeholder, as before)."""
    storage = ProductPhoto._meta.get_field("thumbnail").storage
    first: dict[int, str] = {}
    photos = (
        ProductPhoto.objects.filter(product_id__in=ids)
        .order_by("product_id", "position", "id")
        .values_list("product_id", "thumbnail")
    )
    for product_id, thumbnail in photos:
        if product_id not in first:
            first[product_id] = storage.url(thumbnail) if thumbnail else ""
    return first


def _place(commune, district, province, own_province=None) -> str:
    # As the card always printed it: the district only when the producer names one.
    if commune is None:  # the place is to be completed: the district if known, the province
        return f"{district}, {own_province or ''}" if district else (own_province or "")
    middle = f", {district}" if district is not None else ""
    return f"{commune}{middle}, {province or ''}"


def cards(products, order=None) -> list[Card]:
    """The cards of `products` (a Product queryset, in its order, or in the order of the
    ids in `order`): two queries, whatever the count."""
    rows = list(products.values_list(*_FIELDS))
    if order is not None:
        by_id = {row[0]: row for row in rows}
        rows = [by_id[pk] for pk in order if pk in by_id]
    thumbnails = _thumbnails([row[0] for row in rows]) if rows else {}
    prefix = _product_url_prefix()
    return [
        Card(
            pk=pk,
            name=name,
            url=f"{prefix}{slug}/",
            stars=stars,
            producer=producer,
            place=_place(commune, district, province, own_province),
            thumbnail=thumbnails.get(pk, ""),
        )
        for pk, name, slug, stars, producer, commune, district, province, own_province in rows
    ]


def cards_of_ids(ids) -> list[Card]:
    """The cards of these products, in this order (a catalogue page's ids)."""
    return cards(Product.objects.filter(pk__in=ids), order=ids)
