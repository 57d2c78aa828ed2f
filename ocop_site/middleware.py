"""Site-wide response headers that Django does not set itself, and a guard on input."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.defaultfilters import filesizeformat
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from ocop_site.upload_handlers import RequestTooLarge


def permissions_policy(get_response):
    """Switch off browser features no page of this site uses (camera, location, …),
    so an injected script could not ask for them either."""

    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


def limit_request_size(get_response):
    """Answer 413 to a request larger than MAX_REQUEST_BYTES, before its body is read.

    Django's multipart parser writes every uploaded file over FILE_UPLOAD_MAX_MEMORY_SIZE
    to a temporary file as it reads it, whatever the form will say of its size afterwards:
    a 2 GB upload would fill the disk of a server that refuses it. DATA_UPLOAD_MAX_MEMORY_SIZE
    bounds the form's fields, not its files. So the declared length is refused here, and the
    body is parsed here (as refuse_nul_bytes would, next) with the upload handler that stops
    at the same limit (ocop_site/upload_handlers.py), for a body longer than it declared.
    """

    def middleware(request):
        if declared_length(request) > settings.MAX_REQUEST_BYTES:
            return _too_large()
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 — parsed now, within the bound
            except RequestTooLarge:
                return _too_large()
        return get_response(request)

    return middleware


def declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # as Django reads it: no body at all


def _too_large():
    return HttpResponse(
        _(
            "The files sent are larger than the %(limit)s the site takes at a time. Send "
            "fewer or smaller files at once: a document may be at most %(document)s, a photo "
            "%(photo)s."
        )
        % {
            "limit": filesizeformat(settings.MAX_REQUEST_BYTES),
            "document": filesizeformat(settings.MAX_DOCUMENT_BYTES),
            "photo": filesizeformat(settings.MAX_PHOTO_BYTES),
        },
        status=413,
        content_type="text/plain; charset=utf-8",
    )


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
