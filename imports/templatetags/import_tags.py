from django import template

from imports.access import import_scope

register = template.Library()


@register.simple_tag
def may_import(user) -> bool:
    """Whether the menu offers the bulk import: offices and administrators only."""
    return user.is_authenticated and import_scope(user) is not None
