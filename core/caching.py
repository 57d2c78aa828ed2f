"""The shared cache as a help, never a dependency.

What is kept in the cache (whole pages, counts, statistics, certificate PDFs, request
budgets) can always be made again, so a cache that fails (a full or read-only disk,
Redis restarting or out of memory) costs speed, never a page or a write: reads that
fail are misses, writes that fail are skipped, and each failure is logged for the
operator. The health URL reports the cache as failed meanwhile.
"""

import logging
import threading
from collections import OrderedDict

from django.core.cache import cache

logger = logging.getLogger(__name__)
_MISSING = object()


def get_many(keys) -> dict:
    try:
        return cache.get_many(keys)
    except Exception:  # noqa: BLE001 — any backend fault is a miss
        logger.warning("cache read failed; the page is made again", exc_info=True)
        return {}


def get(key, default=None):
    return get_many([key]).get(key, default)


def set(key, value, timeout) -> bool:  # noqa: A001 — the cache's own word
    try:
        cache.set(key, value, timeout)
    except Exception:  # noqa: BLE001 — any backend fault: the value is not kept
        logger.warning("cache write failed; %s is not kept", key.split(":")[0], exc_info=True)
        return False
    return True


def get_or_make(key, make, timeout):
    """The kept value for `key`, or `make()`'s answer, kept when the cache allows."""
    value = get(key, _MISSING)
    if value is _MISSING:
        value = make()
        set(key, value, timeout)
    return value


# Every store of this process, emptied together (forget_local).
_stores: list["LocalStore"] = []


class LocalStore:
    """Values whose keys fully name them (a version in the key), kept in this process
    only, the least recently used dropped past `entries`: what most visitors ask for,
    where even the shared cache's read and unpickling would cost more."""

    def __init__(self, entries: int):
        self.entries = entries
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        _stores.append(self)

    def get_many(self, keys) -> dict:
        found = {}
        with self._lock:
            for key in keys:
                value = self._values.get(key, _MISSING)
                if value is not _MISSING:
                    self._values.move_to_end(key)
                    found[key] = value
        return found

    def set_many(self, values: dict) -> None:
        with self._lock:
            self._values.update(values)
            for key in values:
                self._values.move_to_end(key)
            while len(self._values) > self.entries:
                self._values.popitem(last=False)

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self):  # a snapshot of the keys, oldest first
        with self._lock:
            return iter(list(self._values))

    def __contains__(self, key) -> bool:
        return key in self._values

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


# A value whose key names everything it depends on (the public data version, the day,
# the language, the host) never changes under that key: each process keeps the latest
# few of them in memory as well, so the pages every visitor asks for (a product's body,
# the facets' lists, a list's count) skip the shared cache's read and unpickling. A
# bounded number: 256 entries of at most a few tens of kB each (tests/bench measure the
# workers' memory after `make bench`).
_local = LocalStore(entries=256)


def get_or_make_fixed(key, make, timeout):
    """get_or_make() for a value its key fully names: also kept in this process."""
    if found := _local.get_many([key]):
        return found[key]
    value = get_or_make(key, make, timeout)
    _local.set_many({key: value})
    return value


def get_fixed(key, default=None):
    """A value kept under a key that fully names it: this process's copy, else the
    shared cache's (then kept here too)."""
    if found := _local.get_many([key]):
        return found[key]
    value = get(key, _MISSING)
    if value is _MISSING:
        return default
    _local.set_many({key: value})
    return value


def set_fixed(key, value, timeout) -> None:
    """Keep a value its key fully names, here and in the shared cache."""
    set(key, value, timeout)
    _local.set_many({key: value})


def forget_local() -> None:
    """Drop what this process keeps (tests that empty the shared cache)."""
    for store in _stores:
        store.clear()
