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
