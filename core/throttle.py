"""A fixed-window request budget kept in the shared cache, for pages outside the API (whose
throttling is DRF's): so many requests per key in each window, then a refusal in words."""

from django.core.cache import cache


def allow(key: str, limit: int, seconds: int) -> bool:
    """Count one request against `key`; False once `limit` were counted in this window."""
    if limit <= 0:
        return True
    name = f"throttle:{key}"
    if cache.add(name, 1, seconds):
        return True
    try:
        return cache.incr(name) <= limit
    except ValueError:  # the window ended between add() and incr()
        cache.add(name, 1, seconds)
        return True
