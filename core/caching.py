"""The shared cache as a help, never a dependency.

What is kept in the cache (whole pages, counts, statistics, certificate PDFs, request
budgets) can always be made again, so a cache that fails (a full or read-only disk,
Redis restarting or out of memory) costs speed, never a page or a write: reads that
fail are misses, writes that fail are skipped, and each failure is logged for the
operator. The health URL reports the cache as failed meanwhile.
"""

import logging

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
