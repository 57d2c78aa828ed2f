"""How long a certificate lasts and what state it is in: pure rules over dates.

Validity: `certificate_validity_months` of the rulebook (36 months, Decision 26/2026
Điều 4 khoản 3; the same in Decision 148). The certificate lapses on `expires_on`, the same
calendar day that many months later (the 31st becomes the last day of a shorter month).
Re-evaluation: the dossier is filed no earlier than `renewal_opens_days` and no later than
`renewal_closes_days` before expiry (180 and 120, Điều 7 khoản 6); inside that window the
certificate is "expiring" for the producer and officials.

Kept in force past expiry: Decision 26/2026 Điều 12 khoản 3 lets a re-evaluation filed too
late for that window (because the window closed before the decision took effect) keep the
certificate in force until the result, at most 180 days after expiry. The certificate then
carries `extended_until`, the first day it is no longer in force (evaluation.filing sets it,
a decision ends it); until then it is "extended", in force like a valid one.

`state()` is the one statement of the rule; `state_q()` is the same rule as a WHERE clause,
for lists and filters, and a parity test holds the two together. Every number comes from a
rulebook; nothing here knows 36, 180 or 120.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext_lazy


class State(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    EXTENDED = "extended"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


# In force: the product may carry the OCOP mark and is listed publicly.
IN_FORCE = frozenset({State.VALID, State.EXPIRING, State.EXTENDED})

STATE_LABELS = {
    State.VALID: gettext_lazy("valid"),
    State.EXPIRING: gettext_lazy("expiring: re-evaluation window open"),
    State.EXPIRED: gettext_lazy("expired"),
    State.EXTENDED: gettext_lazy("in force past expiry: re-evaluation pending"),
    State.REVOKED: gettext_lazy("revoked"),
    State.SUPERSEDED: gettext_lazy("superseded"),
}


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry_date(issued_on: date, validity_months: int) -> date:
    return add_months(issued_on, validity_months)


@dataclass(frozen=True)
class Window:
    opens: date
    closes: date

    def contains(self, day: date) -> bool:
        return self.opens <= day <= self.closes


def renewal_window(expires_on: date, opens_days: int, closes_days: int) -> Window:
    return Window(expires_on - timedelta(days=opens_days), expires_on - timedelta(days=closes_days))


def state(
    *,
    expires_on: date,
    today: date,
    opens_days: int,
    closes_days: int,
    revoked_on: date | None = None,
    superseded: bool = False,
    extended_until: date | None = None,
) -> State:
    """Revoked and superseded win over dates; then extended or expired, expiring, valid."""
    if revoked_on is not None and revoked_on <= today:
        return State.REVOKED
    if superseded:
        return State.SUPERSEDED
    if today >= expires_on:
        if extended_until is not None and today < extended_until:
            return State.EXTENDED
        return State.EXPIRED
    if renewal_window(expires_on, opens_days, closes_days).contains(today):
        return State.EXPIRING
    return State.VALID


@dataclass(frozen=True)
class RenewalRule:
    """Which certificates follow which re-evaluation window, as a WHERE clause."""

    applies_to: Q
    opens_days: int
    closes_days: int


def state_q(wanted: State, today: date, renewal_rules: Iterable[RenewalRule]) -> Q:
    """The certificates to which `state()` gives `wanted` on `today`, as one WHERE clause."""
    if wanted == State.REVOKED:
        return Q(revoked_on__isnull=False, revoked_on__lte=today)
    if wanted == State.SUPERSEDED:
        return _not_revoked(today) & Q(superseded_by__isnull=False)
    if wanted == State.EXPIRED:
        return _live(today) & Q(expires_on__lte=today) & ~_extended(today)
    if wanted == State.EXTENDED:
        return _live(today) & Q(expires_on__lte=today) & _extended(today)
    running = _live(today) & Q(expires_on__gt=today)
    in_window = Q(pk__in=[])
    for rule in renewal_rules:
        in_window |= rule.applies_to & Q(
            expires_on__gte=today + timedelta(days=rule.closes_days),
            expires_on__lte=today + timedelta(days=rule.opens_days),
        )
    return running & in_window if wanted == State.EXPIRING else running & ~in_window


def _not_revoked(today: date) -> Q:
    return Q(revoked_on__isnull=True) | Q(revoked_on__gt=today)


def _live(today: date) -> Q:
    return _not_revoked(today) & Q(superseded_by__isnull=True)


def _extended(today: date) -> Q:
    return Q(extended_until__isnull=False, extended_until__gt=today)


def in_force_q(today: date) -> Q:
    """VALID, EXPIRING or EXTENDED: neither revoked nor superseded, and not yet expired or
    kept in force past expiry."""
    return _live(today) & (Q(expires_on__gt=today) | _extended(today))


def renewal_missed_q(today: date, renewal_rules: Iterable[RenewalRule]) -> Q:
    """In force on its own term, but its re-evaluation window has closed (`closes_days`
    before expiry): the lists' "late" certificates. The same window as `state()`."""
    closed = Q(pk__in=[])
    for rule in renewal_rules:
        closed |= rule.applies_to & Q(expires_on__lt=today + timedelta(days=rule.closes_days))
    return _live(today) & Q(expires_on__gt=today) & closed
