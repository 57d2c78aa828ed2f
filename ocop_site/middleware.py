"""Site-wide response headers that Django does not set itself, and a guard on input."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _


def permissions_policy(get_response):
    """Switch off browser features no page of this site uses (camera, location, …),
    so an injected script could not ask for them either."""

    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


def refuse_nul_bytes(get_response):
    """Answer 400 to a request with a NUL character in its path, query, form or cookies.

    PostgreSQL can neither store nor compare text holding NUL and refuses the whole query
    (ValueError: a 500). Django's form fields refuse it, but much reaches a query without
    one: the session cookie, the admin's list filters and autocomplete, a certificate number
    in the URL. No page of this site takes a NUL, so none goes further than here.
    """

    def middleware(request):
        if _carries_nul(request):
            return HttpResponseBadRequest(
                _("The request contains a NUL character, which no page of this site accepts."),
                content_type="text/plain; charset=utf-8",
            )
        return get_response(request)

    return middleware


def _carries_nul(request) -> bool:
    texts = [request.path, *request.COOKIES.keys(), *request.COOKIES.values()]
    # request.POST is parsed here rather than by the CSRF check a little later: same cost.
    for data in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
        for key, values in data.lists():
            texts.append(key)
            texts.extend(values)
    return any("\x00" in text for text in texts)


def private_pages_not_stored(get_response):
    """Pages for a signed-in user are never stored by a browser or a proxy.

    They show a member's card, a dossier's papers, an office's decisions: on a shared
    office PC the back button or a proxy's cache must not bring them back to the next
    person. A response that already says how it may be cached keeps its own header
    (the certificate QR code, the kept public pages of anonymous visitors).
    """

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

    return middleware
