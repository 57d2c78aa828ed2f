"""Previewed imports waiting for confirmation, kept on the server (models.PendingImport).

The rows as read are kept (text, JSON-safe), keyed by the file's SHA-256 and the user,
with what their check said (imports.checked: the preview's pages read that); the
confirmation checks them again against the database, so nothing stale is written. A
user keeps at most a few previews, the newest ones, for PENDING_HOURS.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from imports.models import PendingImport, PreviewRow, PreviewStatus

KEEP = 3
PENDING_HOURS = 24


def store(
    *,
    user,
    sha256,
    file_name,
    kind,
    rows,
    fingerprint,
    table=None,
    status=PreviewStatus.READY,
    summary=None,
) -> PendingImport:
    """Keep the rows as read (the checked rows kept before are dropped: the caller keeps
    the new ones, imports.checked.keep, or queues the job that will)."""
    defaults = {
        "file_name": file_name,
        "kind": kind,
        "rows": [[line, values] for line, values in rows],
        "fingerprint": fingerprint,
        "status": status,
        "row_count": len(rows),
        "rows_checked": 0,
        "summary": summary or {},
        "message": "",
    }
    if table is not None:  # kept from the upload when the rows are read again
        defaults["table"] = table
    with transaction.atomic():
        item, _created = PendingImport.objects.update_or_create(
            user=user, sha256=sha256, defaults=defaults
        )
        PreviewRow.objects.filter(pending=item).delete()
        newest = PendingImport.objects.filter(user=user).order_by("-stored_at", "-pk")
        keep = list(newest.values_list("pk", flat=True)[:KEEP])
        PendingImport.objects.filter(user=user).exclude(pk__in=keep).delete()
    _forget_old()
    return item


def find(token: str, user) -> PendingImport | None:
    """The preview `token` as its pages show it (without the rows as read and the
    cells: a page reads its checked rows): the user's own, or for an administrator
    anyone's. None for anyone else, who then gets 404."""
    found = _fresh().defer("rows", "table").filter(sha256=token)
    item = found.filter(user=user).first()
    if item is None and user.is_superuser:
        item = found.order_by("-stored_at").first()
    return item


def load(token: str, user) -> dict | None:
    item = _fresh().filter(user=user, sha256=token).first()
    if item is None:
        return None
    return {
        "file_name": item.file_name,
        "kind": item.kind,
        "rows": [(line, values) for line, values in item.rows],
        "fingerprint": item.fingerprint,
        "table": item.table,
        "status": item.status,
        "summary": item.summary,
    }


def take(token: str, user) -> dict | None:
    """load() and discard() as one step, holding the preview's row until the caller's
    transaction ends: of two confirmations at once, the second waits, then finds none."""
    row = (
        _fresh()
        .select_for_update()
        .filter(user=user, sha256=token, status=PreviewStatus.READY)
        .only("pk")
        .first()
    )
    if row is None:
        return None
    item = load(token, user)
    row.delete()
    return item


def discard(token: str, user):
    PendingImport.objects.filter(user=user, sha256=token).delete()


def _fresh():
    return PendingImport.objects.filter(
        stored_at__gte=timezone.now() - timedelta(hours=PENDING_HOURS)
    )


def _forget_old():
    PendingImport.objects.filter(
        stored_at__lt=timezone.now() - timedelta(hours=PENDING_HOURS)
    ).delete()
