"""Certificate life: issuing, superseding, revoking, and the product's standing.

The dates and states are pure rules in evaluation.validity; this module applies them to
rows. A product's standing (`Product.stars`, `Product.certified_until`) is registry data
that only this module writes, from the product's certificates, so the public catalogue can
filter on the product alone.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import acts, deadlines, validity
from evaluation.models import Certificate, Decision, Rulebook
from evaluation.models.rulebooks import governing
from registry.models import AdministrativeUnit, IntellectualPropertyTitle, Product


class CertificateError(Exception):
    pass


def rulebook_of(certificate, rulebooks=None) -> Rulebook | None:
    """The rulebook whose terms a certificate follows: the one it was issued under, or for
    one issued outside the system, the one governing its issue date. Pass `rulebooks`
    (every rulebook, loaded once) when asking for many certificates."""
    if certificate.rulebook_id is not None:
        return certificate.rulebook
    if rulebooks is None:
        rulebooks = list(Rulebook.objects.all())
    return governing(rulebooks, certificate.issued_on)


def certificate_state(certificate, today: date | None = None, rulebooks=None) -> validity.State:
    rulebook = rulebook_of(certificate, rulebooks)
    return validity.state(
        expires_on=certificate.expires_on,
        today=today or timezone.localdate(),
        revoked_on=certificate.revoked_on,
        superseded=certificate.superseded_by_id is not None,
        extended_until=certificate.extended_until,
        opens_days=rulebook.renewal_opens_days,
        closes_days=rulebook.renewal_closes_days,
    )


def certificate_window(certificate, rulebooks=None) -> validity.Window:
    rulebook = rulebook_of(certificate, rulebooks)
    return validity.renewal_window(
        certificate.expires_on, rulebook.renewal_opens_days, rulebook.renewal_closes_days
    )


def revocation_error(
    ground: str, inspection_reference: str, concluded_on: date | None, today: date
) -> str | None:
    if ground not in Certificate.Ground.values:
        return _("Choose one of the six grounds for revocation.")
    if not inspection_reference.strip():
        return _("Give the inspection conclusion the revocation rests on (number and date).")
    if concluded_on is None:
        return _(
            "Give the date of the inspection conclusion (or of the commune's confirmation "
            "that production stopped): the time for revoking counts from it."
        )
    if concluded_on > today:
        return _("The inspection conclusion cannot be dated after today.")
    return None


def revocation_due(certificate, rulebooks=None, calendar=None) -> deadlines.Deadline | None:
    """When the revocation of `certificate` was (or is) due: the limit of the rulebook in
    force on the day of the inspection conclusion (Decision 26/2026 Điều 8 khoản 4: 15 days
    from it), or None without a date or a limit. A duty of the office, not a bar: the
    text gives the time to revoke and takes no power away after it, so a late revocation
    is made and shown as late."""
    concluded_on = certificate.inspection_concluded_on
    if concluded_on is None:
        return None
    if rulebooks is None:
        rulebooks = list(Rulebook.objects.all())
    rule = governing(rulebooks, concluded_on)
    limit = rule.timing.limit("revocation") if rule else None
    if limit is None:
        return None
    due = deadlines.due_date(limit, concluded_on, calendar or deadlines.vietnam())
    done = certificate.revoked_on or timezone.localdate()
    return deadlines.Deadline(
        "revocation", due, concluded_on, limit.article, limit.text, done > due, days=limit.days
    )


# ------------------------------------------------------------------ who revokes
@dataclass(frozen=True)
class Authority:
    """An authority in the system's terms: the office of this level and unit (None for the
    ministry) holds the power."""

    level: str
    unit_id: int | None


def authority_for(level: str | None, *, unit, home_province_id, today: date) -> Authority | None:
    """Where the power of `level` over a certificate issued by `unit` lies on `today` (pure
    over the unit's level, id, parent and abolition date).

    The ministry's is the ministry's. A district's power is its own while the district
    exists; districts were abolished on 1 July 2025 (`abolished_on`), and their OCOP powers
    lie since with the province: Decision 26/2026, Điều 8 khoản 2 điểm a gives the
    revocation of 3★ and 4★ certificates to the chair of the provincial people's committee.
    A province's power is that of the province the certificate was issued in (its unit,
    or the unit's province), or for a certificate of no recorded unit, of the producer's.
    """
    if level is None:
        return None
    if level == "central":
        return Authority("central", None)
    live_district = (
        unit is not None
        and unit.level == "district"
        and (unit.abolished_on is None or unit.abolished_on > today)
    )
    if level == "district" and live_district:
        return Authority("district", unit.pk)
    if level in ("district", "province"):
        if unit is None:
            return Authority("province", home_province_id)
        return Authority("province", unit.pk if unit.level == "province" else unit.parent_id)
    return Authority(level, getattr(unit, "pk", None))


def revoking_authority(certificate, today: date | None = None, rulebooks=None) -> Authority | None:
    """The authority that may revoke `certificate` today: the level the rulebook in force
    today gives that star's revocation to (Rulebook.revoking_level), located by
    authority_for. Needs the certificate's unit and its producer's commune loaded."""
    today = today or timezone.localdate()
    rulebook = governing_rulebook(today, rulebooks)
    return authority_for(
        rulebook.revoking_level(certificate.stars),
        unit=certificate.unit,
        home_province_id=certificate.product.producer.province_unit_id,
        today=today,
    )


# ------------------------------------------------------------------ services
def certificate_number(level: str, unit, year: int, dossier_pk: int) -> str:
    code = unit.code if unit is not None else "TW"
    return f"OCOP-{code}-{year}-{dossier_pk:06d}"


def issue(dossier, stars: int, actor, *, decision: Decision | None = None, today=None):
    """Issue the certificate of a recognised dossier and supersede the product's earlier one.

    Called inside the decision's transaction; the dossier row is already locked. The
    certificate is issued on the decision's date: it is valid 36 months "kể từ ngày cơ quan
    có thẩm quyền ban hành" (Decision 26/2026, Điều 4 khoản 3).
    """
    today = decision.signed_on if decision is not None else today or timezone.localdate()
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
        expires_on=validity.expiry_date(today, rulebook.certificate_validity_months),
        created_by=actor,
        decision=decision,
    )
    certificate._history_user = actor
    certificate.save()
    previous = standing_certificate(product, exclude=certificate)
    if previous is not None:
        previous.superseded_by = certificate
        previous._history_user = actor
        previous.save(update_fields=["superseded_by"])
    set_standing(product, certificate)
    return certificate


@transaction.atomic
def revoke(
    certificate,
    *,
    ground: str,
    inspection_reference: str,
    concluded_on: date | None,
    actor,
    act: acts.Act,
    note="",
):
    """Revoke a certificate by the decision `act` of the authority that holds the power
    (revoking_authority), recorded with its ground and the inspection conclusion it rests
    on and that conclusion's date, from which the time to revoke counts (Decision 26/2026,
    Điều 8 khoản 4; revocation_due). The certificate is revoked from the decision's date."""
    error = revocation_error(ground, inspection_reference, concluded_on, timezone.localdate())
    if not error and concluded_on > act.signed_on:
        error = _("The inspection conclusion cannot be dated after the decision that rests on it.")
    if error:
        raise CertificateError(error)
    locked = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("unit", "product__producer__commune")
        .get(pk=certificate.pk)
    )
    if locked.revoked_on is not None:
        raise CertificateError(_("This certificate is already revoked."))
    rulebooks = list(Rulebook.objects.all())
    authority = revoking_authority(locked, act.signed_on, rulebooks)
    if authority is None:
        raise CertificateError(_("No authority revokes a certificate of this star."))
    decision = acts.record(
        act,
        kind=Decision.Kind.REVOCATION,
        level=authority.level,
        unit=_unit(authority.unit_id),
        rulebook=governing_rulebook(act.signed_on, rulebooks),
        actor=actor,
        note=note,
        ground=ground,
        inspection_reference=inspection_reference.strip(),
    )
    locked.revoked_on = act.signed_on
    locked.revocation_ground = ground
    locked.inspection_reference = inspection_reference.strip()
    locked.inspection_concluded_on = concluded_on
    locked.revocation_note = note
    locked.revocation_decision = decision
    locked._history_user = actor
    locked.save()
    product = Product.objects.select_for_update().get(pk=locked.product_id)
    set_standing(product, standing_certificate(product))
    return locked


def extend_while_reevaluated(certificate, until: date, actor) -> Certificate:
    """Keep `certificate` in force until its re-evaluation's result, at the latest until
    `until` (Decision 26/2026 Điều 12 khoản 3; evaluation.filing decides when)."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    locked.extended_until = until
    locked._history_user = actor
    locked.save(update_fields=["extended_until"])
    set_standing(Product.objects.select_for_update().get(pk=locked.product_id), locked)
    certificate.extended_until = until
    return locked


def end_extension(product, day: date, actor) -> None:
    """The re-evaluation was decided on `day` without a new certificate: the one kept in
    force for it ("đến ngày có kết quả xử lý") is in force no longer from that day, or
    simply runs to its own expiry if the result came before it."""
    certificate = standing_certificate(product)
    if certificate is None or certificate.extended_until is None:
        return
    if certificate.extended_until <= day:
        return
    certificate.extended_until = day if day > certificate.expires_on else None
    certificate._history_user = actor
    certificate.save(update_fields=["extended_until"])
    set_standing(Product.objects.select_for_update().get(pk=product.pk), certificate)


def _unit(pk):
    return AdministrativeUnit.objects.get(pk=pk) if pk is not None else None


def needing_reevaluation(queryset, ip_mandatory_from: date):
    """Four- and five-star certificates issued under older criteria (before IP titles were
    mandatory) for products holding no granted intellectual-property title."""
    granted = [k for k in IntellectualPropertyTitle.Kind.values if k != "trademark_application"]
    # Expired ones are listed too: a lapsed four-star product needs a new evaluation anyway.
    return (
        queryset.filter(revoked_on__isnull=True, superseded_by__isnull=True)
        .filter(stars__gte=4, issued_on__lt=ip_mandatory_from)
        .exclude(product__ip_titles__kind__in=granted)
    )


# ------------------------------------------------------------------ the product's standing
def standing_certificate(product, exclude=None) -> Certificate | None:
    """The certificate a product stands on: its latest one neither revoked nor superseded
    (expired or not: an expired certificate still says what the product was rated)."""
    qs = Certificate.objects.filter(
        product=product, revoked_on__isnull=True, superseded_by__isnull=True
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("-issued_on", "-id").first()


def standing_fields(certificate: Certificate | None) -> dict:
    """The product's stars and certified-until date that `certificate` gives it."""
    if certificate is None:
        return {"stars": None, "certified_until": None}
    until = max(certificate.expires_on, certificate.extended_until or certificate.expires_on)
    return {"stars": certificate.stars, "certified_until": until}


def set_standing(product, certificate: Certificate | None) -> None:
    for field, value in standing_fields(certificate).items():
        setattr(product, field, value)
    product.save(update_fields=["stars", "certified_until", "updated_at"])


def sync_standing(product) -> None:
    """Read the product's standing afresh from its certificates (after any change to one
    that did not come through issue() or revoke(): the admin, the shell, a data fix)."""
    standing = standing_fields(standing_certificate(product))
    if any(getattr(product, field) != value for field, value in standing.items()):
        Product.objects.filter(pk=product.pk).update(**standing)
        for field, value in standing.items():
            setattr(product, field, value)


def governing_rulebook(issued_on: date, rulebooks=None) -> Rulebook:
    """models.rulebooks.governing, refusing in words when no rulebook is loaded."""
    if rulebooks is None:
        rulebooks = list(Rulebook.objects.all())
    rulebook = governing(rulebooks, issued_on)
    if rulebook is None:
        raise CertificateError(
            _("No rulebook is loaded; run “python manage.py load_rulebooks” first.")
        )
    return rulebook


def legacy_expiry(issued_on: date, rulebooks=None) -> date:
    """When a certificate issued outside the system lapses: the governing rulebook's term."""
    months = governing_rulebook(issued_on, rulebooks).certificate_validity_months
    return validity.expiry_date(issued_on, months)


def legacy_certificate(
    product, *, issued_on: date, number: str, stars=None, level="", unit=None, rulebooks=None
):
    """An unsaved certificate for a product rated before the system (a province's list,
    demo data): no dossier and no rulebook of its own, but the validity and the
    recognising level of the rulebook governing its issue date."""
    stars = stars or product.stars
    rulebook = governing_rulebook(issued_on, rulebooks)
    return Certificate(
        number=number,
        product=product,
        level=level or rulebook.recognising_level(stars) or "",
        unit=unit,
        stars=stars,
        issued_on=issued_on,
        expires_on=validity.expiry_date(issued_on, rulebook.certificate_validity_months),
    )
