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


def test_two_scans_racing_tell_each_producer_once():
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
