"""Reports of a suspected fake product or certificate: where one goes, and its handling.

A visitor reports from the certificate check (`views/reports.py`). The report goes to the
office that issued the certificate, which knows the producer; a number the registry does
not know (the likeliest fake) goes to the central office. The office that may revoke the
certificate today (a district's certificate is the province's since districts were
abolished: `certificates.revoking_authority`) reads it too (`access.fake_reports_visible_to`)
and is told (notifications/events.py). Marking it handled records who, when and what.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import certificates, verification
from evaluation.models import Certificate, FakeReport
from evaluation.models.rulebooks import Level


def route(certificate: Certificate | None) -> tuple[str, int | None]:
    """The (level, unit id) of the office a report goes to."""
    if certificate is None:
        return Level.CENTRAL, None
    return certificate.level, certificate.unit_id


def receive(*, number: str, seen: str, place: str, contact: str = "") -> FakeReport:
    certificate = verification.find(number) if number else None
    level, unit_id = route(certificate)
    return FakeReport.objects.create(
        number=verification.normalise_number(number),
        certificate=certificate,
        seen=seen,
        place=place,
        contact=contact,
        level=level,
        unit_id=unit_id,
    )


def offices_told(report: FakeReport) -> set[tuple[str, int | None]]:
    """The issuing office and, when another, the office that may revoke the certificate."""
    told = {(report.level, report.unit_id)}
    if report.certificate_id is not None:
        authority = certificates.revoking_authority(report.certificate)
        if authority is not None:
            told.add((authority.level, authority.unit_id))
    return told


def handle(report: FakeReport, user, note: str) -> str | None:
    """Mark the report handled by `user` with `note`; the refusal in words, or None."""
    with transaction.atomic():
        locked = FakeReport.objects.select_for_update().get(pk=report.pk)
        if locked.handled_at is not None:
            return _("This report was already marked handled.")
        locked.handled_at = timezone.now()
        locked.handled_by = user
        locked.handled_note = note
        locked.save(update_fields=["handled_at", "handled_by", "handled_note"])
    report.refresh_from_db()
    return None
