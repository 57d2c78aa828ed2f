"""Product cards from plain rows: what a card shows, read with values(), not models.

A catalogue page used to build ~200 model instances (24 products, their producers,
communes, provinces, districts, product sets, groups and photos) to print four lines a
card, and to reverse a URL and include a template for each. Here a card is a small
frozen row, its address the product page's prefix plus the slug (reversed once a list),
and `html()` draws the whole list as one string (`{% product_cards %}`).
"""

from dataclasses import dataclass
from html import escape as _escape

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import caching, page_cache
from core.compiled import Compiled
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


def _first_thumbnail():
    """Each product's first photo (model order: position, id): its thumbnail's name, ""
    when that photo has none (the card shows the placeholder, as before), None without
    a photo. A column of the cards' own query, not a query of every photo of the page."""
    return Subquery(
        ProductPhoto.objects.filter(product_id=OuterRef("pk"))
        .order_by("position", "id")
        .values("thumbnail")[:1]
    )


def _place(commune, district, province, own_province=None) -> str:
    # As the card always printed it: the district only when the producer names one.
    if commune is None:  # the place is to be completed: the district if known, the province
        return f"{district}, {own_province or ''}" if district else (own_province or "")
    middle = f", {district}" if district is not None else ""
    return f"{commune}{middle}, {province or ''}"


def cards(products, order=None, rows=None) -> list[Card]:
    """The cards of `products` (a Product queryset, in its order, or in the order of the
    ids in `order`): one query, whatever the count. `rows`: that query's rows, read."""
    if rows is None:
        rows = list(products.values_list(*_FIELDS, _first_thumbnail()))
    if order is not None:
        by_id = {row[0]: row for row in rows}
        rows = [by_id[pk] for pk in order if pk in by_id]
    storage = ProductPhoto._meta.get_field("thumbnail").storage
    prefix = _product_url_prefix()
    return [
        Card(
            pk=pk,
            name=name,
            url=f"{prefix}{slug}/",
            stars=stars,
            producer=producer,
            place=_place(commune, district, province, own_province),
            thumbnail=storage.url(thumbnail) if thumbnail else "",
        )
        for (
            pk,
            name,
            slug,
            stars,
            producer,
            commune,
            district,
            province,
            own_province,
            thumbnail,
        ) in rows
    ]


# Every catalogue page reads its cards with this query: its SQL is made once for each
# number of ids (at most a page's), then run with the page's ids (core/compiled.py).
_BY_IDS = Compiled(
    lambda ids: Product.objects.filter(pk__in=ids).values_list(*_FIELDS, _first_thumbnail()),
    shape=lambda ids: (len(ids),),
)


# The cards a process has made, kept per public data version, address prefix (the
# language's) and product: a page nobody asked for before (a new filter, a search, the
# next page) mostly shows products other pages showed already, and reading their rows
# costs a query of six tables (0.3-0.4 ms on PostgreSQL, with its round trip), making
# the cards as much again. Only under the version a kept page is being made under
# (core/page_cache.py), which every change a card shows moves (a product, its producer,
# its first photo, a place: LISTS or ALL), so a card is never older than the page it is
# on; a signed-in visitor's page reads its rows. Bounded: a card is well under 1 kB.
_kept = caching.LocalStore(entries=4096)


def cards_of_ids(ids) -> list[Card]:
    """The cards of these products, in this order (a catalogue page's ids)."""
    ids = [int(pk) for pk in ids]
    if not ids:
        return []
    version = page_cache.rendering_version()
    if version is None:
        return cards(None, order=ids, rows=_BY_IDS.rows(ids))
    prefix = _product_url_prefix()
    kept = {
        key[2]: card for key, card in _kept.get_many([(version, prefix, pk) for pk in ids]).items()
    }
    if missing := [pk for pk in ids if pk not in kept]:
        made = cards(None, rows=_BY_IDS.rows(missing))
        _kept.set_many({(version, prefix, card.pk): card for card in made})
        kept.update((card.pk, card) for card in made)
    return [kept[pk] for pk in ids if pk in kept]


# A card's markup, as the template includes/product_cards.html printed it (tests/catalogue pin it
# against the old template): filled here with escaped fields, because through the
# template engine its ten variables a card were a third of a catalogue page's time.
_CARD = """
<div class="col">
<div class="card h-100 product-card">
  {image}
  <div class="card-body">
    <div class="mb-1">{stars}</div>
    <h2 class="h6 card-title"><a class="stretched-link text-decoration-none" \
href="{url}">{name}</a></h2>
    <p class="card-text small text-muted mb-0">{producer}</p>
    <p class="card-text small text-muted">{place}</p>
  </div>
</div>
</div>"""
_IMAGE = (
    '<img src="{src}" class="card-img-top" alt="{alt}" loading="lazy" width="480" height="360">'
)
_PLACEHOLDER = '<div class="card-img-top placeholder-img" aria-hidden="true"></div>'


# A card's markup depends on the card's fields and the language (the stars' label)
# alone: kept per both, bounded like the cards.
_markup = caching.LocalStore(entries=4096)


def html(cards_: list[Card]) -> SafeString:
    """The cards' markup: every field escaped, the stars from the site's own tag."""
    language = get_language()
    keys = [(language, card) for card in cards_]
    kept = _markup.get_many(keys)
    if made := {key: _card_html(key[1]) for key in keys if key not in kept}:
        _markup.set_many(made)
        kept.update(made)
    return mark_safe("".join(kept[key] for key in keys))


def _card_html(card: Card) -> str:
    from core.templatetags.site_tags import stars

    name = _escape_text(card.name)
    image = (
        _IMAGE.format(src=_escape_text(card.thumbnail), alt=name)
        if card.thumbnail
        else _PLACEHOLDER
    )
    return _CARD.format(
        image=image,
        stars=stars(card.stars),
        url=_escape_text(card.url),
        name=name,
        producer=_escape_text(card.producer),
        place=_escape_text(card.place),
    )


def _escape_text(value) -> str:
    # What django.utils.html.escape returns (it is html.escape of str()), without its
    # lazy-argument wrapper and SafeString: ~150 fields a page, the whole marked safe once.
    return _escape(str(value), quote=True)
