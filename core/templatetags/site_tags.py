from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext, override

register = template.Library()


@register.simple_tag(takes_context=True)
def path_in_language(context, language_code):
    """This page's address in another language.

    Computed while the page's own language is active: Django's set_language view
    translates `next` under the language of the *cookie*, which fails for a visitor
    who opened an /en/ link directly and would leave them on the English page.

    Every page asks for it five times (canonical alternates, the language switch): the
    path is resolved once a request (the handler's own match) and reversed once a
    language, rather than resolved again by translate_url each time.
    """
    request = context["request"]
    paths = getattr(request, "_paths_in_language", None)
    if paths is None:
        paths = request._paths_in_language = {}
    path = paths.get(language_code)
    if path is None:
        path = paths[language_code] = _translated_path(request, language_code)
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path


def _translated_path(request, language_code) -> str:
    match = getattr(request, "resolver_match", None)
    # The handler's match is for this very path; without one (a 404 page, a path
    # rewritten by a middleware) Django's own translate_url resolves it.
    if match is None or match.route is None or request.path_info != request.path:
        return translate_url(request.path, language_code)
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with override(language_code):
        try:
            return reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return translate_url(request.path, language_code)


@register.simple_tag(takes_context=True)
def alternate_links(context, root):
    """The page's address in each language, and the default one, for search engines:
    one tag rather than a loop of tags (every page has them)."""
    links = [
        format_html(
            '<link rel="alternate" hreflang="{}" href="{}{}">',
            code,
            root,
            path_in_language(context, code),
        )
        for code, _name in settings.LANGUAGES
    ]
    links.append(
        format_html(
            '<link rel="alternate" hreflang="x-default" href="{}{}">',
            root,
            path_in_language(context, settings.LANGUAGE_CODE),
        )
    )
    return mark_safe("\n  ".join(links))


@register.simple_tag(takes_context=True)
def language_switch(context):
    """The menu's language buttons: the same page's address in each language."""
    current = get_language()
    return mark_safe(
        "\n".join(
            format_html(
                '<a href="{}" hreflang="{}" lang="{}" title="{}" class="btn btn-sm {}"{}>{}</a>',
                path_in_language(context, code),
                code,
                code,
                name,
                "btn-light" if code == current else "btn-outline-light",
                mark_safe(' aria-current="true"') if code == current else "",
                code.upper(),
            )
            for code, name in settings.LANGUAGES
        )
    )


@register.simple_tag(takes_context=True)
def site_root(context):
    """The public address of the site: SITE_URL when set, else the address asked for."""
    request = context["request"]
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


@register.simple_tag
def stars(count):
    """Filled and empty stars with a spoken label, as includes/stars.html drew them;
    a tag because catalogue pages draw 24 of them and an include each was a tenth of
    the page's time. The markup depends on the count and the language alone: kept."""
    return _stars(count or 0, get_language())


@lru_cache(maxsize=64)  # 0-5 stars, in each language (and any count a bad row holds)
def _stars(count, language):
    if not count:
        return mark_safe('<span class="text-muted">—</span>')
    with override(language):
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
