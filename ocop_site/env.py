"""Strict readers for settings that come from the environment.

A typo such as DEBUG=Flase must stop the server at start-up, not silently
turn debugging on or off, so every helper refuses values it does not know.
Booleans are exactly ``True`` or ``False``, as the README says: not ``true``,
``1``, ``yes`` or ``on``, so there is one spelling to document and to grep for.
Dates are exactly ``YYYY-MM-DD``: ``01/07/2025`` could be read either way round.
An unset or empty variable takes the default.
"""

import os
import re
from datetime import date

from django.core.exceptions import ImproperlyConfigured

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw == "True":
        return True
    if raw == "False":
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_date(name: str, default: str) -> date:
    raw = os.environ.get(name) or default
    try:
        if not _ISO_DATE.match(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must be a date written YYYY-MM-DD, not {raw!r}"
        ) from exc
