"""Previewed imports waiting for confirmation, kept on the server (models.PendingImport).

Only the rows as read are kept (text, JSON-safe), keyed by the file's SHA-256 and the
user; the confirmation checks them again against the database, so nothing stale is
written. A user keeps at most a few previews, the newest ones, for PENDING_HOURS.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from imports.models import PendingImport

KEEP = 3
PENDING_HOURS = 24


def store(*, user, sha256, file_name, kind, rows, fingerprint, table=None) -> str:
    defaults = {
        "file_name": file_name,
        "kind": kind,
        "rows": [[line, values] for line, values in rows],
        "fingerprint": fingerprint,
    }
    if table is not None:  # kept from the upload when the rows are read again
        defaults["table"] = table
    with transaction.atomic():
        PendingImport.objects.update_or_create(user=user, sha256=sha256, defaults=defaults)
        newest = PendingImport.objects.filter(user=user).order_by("-stored_at", "-pk")
        keep = list(newest.values_list("pk", flat=True)[:KEEP])
        PendingImport.objects.filter(user=user).exclude(pk__in=keep).delete()
    _forget_old()
    return sha256


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
    }


def take(token: str, user) -> dict | None:
    """load() and discard() as one step, holding the preview's row until the caller's
    transaction ends: of two confirmations at once, the second waits, then finds none."""
    row = _fresh().select_for_update().filter(user=user, sha256=token).first()
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
