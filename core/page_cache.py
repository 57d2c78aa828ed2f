"""Whole public pages kept for anonymous visitors, and dropped the moment data changes.

Rendering a catalogue page costs tens of milliseconds (24 cards, the facet form), and
the same few pages are asked for over and over by people who are not signed in. Their
HTML is the same for every such visitor, so it is kept in the shared cache and served
for about the cost of Django's bare view.

Freshness is not left to a timer: every saved or deleted product, producer,
certificate, photo, sales point, … adds a row to `core.PublicChange`, in the same
transaction, and the largest id is the "public data version". A kept page carries the
version it was made from and is used only while that version is current, so a revoked
certificate stops showing as valid on the next request, in every worker and on every
machine that shares the database. Bulk writes that send no signals (imports, demo
loads) call `changed()` themselves.

The version is read from the database (one indexed MAX, about a tenth of a millisecond)
rather than kept in the cache, so the cache holds nothing that cannot be made again: a
cache that cannot be written never blocks a revocation, and the page made before it is
never served after it (core/caching.py: a failing cache is a miss).

Never kept: signed-in visitors (any request carrying a session cookie, since the page
shows their name and links), anything but GET/HEAD, responses that set a cookie, and
answers other than 200 and 404.
"""

import contextvars
import hashlib
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone

from core import caching
from core.models import PublicChange

# Headers a kept page is served again with; the rest (CSP, security headers, Vary)
# are added by the middleware on every response, cached or not.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control")
KEPT_STATUSES = (200, 404)


# The version a kept page's view is being rendered under: what it derives (the
# catalogue's count) is keyed by the same version without asking the database again.
_rendering_under = contextvars.ContextVar("public_data_version", default=None)
# Only the largest id matters; older rows are pruned now and then, on commit.
PRUNE_EVERY = 256


def _record() -> None:
    PublicChange.objects.create()


def _record_after_commit() -> None:
    change = PublicChange.objects.create()
    if change.pk % PRUNE_EVERY == 0:
        PublicChange.objects.filter(pk__lte=change.pk - PRUNE_EVERY).delete()


def changed() -> None:
    """Public data changed: pages made before this moment are no longer served.

    Twice: once in the open transaction, so the change and its announcement commit or
    roll back together and this connection's next page is fresh; and again after commit,
    because on PostgreSQL a concurrent transaction that committed first may hold a larger
    id, and a page another worker rendered in between (without these rows) would be
    served under it. A fault in the second is logged (robust): the write has committed.

    Once per transaction, not once per row: an import saving 2,000 products announces
    one change. Unless a version was read since (a page made inside the transaction,
    as tests do): then the next change must move the version past that page."""
    queued = connection.in_atomic_block and any(
        entry[1] is _record_after_commit for entry in connection.run_on_commit
    )
    if queued and not getattr(connection, "public_version_read", False):
        return
    _record()
    _rendering_under.set(None)
    connection.public_version_read = False
    if not queued:
        transaction.on_commit(_record_after_commit, robust=True)


def version() -> str:
    """The current public data version: part of the key of anything derived from public
    data (counts, statistics), so a change makes them be computed again."""
    connection.public_version_read = True
    if (known := _rendering_under.get()) is not None:
        return known
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        (latest,) = cursor.fetchone()
    return str(latest or 0)


def _version_sql() -> str:
    # Plain SQL: this runs on every kept-page hit, where building an ORM query would
    # cost more than running it.
    table = connection.ops.quote_name(PublicChange._meta.db_table)
    return f"SELECT MAX(id) FROM {table}"


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
        current = version()
        kept = caching.get(key)
        if kept is not None and kept["version"] == current:
            response = HttpResponse(kept["content"], status=kept["status"])
            for name, value in kept["headers"].items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response

        token = _rendering_under.set(current)
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
        finally:
            _rendering_under.reset(token)
        if _cacheable_response(response):
            entry = {
                "version": current,
                "status": response.status_code,
                "content": response.content,
                "headers": {h: response[h] for h in KEPT_HEADERS if response.has_header(h)},
            }
            kept = caching.set(key, entry, settings.PUBLIC_PAGE_SECONDS)
            response["X-Page-Cache"] = "miss" if kept else "not-kept"
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
