"""Previewed imports waiting for confirmation, kept in the user's session.

Only the rows as read are kept (text, JSON-safe), keyed by the file's SHA-256; the
confirmation checks them again against the database, so nothing stale is written. A
session holds at most a few previews, the newest ones.
"""

from django.utils import timezone

SESSION_KEY = "registry_import_pending"
KEEP = 3


def store(session, *, user, sha256, file_name, kind, rows, fingerprint) -> str:
    pending = dict(session.get(SESSION_KEY, {}))
    pending.pop(sha256, None)
    pending[sha256] = {
        "user": user.pk,
        "file_name": file_name,
        "kind": kind,
        "rows": [[line, values] for line, values in rows],
        "fingerprint": fingerprint,
        "stored_at": timezone.now().isoformat(),
    }
    session[SESSION_KEY] = dict(list(pending.items())[-KEEP:])
    return sha256


def load(session, token: str, user) -> dict | None:
    item = session.get(SESSION_KEY, {}).get(token)
    if item is None or item.get("user") != user.pk:
        return None
    return {**item, "rows": [(line, values) for line, values in item["rows"]]}


def discard(session, token: str):
    pending = dict(session.get(SESSION_KEY, {}))
    if pending.pop(token, None) is not None:
        session[SESSION_KEY] = pending
