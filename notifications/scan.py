"""The daily scan: what has come due today, told to whom it concerns.

A @job listed in settings.DAILY_JOBS, so the workers enqueue it once a day
(jobs/schedule.py). It looks at the state of things on `day`, not at what changed since
yesterday, so a day without a worker costs only the delay; and every notice has an event
key naming the certificate or card and the date it is about, so running it again (the
same day, the next day, on two machines at once) tells nobody twice.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from evaluation import presenters, validity
from evaluation.certificates import rulebook_of
from evaluation.models import (
    Certificate,
    Dossier,
    DossierStatusChange,
    Rulebook,
    Scorecard,
)
from jobs.queue import job
from notifications import events
from notifications.models import Notification

S = Dossier.Status


@job(attempts=3, backoff_seconds=600)
def daily_notifications(day: str) -> dict:
    return scan(date.fromisoformat(day))


def scan(today: date) -> dict:
    """Every check of the day; returns how many notifications each made."""
    return {
        "cards_due": cards_due(today),
        "renewal_windows": renewal_windows(today),
        "expiring": expiring(today),
        "limits_due": limits_due(today),
    }


def _count(before):
    # For the job's result, read by an administrator: what this run added.
    return Notification.objects.count() - before


def _total():
    return Notification.objects.count()


def cards_due(today: date) -> int:
    """Members of a council scoring a dossier whose card is not submitted, when the
    round closes within NOTIFY_CARD_DAYS."""
    before = _total()
    last = today + timedelta(days=settings.NOTIFY_CARD_DAYS)
    dossiers = Dossier.objects.filter(
        status=S.SCORING, round__closes_on__gte=today, round__closes_on__lte=last
    ).select_related("product__producer", "round__council")
    for dossier in dossiers:
        submitted = set(
            Scorecard.objects.filter(
                dossier=dossier, kind=Scorecard.Kind.MEMBER, status=Scorecard.Status.SUBMITTED
            ).values_list("author_id", flat=True)
        )
        for member in events.scoring_members(dossier):
            if member.pk not in submitted:
                events.card_due(dossier, member, dossier.round.closes_on)
    return _count(before)


def renewal_windows(today: date) -> int:
    """Certificates whose re-evaluation window is open today (the 180 to 120 days before
    expiry of the rulebook): the producer, once per certificate and expiry date — unless a
    re-evaluation of the product is already under way (the to-do page asks the same)."""
    before = _total()
    rulebooks = list(Rulebook.objects.all())
    found = (
        Certificate.objects.in_state(validity.State.EXPIRING, today)
        .exclude(product__in=Dossier.objects.reevaluations_under_way().values("product"))
        .select_related("product", "rulebook", "dossier")
        .order_by("pk")
    )
    for certificate in found.iterator(chunk_size=500):
        window = validity.renewal_window(
            certificate.expires_on, *_window_days(certificate, rulebooks)
        )
        events.renewal_window(certificate, window.closes)
    return _count(before)


def _window_days(certificate, rulebooks):
    rulebook = rulebook_of(certificate, rulebooks)
    return rulebook.renewal_opens_days, rulebook.renewal_closes_days


def expiring(today: date) -> int:
    """Certificates in force that expire within NOTIFY_EXPIRY_DAYS."""
    before = _total()
    last = today + timedelta(days=settings.NOTIFY_EXPIRY_DAYS)
    found = (
        Certificate.objects.current(today)
        .filter(expires_on__gt=today, expires_on__lte=last)
        .select_related("product", "dossier")
        .order_by("pk")
    )
    for certificate in found.iterator(chunk_size=500):
        events.expiring(certificate)
    return _count(before)


def limits_due(today: date) -> int:
    """Statutory time limits running on dossiers that end within presenters.DUE_SOON_DAYS
    (the "due soon" of the dossier lists), told to whoever must act."""
    before = _total()
    last_filed = DossierStatusChange.objects.filter(
        dossier=OuterRef("pk"), to_status=S.SUBMITTED
    ).order_by("-at")
    dossiers = (
        Dossier.objects.exclude(status__in=[S.DRAFT, S.RECOGNISED, S.NOT_RECOGNISED, S.FORWARDED])
        .select_related("product", "round__council")
        .annotate(
            received_at=Subquery(last_filed.values("at")[:1]),
            root_kind=Coalesce(
                "forwarded_from__forwarded_from__kind", "forwarded_from__kind", "kind"
            ),
        )
        .order_by("pk")
    )
    rulebooks = {rulebook.pk: rulebook for rulebook in Rulebook.objects.all()}
    for row in presenters.dossier_rows(dossiers, rulebooks, today):
        for clock in row.clocks:
            if clock.soon:
                events.limit_due(row.dossier, clock.deadline)
    return _count(before)
