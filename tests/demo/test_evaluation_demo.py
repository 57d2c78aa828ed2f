"""`manage.py load_evaluation_demo`: every state of a dossier and a certificate, once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from evaluation.certificates import certificate_state
from evaluation.models import Certificate, CouncilResult, Dossier, Scorecard, ScorecardEvent

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
