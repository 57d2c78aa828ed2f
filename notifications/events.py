"""One function per event: who hears of it, under which event key, with which values.

Scope is decided here and only here: the producer's own accounts for its dossiers and
certificates; the secretary and the members of the dossier's own council; the office of
the dossier's level and unit. Nobody else, whatever their other roles.

Called by `receivers.py` once the change is committed, by the daily scan (`scan.py`) and by
the secretary's reminder (`views.remind`).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from evaluation import fake_reports, scoring
from evaluation.models import CouncilMembership, Dossier, FakeReport, OfficialRole
from notifications.delivery import notify

S = Dossier.Status
User = get_user_model()


# ------------------------------------------------------------------ who
def producer_users(product):
    return User._default_manager.filter(producers=product.producer_id, is_active=True)


def secretaries(council):
    return User._default_manager.filter(
        council_memberships__council=council,
        council_memberships__active=True,
        council_memberships__role=CouncilMembership.Role.SECRETARY,
        is_active=True,
    )


def scoring_members(dossier):
    """Those who may score it: active chair and members, less anyone tied to the producer."""
    members, _chair = scoring.scoring_members(dossier)
    return User._default_manager.filter(pk__in=members, is_active=True)


def offices(round_):
    """The office(s) deciding at the round's level in its unit."""
    return User._default_manager.filter(
        official_roles__kind=OfficialRole.Kind.OFFICE,
        official_roles__level=round_.level,
        official_roles__unit=round_.unit_id,
        is_active=True,
    ).distinct()


def _dossier_params(dossier) -> dict:
    return {"product": dossier.product.name, "round": dossier.round.name}


# ------------------------------------------------------------------ dossier moves
def dossier_moved(change) -> None:
    """A status move (workflow.transition's history row): the one place every move of
    every dossier passes, so each move's notice is decided here."""
    dossier = (
        Dossier.objects.select_related("product", "round__council")
        .filter(pk=change.dossier_id)
        .first()
    )
    if dossier is None:
        return
    key = f"move:{change.pk}"
    params = _dossier_params(dossier)
    target = change.to_status
    if target == S.SUBMITTED:
        filed(dossier, key, params)
    elif target == S.RETURNED:
        notify(
            producer_users(dossier.product),
            "returned",
            key,
            target=dossier,
            params={**params, "reason": change.note},
        )
    elif target == S.CHECKED:
        notify(producer_users(dossier.product), "checked", key, target=dossier, params=params)
    elif target == S.SCORING and change.from_status == S.CHECKED:
        notify(scoring_members(dossier), "scoring_opened", key, target=dossier, params=params)
    elif target == S.RESULT:
        notify(offices(dossier.round), "result_ready", key, target=dossier, params=params)
    elif target in (S.RECOGNISED, S.FORWARDED, S.NOT_RECOGNISED):
        notify(
            producer_users(dossier.product),
            "decided",
            key,
            target=dossier,
            params={**params, "status": target},
        )


def filed(dossier, key, params) -> None:
    # Filed by the producer, or sent up from the level below (then filed at this level):
    # the producer hears either way; the secretary of the council that will take it up.
    notify(producer_users(dossier.product), "filed", key, target=dossier, params=params)
    notify(secretaries(dossier.round.council), "filed", key, target=dossier, params=params)


# ------------------------------------------------------------------ certificates
def _certificate_params(certificate) -> dict:
    return {
        "number": certificate.number,
        "product": certificate.product.name,
        "stars": certificate.stars,
        "expires": certificate.expires_on.isoformat(),
    }


def _certificate_target(certificate):
    # The dossier page shows the certificate with its decision; a certificate recorded
    # without a dossier (imported from paper) has only its public page.
    return certificate.dossier if certificate.dossier_id else certificate


def certificate_issued(certificate) -> None:
    notify(
        producer_users(certificate.product),
        "certificate_issued",
        f"issued:{certificate.pk}",
        target=_certificate_target(certificate),
        params=_certificate_params(certificate),
    )


def certificate_revoked(certificate) -> None:
    notify(
        producer_users(certificate.product),
        "revoked",
        f"revoked:{certificate.pk}",
        target=_certificate_target(certificate),
        params={**_certificate_params(certificate), "date": certificate.revoked_on.isoformat()},
    )


def renewal_window(certificate, closes) -> None:
    notify(
        producer_users(certificate.product),
        "renewal_window",
        f"renewal:{certificate.pk}:{certificate.expires_on.isoformat()}",
        target=_certificate_target(certificate),
        params={**_certificate_params(certificate), "deadline": closes.isoformat()},
    )


def expiring(certificate) -> None:
    notify(
        producer_users(certificate.product),
        "expiring",
        f"expiring:{certificate.pk}:{certificate.expires_on.isoformat()}",
        target=_certificate_target(certificate),
        params=_certificate_params(certificate),
    )


# ------------------------------------------------------------------ council work
def card_due(dossier, member, deadline) -> None:
    notify(
        [member],
        "card_due",
        f"card-due:{dossier.pk}:{member.pk}:{deadline.isoformat()}",
        target=dossier,
        params={**_dossier_params(dossier), "deadline": deadline.isoformat()},
    )


def card_reminder(dossier, members, sender, day) -> list:
    """The secretary's reminder: once per member and day, however often it is asked."""
    sent = []
    for member in members:
        sent += notify(
            [member],
            "card_reminder",
            f"remind:{dossier.pk}:{member.pk}:{day.isoformat()}",
            target=dossier,
            params={
                **_dossier_params(dossier),
                "sender": sender.get_full_name() or sender.get_username(),
            },
        )
    return sent


def limit_due(dossier, deadline) -> None:
    """A statutory limit near: the commune's check is the office's (it runs the
    pre-check); the others, the secretary's who runs the council, and the office's."""
    if deadline.code == "commune_check":
        users = list(offices(dossier.round))
    else:
        users = list(secretaries(dossier.round.council)) + list(offices(dossier.round))
    notify(
        users,
        "limit_due",
        f"limit:{dossier.pk}:{deadline.code}:{deadline.due.isoformat()}",
        target=dossier,
        params={
            **_dossier_params(dossier),
            "limit": deadline.code,
            "limit_round": deadline.round_name,
            "due": deadline.due.isoformat(),
        },
    )


# ------------------------------------------------------------------ the public's reports
def fake_reported(report_pk) -> None:
    """A visitor's report of a suspected fake: the office it was sent to, and the office
    that may revoke the certificate when that is another (fake_reports.offices_told)."""
    report = (
        FakeReport.objects.select_related("certificate__product__producer__commune", "unit")
        .filter(pk=report_pk)
        .first()
    )
    if report is None:
        return
    where = Q(pk__in=[])
    for level, unit_id in fake_reports.offices_told(report):
        where |= Q(official_roles__level=level, official_roles__unit=unit_id)
    users = User._default_manager.filter(
        where, official_roles__kind=OfficialRole.Kind.OFFICE, is_active=True
    ).distinct()
    notify(
        users,
        "fake_reported",
        f"fake-report:{report.pk}",
        target=report,
        params={
            "number": report.number or "—",
            "place": report.place[:120],
        },
    )
