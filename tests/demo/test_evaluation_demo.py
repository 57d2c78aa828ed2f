"""`manage.py load_evaluation_demo`: every state of a dossier and a certificate, once."""

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from evaluation.certificates import certificate_state
from evaluation.models import (
    Certificate,
    CouncilResult,
    Dossier,
    DossierStatusChange,
    EvaluationRound,
    Scorecard,
    ScorecardEvent,
)

pytestmark = pytest.mark.django_db


@pytest.mark.slow  # ~8 s: the demo ticks a thousand options through the real scoring rules
def test_evaluation_demo_shows_every_state_once(capsys):
    call_command("load_demo", products=0)
    call_command("load_evaluation_demo")
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {"draft", "returned", "checked", "scoring", "result"} <= statuses
    capped = CouncilResult.objects.get(dossier__product__name="Rau cải an toàn Vân Nội")
    assert capped.outcome == "final" and capped.stars < capped.band_stars and capped.caps
    spread = CouncilResult.objects.get(dossier__product__name="Su hào Đông Anh")
    assert spread.outcome == "waiting_spread"
    # The member far below wrote why on the criteria (shown on the result page).
    [noted] = Scorecard.objects.filter(dossier=spread.dossier).exclude(comments={})
    assert len(noted.comments) == 2 and noted.is_locked
    assert Scorecard.objects.filter(status="draft").exists()
    assert Dossier.objects.filter(round__rulebook__code="qd26-2026").count() == 10
    # A producer's draft to complete: one paper in, the report and self-scoring to do.
    tea = Dossier.objects.get(product__name="Trà hoa cúc Đông Anh")
    assert (tea.status, list(tea.documents.values_list("paper", flat=True))) == (
        "draft",
        ["registration_form"],
    )
    filed = Dossier.objects.get(product__name="Nấm sò Đông Anh")
    assert set(filed.documents.values_list("paper", flat=True)) == {
        "registration_form",
        "self_assessment_report",
    }
    # From district to nation: forwarded under 148, waiting for the city office, national.
    city = Dossier.objects.get(product__name="Bưởi Diễn Thư Lâm", round__level="province")
    assert city.forwarded_from.status == "forwarded"
    assert (city.status, city.result.stars) == ("result", 4)
    assert Dossier.objects.get(round__level="central").product.name == "Trà sen Tây Hồ"
    today = timezone.localdate()
    states = {certificate_state(c, today) for c in Certificate.objects.all()}
    # "extended" too until 11 February 2027, when the demo's late re-evaluation of June 2026
    # (Điều 12 khoản 3) runs out of its 180 days.
    assert states >= {"valid", "expiring", "expired", "revoked", "superseded"}
    # Xã Đông Anh: a dossier past its 15 working days, and a re-evaluation at the city.
    late = Dossier.objects.get(product__name="Gạo nếp cái hoa vàng Đông Anh")
    assert (late.round.level, late.status) == ("commune", "submitted")
    longan = Dossier.objects.get(product__name="Nhãn chín muộn Đông Anh", round__level="province")
    assert longan.forwarded_from.kind == "reevaluation"
    # Every certificate stands on its act but the one from a 2022 list, shown as not
    # recorded; none was issued when Tây Hồ lotus tea was sent to the ministry.
    unrecorded = Certificate.objects.filter(decision__isnull=True)
    assert list(unrecorded.values_list("number", flat=True)) == ["OCOP-01-2022-D00099"]
    [revoked] = Certificate.objects.filter(revoked_on__isnull=False)
    assert revoked.revocation_decision.number == "2150/QĐ-UBND"
    tra = Dossier.objects.get(product__name="Trà sen Tây Hồ", round__level="province")
    assert tra.status == "forwarded" and not Certificate.objects.filter(dossier=tra).exists()
    counts = (Dossier.objects.count(), Scorecard.objects.count(), ScorecardEvent.objects.count())
    call_command("load_evaluation_demo")
    assert (
        Dossier.objects.count(),
        Scorecard.objects.count(),
        ScorecardEvent.objects.count(),
    ) == counts
    assert "already there" in capsys.readouterr().out


# The work each printed login (scripts/print-logins.sh) is promised: the kind of task on
# their to-do page, and the product it is about.
PROMISED = {
    "uv1.donganh": {("score", "Dưa lưới Thư Lâm")},
    "uv1.hanoi": {("score", "Gốm men lam Quang Vinh")},
    "thuky.donganh": {("check", "Khoai lang Vân Nội"), ("open_scoring", "Cà chua bi Vân Nội")},
    "thuky.hanoi": {("check", "Nhãn chín muộn Đông Anh")},
    "vp.donganh": {("check", "Nấm sò Đông Anh")},
    "vp.hanoi": {("decide", "Bún khô Minh Dương")},
    "vp.trunguong": {("check", "Trà sen Tây Hồ")},
    "sx.vannoi": {("file", "Trà hoa cúc Đông Anh"), ("complete", "Rau muống Đông Anh")},
}


@pytest.mark.slow
def test_each_printed_login_finds_work_and_the_current_rounds_are_named_for_today(
    django_capture_on_commit_callbacks,
):
    """Loaded on a day in the second half of 2027 (not the year the demo was written):
    the printed logins have their work, the current rounds are that half-year's, and the
    notifications the demo's moves made are spread over the weeks before, in office hours."""
    from demo import evaluation_data
    from evaluation import todo
    from notifications.models import Notification

    now = timezone.make_aware(timezone.datetime(2027, 9, 15, 10, 0))
    with time_machine.travel(now, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_demo", products=0)
            call_command("load_evaluation_demo")
        today = timezone.localdate()
        for username, promised in PROMISED.items():
            user = get_user_model().objects.get(username=username)
            found = {(t.kind, t.dossier.product.name) for t in todo.tasks_for(user, today)}
            assert promised <= found, username
            # the menu and the change log name a person, never the login
            assert user.get_full_name().strip(), username
        names = set(EvaluationRound.objects.values_list("name", flat=True))
        assert {"Hà Nội — đợt 2 năm 2027", "Trung ương — năm 2027"} <= names
        city = EvaluationRound.objects.get(name="Hà Nội — đợt 2 năm 2027")
        assert (city.opens_on, city.closes_on) == (date(2027, 7, 1), date(2027, 12, 31))
        assert not [n for n in names if "2026" in n]
        # The notifications were made on commit, after the command's own spreading:
        # spread them as it does.
        assert evaluation_data.spread_notifications(now - timedelta(minutes=1)) > 10
    # A move the demo dates (a filing of June 2026) keeps its day; the others are recent.
    dated = {
        f"move:{pk}": at
        for pk, at in DossierStatusChange.objects.filter(at__lt=now).values_list("pk", "at")
    }
    notices = list(Notification.objects.all())
    assert all(n.created_at == dated[n.event_key] for n in notices if n.event_key in dated)
    stamps = [timezone.localtime(n.created_at) for n in notices if n.event_key not in dated]
    assert len(set(stamps)) > 10
    assert all(s < now and s.weekday() < 5 and 8 <= s.hour < 17 for s in stamps)
    assert min(stamps) > now - timedelta(days=60)
