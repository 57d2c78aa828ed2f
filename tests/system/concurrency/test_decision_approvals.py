"""Ten approvals of one upgrade at once, through the real confirmation, with real threads.

Decision 148: Hoài Đức district forwarded a four-star result (mean 80) to Hanoi with a
three-star certificate; Hanoi's council scored the upgrade five stars with a mean of
91.50, so the city recognises four stars and forwards the product to the central round.
Offices confirming twice, in many tabs or together must leave one act, one decision, one
certificate and one dossier at the central level; the others are told why not. Then two
officials recording one number for two products at once, and two district offices
recognising one result at once through evaluation.decisions itself.
"""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.decisions import decide
from evaluation.models import Certificate, Decision, Dossier, DossierStatusChange
from evaluation.workflow import TransitionError, transition
from tests.factories import (
    act,
    at_result,
    bare_round,
    certificate_of,
    district,
    give_result,
    new_product,
    office_of,
    province,
)
from tests.system.concurrency.conftest import (
    errors,
    messages_of,
    needs_postgresql,
    run_together,
    same_session,
    signed_in,
)

pytestmark = needs_postgresql

S = Dossier.Status
ALREADY_FORWARDED = "The dossier is already “Forwarded to the next level”: nothing was changed."


def act_form(number="1234/QĐ-UBND"):
    return {
        "number": number,
        "signed_on": timezone.localdate().isoformat(),
        "authority": "UBND thành phố Hà Nội",
        "signer_name": "Đào Văn Bình",
        "signer_title": "Phó Chủ tịch",
    }


def decide_url(dossier, action):
    return reverse("evaluation:decide", kwargs={"pk": dossier.pk, "action": action})


def hanoi():
    return province("01")


@pytest.fixture
def upgrade(qd148):
    """The upgrade dossier at the city, with its council's final result, awaiting decision."""
    district_round = bare_round(
        qd148, "district", district("274"), "Hoài Đức 2024", date(2024, 3, 1)
    )
    bare_round(qd148, "province", hanoi(), "Hà Nội 2024", date(2024, 10, 1))
    bare_round(qd148, "central", None, "Trung ương 2025", date(2025, 3, 1))
    first = at_result(district_round, new_product(), stars=4, mean="80.00")
    decide(
        first, S.FORWARDED, office_of("vanphong_hoaiduc", "district", district("274")), act=act()
    )
    upper = Dossier.objects.get(forwarded_from=first)
    for target in (S.CHECKED, S.SCORING, S.RESULT):
        transition(upper, target, None)
    give_result(upper, stars=5, mean="91.50")
    return upper


@pytest.mark.parametrize(
    "officials", [1, 2], ids=["one official in ten tabs", "two officials in five tabs each"]
)
def test_ten_approvals_of_one_upgrade_at_once_leave_one_decision_one_certificate_one_dossier_above(
    upgrade, officials
):
    users = [office_of(f"vanphong_hanoi_{n}", "province", hanoi()) for n in range(officials)]
    clients = [signed_in(user) for user in users]
    clients += [same_session(clients[i % officials]) for i in range(10 - officials)]
    url = decide_url(upgrade, "chuyen-len")
    # Each tab types the number; some of them mistype it: one act whatever they typed.
    forms = [act_form("1234/QĐ-UBND" if i % 3 else "1235/QĐ-UBND") for i in range(10)]

    outcomes = run_together(10, lambda i: clients[i].post(url, forms[i]))

    assert errors(outcomes) == []
    responses = [o.value for o in outcomes]
    assert [r.status_code for r in responses] == [302] * 10
    assert {r["Location"] for r in responses} == {
        reverse("evaluation:dossier", kwargs={"pk": upgrade.pk})
    }
    said = [message for r in responses for message in messages_of(r)]
    assert said.count(ALREADY_FORWARDED) == 9
    [recorded] = [m for m in said if m != ALREADY_FORWARDED]
    assert recorded.endswith("is recorded: 1 product sent up to the next level.")

    [decision] = DossierStatusChange.objects.filter(dossier=upgrade, to_status=S.FORWARDED)
    assert decision.actor in users
    [record] = Decision.objects.filter(kind="forwarding", unit=hanoi())
    assert decision.decision == record
    assert record.number in recorded
    [certificate] = Certificate.objects.filter(dossier=upgrade)
    assert (certificate.stars, certificate.level, certificate.unit) == (4, "province", hanoi())
    assert certificate.decision == record
    assert certificate.history.count() == 1
    district_certificate = Certificate.objects.get(dossier=upgrade.forwarded_from)
    assert district_certificate.superseded_by == certificate
    assert Certificate.objects.filter(product=upgrade.product).count() == 2
    [central] = Dossier.objects.filter(forwarded_from=upgrade)
    assert (central.round.level, central.status) == ("central", S.SUBMITTED)
    assert central.history.count() == 1
    assert Dossier.objects.filter(product=upgrade.product).count() == 3
    upgrade.product.refresh_from_db()
    assert (certificate_of(upgrade.product), upgrade.product.stars) == (certificate, 4)


def test_two_officials_recognising_and_forwarding_at_once_leave_one_of_the_two_decisions(
    upgrade,
):
    recogniser, forwarder = (
        signed_in(office_of(name, "province", hanoi())) for name in ("vp_hanoi_1", "vp_hanoi_2")
    )
    requests = [
        (recogniser, decide_url(upgrade, "cong-nhan"), act_form("11/QĐ-UBND")),
        (forwarder, decide_url(upgrade, "chuyen-len"), act_form("12/QĐ-UBND")),
    ]
    targets = [S.RECOGNISED, S.FORWARDED]

    outcomes = run_together(2, lambda i: requests[i][0].post(requests[i][1], requests[i][2]))

    assert errors(outcomes) == []
    assert [o.value.status_code for o in outcomes] == [302, 302]
    upgrade.refresh_from_db()
    assert upgrade.status in (S.RECOGNISED, S.FORWARDED)
    decisions = DossierStatusChange.objects.filter(
        dossier=upgrade, to_status__in=[S.RECOGNISED, S.FORWARDED]
    )
    assert list(decisions.values_list("to_status", flat=True)) == [upgrade.status]
    # The one who lost is told what the other decided.
    [lost] = [
        o.value for o, target in zip(outcomes, targets, strict=True) if target != upgrade.status
    ]
    [message] = messages_of(lost)
    assert f"is “{S(upgrade.status).label}”" in message
    assert Certificate.objects.filter(dossier=upgrade).count() == 1
    assert Dossier.objects.filter(forwarded_from=upgrade).count() == (
        1 if upgrade.status == S.FORWARDED else 0
    )
    assert Decision.objects.filter(unit=hanoi()).count() == 1


def test_two_officials_recording_one_number_for_two_products_at_once_leave_one_act(qd148):
    """Two results of one round, each confirmed by its own official with the same number
    at the same moment: the unique constraint lets one act through; the other official is
    told the number is taken, and nothing of theirs is written."""
    round_ = bare_round(qd148, "province", hanoi(), "Hà Nội 2024", date(2024, 3, 1))
    first = at_result(round_, new_product(), stars=4, mean="81.00")
    second = at_result(round_, new_product(), stars=4, mean="83.00")
    clients = [signed_in(office_of(f"vp_hanoi_{n}", "province", hanoi())) for n in (1, 2)]
    urls = [decide_url(first, "cong-nhan"), decide_url(second, "cong-nhan")]

    outcomes = run_together(2, lambda i: clients[i].post(urls[i], act_form("77/QĐ-UBND")))

    assert errors(outcomes) == []
    statuses = sorted(o.value.status_code for o in outcomes)
    assert statuses == [302, 400], statuses
    [refused] = [o.value for o in outcomes if o.value.status_code == 400]
    assert "77/QĐ-UBND" in str(refused.context["form"].errors["number"])
    [record] = Decision.objects.all()
    decided = Dossier.objects.filter(status=S.RECOGNISED)
    assert decided.count() == 1
    assert Certificate.objects.filter(decision=record).count() == 1
    assert Dossier.objects.filter(status=S.RESULT).count() == 1


def test_two_officials_recognising_at_once_through_the_service_leave_one_decision(qd148):
    """evaluation.decisions.decide itself, without the view: the row lock is the service's."""
    round_ = bare_round(qd148, "district", district("274"), "Hoài Đức 2024 đợt 1")
    dossier = at_result(round_, new_product(), stars=3, mean="62.00")
    officials = [office_of(f"vanphong_{n}", "district", district("274")) for n in (1, 2)]

    def approve(index):
        try:
            decide(Dossier.objects.get(pk=dossier.pk), S.RECOGNISED, officials[index], act=act())
        except TransitionError as refused:
            return refused
        return "recognised"

    outcomes = run_together(2, approve)

    assert errors(outcomes) == []
    values = [o.value for o in outcomes]
    assert values.count("recognised") == 1, values
    assert sum(isinstance(v, TransitionError) for v in values) == 1, values
    assert DossierStatusChange.objects.filter(dossier=dossier, to_status=S.RECOGNISED).count() == 1
    assert Certificate.objects.filter(dossier=dossier).count() == 1
    dossier.refresh_from_db()
    assert dossier.status == S.RECOGNISED
    dossier.product.refresh_from_db()
    assert dossier.product.stars == 3
