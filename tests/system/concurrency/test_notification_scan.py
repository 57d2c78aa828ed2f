"""Two daily scans at once (two workers, two machines) leave one notification per person
and event, and queue one mail each: the unique (recipient, kind, event_key) decides, and
the mail is queued in the transaction that created the row."""

from datetime import date, timedelta

from django_tasks_db.models import DBTaskResult

from notifications import scan
from notifications.models import Notification
from tests.factories import ProducerFactory, ProductFactory, certify, make_user
from tests.system.concurrency.conftest import errors, needs_postgresql, run_together

pytestmark = needs_postgresql


def test_two_scans_racing_tell_each_producer_once(settings):
    settings.SITE_URL = "https://ocop.example.vn"  # notices are mailed only with it
    certificates = []
    for i in range(5):
        producer = ProducerFactory()
        producer.users.add(make_user(f"chu_the_{i}"))
        product = ProductFactory(producer=producer, stars=4, certified=False)
        certificates.append(certify(product, issued_on=date(2024, 1, 10)))
    day = certificates[0].expires_on - timedelta(days=20)  # each expiring soon

    outcomes = run_together(4, lambda i: scan.expiring(day))
    assert errors(outcomes) == []
    assert Notification.objects.filter(kind="expiring").count() == 5
    mails = DBTaskResult.objects.filter(task_path="mail.sending.send_mail").count()
    assert mails == 5


def test_two_secretaries_reminding_at_once_remind_each_member_once():
    """The secretary and the office click "remind" in the same second: one notice (and
    one mail) per member for the day."""
    from evaluation.models import Dossier, Rulebook
    from notifications import events
    from tests.factories import district, make_council, make_dossier, make_round

    council, people = make_council(unit=district("274"))
    round_ = make_round(council, Rulebook.objects.get(code="qd148-2023"))
    dossier = make_dossier(round_, Dossier.Status.SCORING)
    members = [people["member1"], people["member2"]]
    today = date(2026, 12, 1)
    outcomes = run_together(
        4, lambda i: len(events.card_reminder(dossier, members, people["secretary"], today))
    )
    assert errors(outcomes) == []
    assert sum(o.value for o in outcomes) == 2
    assert Notification.objects.filter(kind="card_reminder").count() == 2
