from django import template

from catalogue import cards as product_cards_
from catalogue import facets as facets_

register = template.Library()


@register.simple_tag
def product_cards(cards):
    """{% product_cards cards %}: the cards of catalogue/cards.py's rows (cards.html)."""
    return product_cards_.html(cards)


@register.simple_tag
def facet_selects(facets):
    """{% facet_selects facets %}: the facet form's selects (catalogue/facets.py html)."""
    return facets_.html(facets)
