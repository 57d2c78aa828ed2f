"""Certificate life: dates as pure functions, then issuing, superseding and revoking.

Validity: 36 months from issue (Decision 26/2026 Điều 4 khoản 3). The certificate
lapses on `expires_on`, the same calendar day 36 months later (the 31st becomes the
last day of a shorter month). Re-evaluation: the dossier is filed no earlier than
180 and no later than 120 days before expiry; inside that window the certificate
is "expiring" for the producer and officials.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class State(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


STATE_LABELS = {
    State.VALID: gettext_lazy("valid"),
    State.EXPIRING: gettext_lazy("expiring: re-evaluation window open"),
    State.EXPIRED: gettext_lazy("expired"),
    State.REVOKED: gettext_lazy("revoked"),
    State.SUPERSEDED: gettext_lazy("superseded"),
}


class CertificateError(Exception):
    pass


# ------------------------------------------------------------------ pure rules
def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry_date(issued_on: date, validity_months: int = 36) -> date:
    return add_months(issued_on, validity_months)


@dataclass(frozen=True)
class Window:
    opens: date
    closes: date

    def contains(self, day: date) -> bool:
        return self.opens <= day <= self.closes


def renewal_window(expires_on: date, opens_days: int = 180, closes_days: int = 120) -> Window:
    return Window(expires_on - timedelta(days=opens_days), expires_on - timedelta(days=closes_days))


def state(
    *,
    expires_on: date,
    today: date,
    revoked_on=None,
    superseded=False,
    opens_days: int = 180,
    closes_days: int = 120,
) -> State:
    """Revoked and superseded win over dates; then expired, expiring, valid."""
    if revoked_on is not None and revoked_on <= today:
        return State.REVOKED
    if superseded:
        return State.SUPERSEDED
    if today >= expires_on:
        return State.EXPIRED
    if renewal_window(expires_on, opens_days, closes_days).contains(today):
        return State.EXPIRING
    return State.VALID


def certificate_state(certificate, today: date | None = None) -> State:
    rulebook = certificate.rulebook
    return state(
        expires_on=certificate.expires_on,
        today=today or timezone.localdate(),
        revoked_on=certificate.revoked_on,
        superseded=certificate.superseded_by_id is not None,
        opens_days=rulebook.renewal_opens_days if rulebook else 180,
        closes_days=rulebook.renewal_closes_days if rulebook else 120,
    )


def revocation_error(ground: str, inspection_reference: str) -> str | None:
    from evaluation.models import Certificate

    if ground not in Certificate.Ground.values:
        return _("Choose one of the six grounds for revocation.")
    if not inspection_reference.strip():
        return _("Give the inspection conclusion the revocation rests on (number and date).")
    return None


# ------------------------------------------------------------------ services
def certificate_number(level: str, unit, year: int, dossier_pk: int) -> str:
    code = unit.code if unit is not None else "TW"
    return f"OCOP-{code}-{year}-{dossier_pk:06d}"


def issue(dossier, stars: int, actor, today: date | None = None):
    """Issue the certificate of a recognised dossier and supersede the product's earlier one.

    Called inside the decision's transaction; the dossier row is already locked.
    """
    from evaluation.models import Certificate
    from registry.models import Product

    today = today or timezone.localdate()
    rulebook, round_ = dossier.round.rulebook, dossier.round
    product = Product.objects.select_for_update().get(pk=dossier.product_id)
    certificate = Certificate(
        number=certificate_number(round_.level, round_.unit, today.year, dossier.pk),
        product=product,
        dossier=dossier,
        rulebook=rulebook,
        level=round_.level,
        unit=round_.unit,
        stars=stars,
        issued_on=today,
        expires_on=expiry_date(today, rulebook.certificate_validity_months),
        created_by=actor,
    )
    certificate._history_user = actor
    certificate.save()
    previous = product.certificate
    if previous is not None and previous.superseded_by_id is None:
        previous.superseded_by = certificate
        previous._history_user = actor
        previous.save(update_fields=["superseded_by"])
    product.certificate, product.stars = certificate, stars
    product.save(update_fields=["certificate", "stars", "updated_at"])
    return certificate


@transaction.atomic
def revoke(certificate, *, ground: str, inspection_reference: str, actor, note="", today=None):
    from evaluation.models import Certificate
    from registry.models import Product

    error = revocation_error(ground, inspection_reference)
    if error:
        raise CertificateError(error)
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_on is not None:
        raise CertificateError(_("This certificate is already revoked."))
    locked.revoked_on = today or timezone.localdate()
    locked.revocation_ground = ground
    locked.inspection_reference = inspection_reference.strip()
    locked.revocation_note = note
    locked._history_user = actor
    locked.save()
    product = Product.objects.select_for_update().get(pk=locked.product_id)
    if product.certificate_id == locked.pk:
        product.certificate, product.stars = None, None
        product.save(update_fields=["certificate", "stars", "updated_at"])
    return locked


def needing_reevaluation(queryset, ip_mandatory_from: date):
    """Four- and five-star certificates issued under older criteria (before IP titles were
    mandatory) for products holding no granted intellectual-property title."""
    from registry.models import IntellectualPropertyTitle

    granted = [k for k in IntellectualPropertyTitle.Kind.values if k != "trademark_application"]
    # Expired ones are listed too: a lapsed four-star product needs a new evaluation anyway.
    return (
        queryset.filter(revoked_on__isnull=True, superseded_by__isnull=True)
        .filter(stars__gte=4, issued_on__lt=ip_mandatory_from)
        .exclude(product__ip_titles__kind__in=granted)
    )
