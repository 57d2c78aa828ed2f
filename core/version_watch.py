"""The public data version, known without asking PostgreSQL while nothing has changed.

Every kept page reads the version of what it shows (core/page_cache.py). On PostgreSQL
that is a round trip to another process: a fifth of what serving a kept page costs, and
two of a product page's three statements. So each connection that reads a version also
LISTENs on CHANNEL and keeps what it read, and every change sends NOTIFY on CHANNEL in its
own transaction, which PostgreSQL delivers to every listening session when, and only if,
that transaction commits. What a connection keeps is dropped when

* a notification has arrived on it: before answering from what it keeps, the
  connection's buffered input is read (psycopg2's poll(): the socket, no round trip);
* this machine's stamp (STAMP_NAME under var/) moved: every process bumps it right after
  committing a change, before the request that made the change is answered, so a request
  that reaches any worker of this machine after that answer never gets a page from
  before it, without waiting for the notification;
* this process announced a change itself (another thread of a threaded server), or the
  connection is a new one (the new session listens before its first read).

Across machines the notification is the only word: PostgreSQL signals the listening
sessions as the change commits, and each sends it on at once (well under a millisecond
on a local network): a visitor on another machine sees the change on their next request
after that.

Never inside a transaction (a test's, an atomic view's): notifications wait until it
ends, so reads there always ask the database. Never on SQLite, whose reads are in
process and cost ~20 µs. Anything unexpected (no stamp file, a connection that fails
to listen or poll) means "not known": the database is asked, as before.
"""

import contextlib
import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path
from weakref import WeakKeyDictionary

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

CHANNEL = "ocop_public_change"
STAMP_NAME = "public-change.stamp"
# Versions a connection keeps: each tag set read (a product page's is its own), at most.
MAX_KNOWN = 1024
# The stamp grows a byte a change; past this it is replaced by a new file (a new inode).
STAMP_MAX_BYTES = 65536

_lock = threading.Lock()
# Bumped by every change this process commits: what any of its connections kept is old.
_generation = 0
# The driver's connections -> what each knows (a closed connection leaves with its own).
_states: WeakKeyDictionary = WeakKeyDictionary()


class _State:
    __slots__ = ("generation", "stamp", "known", "__weakref__")

    def __init__(self):
        self.generation = -1
        self.stamp = None
        self.known: OrderedDict = OrderedDict()


def _stamp_path() -> Path:
    return Path(settings.PUBLIC_CHANGE_STAMP_DIR) / STAMP_NAME


def _stamp():
    """The stamp's identity (inode, size): it changes with every bump. None if absent."""
    try:
        found = os.stat(_stamp_path())
    except OSError:
        return None
    return found.st_ino, found.st_size


def _bump_stamp() -> None:
    path = _stamp_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as stamp:
            stamp.write(b".")
            size = stamp.tell()
        if size > STAMP_MAX_BYTES:
            fresh = path.with_name(f"{STAMP_NAME}.{os.getpid()}")
            fresh.write_bytes(b".")
            os.replace(fresh, path)  # a new inode: no reader's old identity matches it
    except OSError:
        # A stamp that cannot be written: remove it if possible, so that no process
        # answers from what it keeps (they all ask the database while it is absent).
        logger.warning("public change stamp not written; versions are read each time")
        with contextlib.suppress(OSError):
            path.unlink()


def _usable():
    """The driver's connection if a version may be known on it now, else None."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    raw = connection.connection
    if raw is None or not hasattr(raw, "poll") or raw.closed:
        return None
    return raw


def _current(raw, state) -> bool:
    """Drop what `state` keeps if anything changed since it was read; False if it is
    not safe to keep anything now."""
    try:
        raw.poll()
    except Exception:  # noqa: BLE001 — a broken connection: the query will say so
        state.known.clear()
        return False
    if raw.notifies:
        raw.notifies.clear()
        state.known.clear()
    stamp = _stamp()
    if stamp is None:
        state.known.clear()
        return False
    if state.generation != _generation or state.stamp != stamp:
        state.known.clear()
        state.generation, state.stamp = _generation, stamp
    return True


def known(key):
    """What this connection read for `key` since the last change, or None."""
    raw = _usable()
    if raw is None:
        return None
    state = _states.get(raw)
    if state is None:
        return None
    with _lock:
        if not _current(raw, state):
            return None
        value = state.known.get(key)
        if value is not None:
            state.known.move_to_end(key)
        return value


def begin():
    """Before reading a version from the database: listen (once per connection) and
    note the moment, so that a change after it drops what is read. A token for
    remember(), or None."""
    raw = _usable()
    if raw is None:
        return None
    state = _states.get(raw)
    if state is None:
        if _stamp() is None:
            _bump_stamp()  # the first process on a new machine: make the stamp
        try:
            with raw.cursor() as cursor:
                cursor.execute(f"LISTEN {CHANNEL}")
        except Exception:  # noqa: BLE001 — not listening: never keep anything on it
            logger.warning("LISTEN failed; public versions are read each time", exc_info=True)
            return None
        state = _states[raw] = _State()
    with _lock:
        if not _current(raw, state):
            return None
        return state, state.generation, state.stamp


def remember(token, key, value) -> None:
    """Keep what was read after begin() (unless something changed since)."""
    if token is None:
        return
    state, generation, stamp = token
    with _lock:
        if state.generation != generation or state.stamp != stamp:
            return
        state.known[key] = value
        state.known.move_to_end(key)
        while len(state.known) > MAX_KNOWN:
            state.known.popitem(last=False)


def notify(cursor) -> None:
    """In the transaction that records a change: every listening session is told when it
    commits (nothing is sent if it rolls back)."""
    if connection.vendor == "postgresql":
        cursor.execute(f"NOTIFY {CHANNEL}")


def forget() -> None:
    """After a change has committed: nothing this process or machine kept is used again."""
    global _generation
    if connection.vendor != "postgresql":
        return
    with _lock:
        _generation += 1
    _bump_stamp()


def reset() -> None:
    """Forget every connection's versions (tests that empty the database between them)."""
    global _generation
    with _lock:
        _generation += 1
        _states.clear()
