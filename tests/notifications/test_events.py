"""Each kind of notification fires once, for the right people and nobody else: not a member
of another council, not an office of another unit or province, not another producer."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from evaluation import certificates, workflow
from evaluation.models import Certificate, Dossier, Scorecard
from notifications import scan
from notifications.models import Notification
from tests.factories import (
    ProductFactory,
    give_result,
    make_dossier,
    office_of,
    province,
)
from tests.notifications.conftest import told

S = Dossier.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(cast):
    """A second product of the cast's producer, its dossier a draft in the cast's round."""
    product = ProductFactory(
        producer=cast["producer"], name="Miến dong Hoài Đức", stars=None, certified=False
    )
    return make_dossier(cast["round"], S.DRAFT, product=product)


def own_product(cast, name="Chè xanh Hoài Đức"):
    return ProductFactory(producer=cast["producer"], name=name, stars=None, certified=False)


def move(committed, dossier, target, actor, note=""):
    return committed(workflow.transition, dossier, target, actor, note)


def test_filed_tells_the_producer_and_the_councils_secretary_only(cast, draft, committed):
    move(committed, draft, S.SUBMITTED, cast["owner"])
    assert told("filed") == {"owner", "secretary"}
    assert Notification.objects.count() == 2  # nobody else, of any kind
    notice = Notification.objects.get(recipient=cast["owner"])
    assert notice.params == {"product": "Miến dong Hoài Đức", "round": cast["round"].name}
    assert notice.target_type == "dossier" and notice.target_id == draft.pk


def test_returned_tells_the_producer_with_the_reason(cast, draft, committed):
    move(committed, draft, S.SUBMITTED, cast["owner"])
    move(committed, draft, S.RETURNED, cast["secretary"], "Thiếu giấy ATTP")
    assert told("returned") == {"owner"}
    notice = Notification.objects.get(kind="returned")
    assert "Thiếu giấy ATTP" in notice.text


def test_accepted_for_scoring_tells_the_producer(cast, draft, committed):
    move(committed, draft, S.SUBMITTED, cast["owner"])
    move(committed, draft, S.CHECKED, cast["secretary"])
    assert told("checked") == {"owner"}


def test_scoring_opened_tells_each_scoring_member_of_that_council(cast, draft, committed):
    move(committed, draft, S.SUBMITTED, cast["owner"])
    move(committed, draft, S.CHECKED, cast["secretary"])
    move(committed, draft, S.SCORING, cast["secretary"])
    # Not the secretary (who does not score), not Mỹ Đức's member (`outsider`).
    assert told("scoring_opened") == {"chair", "member1", "member2", "member3"}


def test_result_ready_tells_the_office_of_that_level_and_unit(cast, committed):
    office_of("hoai_duc_office_2", "district", cast["council"].unit)
    office_of(
        "other_district_office", "district", cast["outsider"].council_memberships.get().council.unit
    )
    move(committed, cast["dossier"], S.RESULT, cast["member1"])
    # Not the city, the ministry, Hưng Yên, nor another district's office.
    assert told("result_ready") == {"district_office", "hoai_duc_office_2"}


def test_decision_tells_the_producer_only(cast, committed):
    dossier = give_result(make_dossier(cast["round"], S.RESULT, product=own_product(cast)), 2, "45")
    move(committed, dossier, S.NOT_RECOGNISED, cast["district_office"], "Dưới 50 điểm")
    assert told("decided") == {"owner"}
    # The status in the reader's language, from the stored code.
    notice = Notification.objects.get(kind="decided")
    assert notice.params["status"] == "not_recognised"
    assert str(S.NOT_RECOGNISED.label) in notice.text


def test_certificate_issued_and_revoked_tell_the_producer(cast, committed):
    dossier = make_dossier(cast["round"], S.RECOGNISED, product=own_product(cast))
    certificate = committed(certificates.issue, dossier, 4, cast["district_office"])
    assert told("certificate_issued") == {"owner"}
    notice = Notification.objects.get(kind="certificate_issued")
    assert notice.params["number"] == certificate.number and notice.params["stars"] == 4

    def revoke():
        certificate.revoked_on = date.today()
        certificate.revocation_ground = Certificate.Ground.values[0]
        certificate.inspection_reference = "KL 12/TTr"
        certificate.inspection_concluded_on = date.today()
        certificate.save()

    committed(revoke)
    committed(revoke)  # saved again (the admin): still once
    assert told("revoked") == {"owner"}


def test_a_certificate_from_paper_tells_nobody(cast, committed):
    committed(ProductFactory, producer=cast["producer"], stars=4)  # certified, without a dossier
    assert Certificate.objects.count() == 1
    assert not Notification.objects.exists()


def test_a_move_rolled_back_tells_nobody(cast, draft, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                workflow.transition(draft, S.SUBMITTED, cast["owner"])
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert not Notification.objects.exists()


# ------------------------------------------------------------------ the daily scan
def test_card_due_tells_members_whose_card_is_not_submitted(cast):
    Scorecard.objects.create(
        dossier=cast["dossier"],
        author=cast["member1"],
        status=Scorecard.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    Scorecard.objects.create(dossier=cast["dossier"], author=cast["member2"])  # a draft
    closes = cast["round"].closes_on
    assert scan.cards_due(closes - timedelta(days=10)) == 0  # not near yet
    assert scan.cards_due(closes - timedelta(days=2)) == 3
    assert told("card_due") == {"chair", "member2", "member3"}
    assert scan.cards_due(closes - timedelta(days=1)) == 0  # the same close: once


def _certified(producer, issued_on):
    from tests.factories import certify

    product = ProductFactory(producer=producer, stars=4, certified=False)
    return certify(product, issued_on=issued_on)


def test_renewal_window_and_expiry_tell_the_producer_once(cast):
    mine = _certified(cast["producer"], date(2024, 1, 10))
    _certified(cast["other_producer"], date(2025, 6, 1))  # far from its window
    in_window = mine.expires_on - timedelta(days=150)
    assert scan.renewal_windows(in_window) == 1
    assert scan.renewal_windows(in_window + timedelta(days=1)) == 0
    assert told("renewal_window") == {"owner"}
    near_expiry = mine.expires_on - timedelta(days=20)
    assert scan.expiring(near_expiry) == 1
    assert scan.expiring(near_expiry) == 0
    assert told("expiring") == {"owner"}
    notice = Notification.objects.get(kind="expiring")
    assert notice.target_type == "certificate"


@pytest.mark.parametrize(
    "status, reminded",
    [(S.DRAFT, False), (S.SUBMITTED, False), (S.SCORING, False), (S.NOT_RECOGNISED, True)],
)
def test_no_renewal_reminder_while_a_re_evaluation_is_under_way(cast, status, reminded):
    """The producer who has already started (or filed) the re-evaluation is not told to
    start it; one whose re-evaluation was decided against is still in the window."""
    mine = _certified(cast["producer"], date(2024, 1, 10))
    make_dossier(cast["round"], status, product=mine.product, kind=Dossier.Kind.REEVALUATION)
    assert scan.renewal_windows(mine.expires_on - timedelta(days=150)) == int(reminded)
    assert told("renewal_window") == ({"owner"} if reminded else set())


def test_a_time_limit_about_to_pass_tells_the_office_that_must_act(qd26, committed, cast):
    from evaluation import presenters
    from evaluation.models import Rulebook
    from tests.factories import bare_round, commune, new_product

    village = commune("Xã Hoài Đức")
    round_ = bare_round(qd26, "commune", village, "Xã Hoài Đức 2026")
    office_of("xa_hoai_duc", "commune", village)
    office_of("xa_khac", "commune", commune("Xã Dương Hòa"))
    product = new_product()
    product.producer.users.add(cast["owner"])
    dossier = make_dossier(round_, S.DRAFT, product=product)
    move(committed, dossier, S.SUBMITTED, cast["owner"])
    rulebooks = {r.pk: r for r in Rulebook.objects.all()}
    dossier.refresh_from_db()
    clocks = presenters.dossier_clocks(
        dossier, rulebooks, received=date.today(), root_kind=dossier.kind, today=date.today()
    )
    check = next(c for c in clocks if c.deadline.code == "commune_check")
    day = check.deadline.due - timedelta(days=2)
    assert scan.limits_due(day) >= 1
    assert told("limit_due") == {"xa_hoai_duc"}
    assert scan.limits_due(day) == 0
    # The limit's name in the reader's language, from its stored code.
    assert (
        str(presenters.CLOCK_LABELS["commune_check"])
        in Notification.objects.get(kind="limit_due").text
    )


def test_the_whole_scan_twice_sends_nothing_twice(cast, run_jobs, site_url):
    from django_tasks_db.models import DBTaskResult

    mine = _certified(cast["producer"], date(2024, 1, 10))
    day = mine.expires_on - timedelta(days=20)
    first = scan.scan(day)
    jobs = DBTaskResult.objects.count()
    rows = Notification.objects.count()
    assert first["expiring"] == 1 and rows >= 1
    assert scan.scan(day) == dict.fromkeys(first, 0)
    assert (DBTaskResult.objects.count(), Notification.objects.count()) == (jobs, rows)


def test_the_scan_is_a_daily_job():
    from django.conf import settings

    assert "notifications.scan.daily_notifications" in settings.DAILY_JOBS
    assert province("01")  # the reference data is there


def test_a_move_heard_twice_tells_nobody_twice(cast, draft, committed):
    from evaluation.models import DossierStatusChange
    from notifications import events

    move(committed, draft, S.SUBMITTED, cast["owner"])
    change = DossierStatusChange.objects.get(dossier=draft)
    events.dossier_moved(change)  # a receiver called again, a retried job
    assert Notification.objects.count() == 2
