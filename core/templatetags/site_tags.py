from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def path_in_language(context, language_code):
    """This page's address in another language.

    Computed while the page's own language is active: Django's set_language view
    translates `next` under the language of the *cookie*, which fails for a visitor
    who opened an /en/ link directly and would leave them on the English page.
    """
    request = context["request"]
    path = translate_url(request.path, language_code)
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path


@register.simple_tag(takes_context=True)
def site_root(context):
    """The public address of the site: SITE_URL when set, else the address asked for."""
    from django.conf import settings

    request = context["request"]
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


@register.simple_tag
def stars(count):
    """Filled and empty stars with a spoken label, as includes/stars.html drew them;
    a tag because catalogue pages draw 24 of them and an include each was a tenth of
    the page's time."""
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import ngettext

    if not count:
        return mark_safe('<span class="text-muted">—</span>')
    label = ngettext("%(stars)s star", "%(stars)s stars", count) % {"stars": count}
    off = 5 - count
    return format_html(
        '<span class="stars" aria-label="{}" title="{}">{}{}</span>',
        label,
        label,
        "★" * count,
        mark_safe('<span class="star-off">★</span>' * off),
    )


@register.filter
def person(who):
    """{{ change.actor|person }}: a person's full name (core.people.display_name)."""
    from core.people import display_name

    return display_name(who)
