from django import template

from catalogue import cards as product_cards_

register = template.Library()


@register.simple_tag
def product_cards(cards):
    """{% product_cards cards %}: the cards of catalogue/cards.py's rows (cards.html)."""
    return product_cards_.html(cards)
