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

The version is read from the database (one indexed MAX, about a tenth of a millisecond;
on PostgreSQL known without asking while no change has been announced since it was
read: core/version_watch.py) rather than kept in the cache, so the cache holds nothing
that cannot be made again: a cache that cannot be written never blocks a revocation,
and the page made before it is never served after it (core/caching.py: a failing cache
is a miss).

Never kept: signed-in visitors (any request carrying a session cookie, since the page
shows their name and links), anything but GET/HEAD, responses that set a cookie, and
answers other than 200 and 404.
"""

import contextvars
import hashlib
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone

from core import caching, prepared, version_watch
from core.models import PublicChange

# Headers a kept page is served again with; the rest (CSP, security headers, Vary)
# are added by the middleware on every response, cached or not.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control")
KEPT_STATUSES = (200, 404)

# Tags: what a change touches and what a kept page shows. Every page depends on ALL
# (places, product groups and sets, sales points, bulk loads: rare changes that touch
# everything); LISTS is every page that lists or counts products (catalogue, statistics,
# sales points, a certificate number not found); "product:<id>" a product's page and its
# certificates' checks; "producer:<id>" the pages of that producer's products (they
# list each other). A dossier, a council's result or a target touches none of them.
ALL = "all"
LISTS = "lists"
# A transaction touching more objects than this says ALL (an import, a bulk admin
# action): one row instead of hundreds, and those pages are few next to the lists.
MAX_TAGS = 16


def product_tag(pk) -> str:
    return f"product:{pk}"


def producer_tag(pk) -> str:
    return f"producer:{pk}"


# The version a kept page's view is being rendered under: what it derives (the
# catalogue's count) is keyed by the same version without asking the database again.
_rendering_under = contextvars.ContextVar("public_data_version", default=None)
# The tags the page being rendered declared (depends_on); None outside a kept page.
_page_tags = contextvars.ContextVar("public_page_tags", default=None)
# Only each tag's largest id matters; older rows are pruned now and then, on commit.
PRUNE_EVERY = 256


def _record(tags) -> list[int | None]:
    rows = PublicChange.objects.bulk_create([PublicChange(tag=tag) for tag in sorted(tags)])
    with connection.cursor() as cursor:
        version_watch.notify(cursor)  # other sessions are told when this commits
    return [row.pk for row in rows]


def _record_after_commit() -> None:
    try:
        _record_again()
    finally:
        # Whatever happened above: the change has committed, and no worker of this
        # machine may answer from a version it read before (core/version_watch.py).
        version_watch.forget()


def _record_again() -> None:
    tags = getattr(connection, "public_tags_pending", None) or {ALL}
    connection.public_tags_pending = set()
    ids = _record(tags)
    # Now and then: when one of the new ids is a multiple of PRUNE_EVERY (both databases
    # return the ids of a bulk insert; asked for otherwise).
    if None in ids:
        ids = [PublicChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0]
    if any(pk % PRUNE_EVERY == 0 for pk in ids):
        prune()


def prune() -> None:
    """Drop every row that is not its tag's latest: the version of a set of tags is the
    largest id among them, which this never lowers (nor the overall largest id)."""
    newer = PublicChange.objects.filter(tag=OuterRef("tag"), pk__gt=OuterRef("pk"))
    PublicChange.objects.filter(Exists(newer)).delete()


def _queued() -> bool:
    return connection.in_atomic_block and any(
        entry[1] is _record_after_commit for entry in connection.run_on_commit
    )


def changed(*tags: str) -> None:
    """Public data changed: pages made before this moment that show any of `tags` (by
    default: every page) are no longer served.

    Twice: once in the open transaction, so the change and its announcement commit or
    roll back together and this connection's next page is fresh; and again after commit,
    because on PostgreSQL a concurrent transaction that committed first may hold a larger
    id, and a page another worker rendered in between (without these rows) would be
    served under it. A fault in the second is logged (robust): the write has committed.

    Once per transaction and tag, not once per row: an import saving 2,000 products
    announces one change. Unless a version was read since (a page made inside the
    transaction, as tests do): then the next change must move the version past that page."""
    tags = set(tags) or {ALL}
    queued = _queued()
    pending = connection.public_tags_pending if queued else set()
    if len(pending | tags) > MAX_TAGS:
        tags = {ALL}
    read = getattr(connection, "public_version_read", False)
    fresh = tags if read else tags - pending
    if ALL in pending and not read:
        fresh = set()  # already said: every page
    pending = {ALL} if ALL in pending | tags else pending | tags
    connection.public_tags_pending = pending
    if fresh:
        _record(fresh)
        _rendering_under.set(None)
        connection.public_version_read = False
    if not queued:
        transaction.on_commit(_record_after_commit, robust=True)


def depends_on(*tags: str) -> None:
    """The page being rendered shows what these tags name (ALL is implied): it is served
    again until a change touches one of them. A kept page that names none depends on
    LISTS. Outside a kept page (a signed-in visitor) this does nothing."""
    declared = _page_tags.get()
    if declared is not None:
        declared.update(tags)


def version(*tags: str) -> str:
    """The current public data version, overall or of `tags` (and ALL): part of the key
    of anything derived from public data (counts, statistics), so a change makes them
    be computed again."""
    connection.public_version_read = True
    if not tags and (known := _rendering_under.get()) is not None:
        return known
    key = ("version", frozenset(tags))
    if (known := version_watch.known(key)) is not None:
        return known
    token = version_watch.begin()
    with connection.cursor() as cursor:
        if tags:
            _execute(cursor, *_tags_sql({ALL, *tags}))
        else:
            _execute(cursor, _version_sql(), [])
        (latest,) = cursor.fetchone()
    latest = str(latest or 0)
    version_watch.remember(token, key, latest)
    return latest


def rendering_version() -> str | None:
    """The version the kept page being rendered is made under (what it derives may be
    kept under it too, without a query); None outside one (a signed-in visitor)."""
    return _rendering_under.get()


def _execute(cursor, sql, params) -> None:
    # Every kept page asks this: on PostgreSQL prepared once per connection, one
    # statement a shape (core/prepared.py), rather than parsed and planned each time.
    shape = f"{len(params)}_{'both' if sql.count('MAX(') == 2 else 'one'}"
    prepared.execute(cursor, f"ocop_public_version_{shape}", sql, params)


def _version_sql() -> str:
    # Plain SQL: this runs on every kept-page hit, where building an ORM query would
    # cost more than running it.
    table = connection.ops.quote_name(PublicChange._meta.db_table)
    return f"SELECT MAX(id) FROM {table}"


def _tags_sql(tags, overall=False) -> tuple[str, list]:
    # One index seek per tag (core_publicchange_tag_idx on tag, id), rows pruned to about
    # one a tag: a tenth of a millisecond, like the overall MAX (asked for beside it).
    table = connection.ops.quote_name(PublicChange._meta.db_table)
    tags = sorted(tags)
    marks = ", ".join(["%s"] * len(tags))
    shown = f"SELECT MAX(id) FROM {table} WHERE tag IN ({marks})"
    if overall:
        return f"SELECT ({shown}), ({_version_sql()})", tags
    return shown, tags


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


def _check(kept) -> tuple[bool, str]:
    """Whether a kept page is still current (no change touching what it shows since it
    was made), and the version a page made now may be kept under. One query.

    Any version no larger than the overall one is safe to keep a page under: a change the
    page does not show commits after it was read, so its after-commit row has a larger
    id. The kept page's own tags' version is one (the same address usually shows the same
    things again), and saves reading the overall version a second time. A page kept under
    a version larger than the overall one comes from before a restore: not current."""
    tags = kept.get("tags") if kept is not None else None
    if not tags:  # nothing kept, or a page kept by an earlier release: any change drops it
        current = version()
        return kept is not None and kept.get("version") == current, current
    connection.public_version_read = True
    key = ("check", frozenset(tags))
    if (read := version_watch.known(key)) is None:
        token = version_watch.begin()
        with connection.cursor() as cursor:
            _execute(cursor, *_tags_sql({ALL, *tags}, overall=True))
            read = tuple(int(n or 0) for n in cursor.fetchone())
        version_watch.remember(token, key, read)
    shown, overall = read
    return shown <= int(kept["version"]) <= overall, str(shown)


def restored(previous: str) -> None:
    """A restore replaced the data (and this table) with a backup's: the change ids go on
    from above every version this database handed out before (`previous`, read before
    the restore), so no page kept before the restore is served after it.

    The backup's latest change is renumbered past `previous` and made to say "every
    page", rather than a row added: a restore leaves as many rows as the backup had."""
    above = max(int(previous or 0), int(version())) + 1
    latest = PublicChange.objects.order_by("-pk").first()
    if latest is None:
        PublicChange.objects.create(pk=above, tag=ALL)
    else:
        PublicChange.objects.filter(pk=latest.pk).update(id=above, tag=ALL)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [PublicChange]):
            cursor.execute(statement)
        version_watch.notify(cursor)
    transaction.on_commit(version_watch.forget)


def public_page(view):
    """Serve `view`'s answer from the shared cache to anonymous visitors."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        kept = caching.get(key)
        fresh, current = _check(kept)
        if fresh:
            response = HttpResponse(kept["content"], status=kept["status"])
            for name, value in kept["headers"].items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response

        # Read before rendering: a change committed while the page is made has a larger id.
        token = _rendering_under.set(current)
        tags_token = _page_tags.set(set())
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            tags = sorted(_page_tags.get() or {LISTS})
        finally:
            _rendering_under.reset(token)
            _page_tags.reset(tags_token)
        if _cacheable_response(response):
            entry = {
                "version": current,
                "tags": tags,
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
        changed(ALL)


def drop_pages_when_saved(*labels: str, m2m: tuple = ()) -> None:
    """Every save or delete of these models (and every change of these many-to-many
    tables) drops every kept page: for rare changes that touch everything (places,
    product groups). Models whose changes touch a few pages announce their own tags."""
    for label in labels:
        model = apps.get_model(label)
        uid = f"public_pages_{label}"
        post_save.connect(_public_data_changed, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(_public_data_changed, sender=model, dispatch_uid=f"{uid}_delete")
    for through in m2m:
        m2m_changed.connect(
            _public_data_changed, sender=through, dispatch_uid=f"public_pages_{through._meta.label}"
        )
