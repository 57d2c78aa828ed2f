"""Whole public pages kept for anonymous visitors, and dropped the moment data changes.

Rendering a catalogue page costs tens of milliseconds (24 cards, the facet form), and
the same few pages are asked for over and over by people who are not signed in. Their
HTML is the same for every such visitor, so it is kept in the shared cache and served
for about the cost of Django's bare view.

Freshness is not left to a timer: every saved or deleted product, producer,
certificate, photo, sales point, … replaces one "public data version" (on commit, so a
page rendered from uncommitted rows is never tagged with the new version). A kept page
carries the version it was made from and is used only while that version is current,
so a revoked certificate stops showing as valid on the next request, in every worker.
Bulk writes that send no signals (imports, demo loads) call `changed()` themselves.

Never kept: signed-in visitors (any request carrying a session cookie, since the page
shows their name and links), anything but GET/HEAD, responses that set a cookie, and
answers other than 200 and 404.
"""

import hashlib
import uuid
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone

VERSION_KEY = "public-data-version"
# Headers a kept page is served again with; the rest (CSP, security headers, Vary)
# are added by the middleware on every response, cached or not.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control")
KEPT_STATUSES = (200, 404)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def changed() -> None:
    """Public data changed: pages made before this moment are no longer served.

    Twice: at once, so this connection's next page is fresh (with the database cache the
    write is part of the open transaction), and again after commit, so a page another
    worker rendered from the old rows in between is not served under the new version
    (a cache outside the database sees the first write before the commit)."""
    _new_version()
    transaction.on_commit(_new_version)


def version() -> str:
    """The current public data version: part of the key of anything derived from public
    data (counts, statistics), so a change makes them be computed again."""
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        current = cache.get(VERSION_KEY)
    return current


def _page_key(request) -> str:
    # Host: pages print absolute canonical and hreflang links. Date: public() depends
    # on today, so a product leaves every kept page on its certificate's expiry day.
    raw = f"{request.method}|{request.get_host()}|{request.get_full_path()}"
    digest = hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()
    return f"public-page:{timezone.localdate()}:{digest}"


def _cacheable_request(request) -> bool:
    # A "messages" cookie carries a note for this visitor alone (cookie message storage).
    return (
        settings.PUBLIC_PAGE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _cacheable_response(response) -> bool:
    return (
        response.status_code in KEPT_STATUSES
        and not response.streaming
        and not response.cookies
        and not response.has_header("Set-Cookie")
    )


def public_page(view):
    """Serve `view`'s answer from the shared cache to anonymous visitors."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        # One round trip for both: the kept page and the current data version.
        found = cache.get_many([key, VERSION_KEY])
        current = found.get(VERSION_KEY) or version()
        kept = found.get(key)
        if kept is not None and kept["version"] == current:
            response = HttpResponse(kept["content"], status=kept["status"])
            for name, value in kept["headers"].items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response

        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _cacheable_response(response):
            entry = {
                "version": current,
                "status": response.status_code,
                "content": response.content,
                "headers": {h: response[h] for h in KEPT_HEADERS if response.has_header(h)},
            }
            cache.set(key, entry, settings.PUBLIC_PAGE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    return wrapped


def _public_data_changed(sender, raw=False, **kwargs):
    if not raw:  # loaddata (a restore) says so itself when it is done
        changed()


def drop_pages_when_saved(*labels: str, m2m: tuple = ()) -> None:
    """Every save or delete of these models (and every change of these many-to-many
    tables) drops the kept pages. Each app names its own public models in its ready()."""
    for label in labels:
        model = apps.get_model(label)
        uid = f"public_pages_{label}"
        post_save.connect(_public_data_changed, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(_public_data_changed, sender=model, dispatch_uid=f"{uid}_delete")
    for through in m2m:
        m2m_changed.connect(
            _public_data_changed, sender=through, dispatch_uid=f"public_pages_{through._meta.label}"
        )
