"""A fixed-window request budget kept in the shared cache, for pages outside the API (whose
throttling is DRF's): so many requests per key in each window, then a refusal in words."""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def allow(key: str, limit: int, seconds: int) -> bool:
    """Count one request against `key`; False once `limit` were counted in this window.

    A cache that cannot be written lets the request through (logged): a budget guards
    the workers' time, and refusing everyone while the cache is down would be worse."""
    if limit <= 0:
        return True
    name = f"throttle:{key}"
    try:
        if cache.add(name, 1, seconds):
            return True
        try:
            return cache.incr(name) <= limit
        except ValueError:  # the window ended between add() and incr()
            cache.add(name, 1, seconds)
            return True
    except Exception:  # noqa: BLE001 — any backend fault
        logger.warning("cache unavailable; %s not counted", key.split(":")[0], exc_info=True)
        return True
