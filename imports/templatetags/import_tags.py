from django import template

from imports.access import import_scope

register = template.Library()


@register.simple_tag
def may_import(user) -> bool:
    """Whether the menu offers the bulk import: offices and administrators only. Kept on
    the request's user: the menu and the account list both ask (includes/nav_*.html)."""
    if not user.is_authenticated:
        return False
    known = getattr(user, "_may_import", None)
    if known is None:
        known = user._may_import = import_scope(user) is not None
    return known
