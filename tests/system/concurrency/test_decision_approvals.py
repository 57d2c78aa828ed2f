"""Ten approvals of one upgrade at once, through the real view, with real threads.

Decision 148: Hoài Đức district forwarded a four-star result (mean 80) to Hanoi with a
three-star certificate; Hanoi's council scored the upgrade five stars with a mean of
91.50, so the city recognises four stars and forwards the product to the central round.
Offices clicking twice, in many tabs or together must leave one decision, one
certificate and one dossier at the central level; the others are told why not. Last,
two district offices recognising one result at once through evaluation.decisions itself.
"""

from datetime import date

import pytest
from django.urls import reverse

from evaluation.decisions import decide
from evaluation.models import Certificate, Dossier, DossierStatusChange
from evaluation.workflow import TransitionError, transition
from tests.factories import (
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
FORWARDED = "The dossier is now “Forwarded to the next level”."
ALREADY_FORWARDED = "The dossier is already “Forwarded to the next level”: nothing was changed."


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
    decide(first, S.FORWARDED, office_of("vanphong_hoaiduc", "district", district("274")))
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
    url = reverse("evaluation:transition", kwargs={"pk": upgrade.pk})
    form = {"target": S.FORWARDED, "note": "Quyết định số 1234/QĐ-UBND"}

    outcomes = run_together(10, lambda i: clients[i].post(url, form))

    assert errors(outcomes) == []
    responses = [o.value for o in outcomes]
    assert [r.status_code for r in responses] == [302] * 10
    assert {r["Location"] for r in responses} == {
        reverse("evaluation:dossier", kwargs={"pk": upgrade.pk})
    }
    said = sorted(message for r in responses for message in messages_of(r))
    assert said == sorted([FORWARDED] + [ALREADY_FORWARDED] * 9)

    [decision] = DossierStatusChange.objects.filter(dossier=upgrade, to_status=S.FORWARDED)
    assert decision.actor in users
    [certificate] = Certificate.objects.filter(dossier=upgrade)
    assert (certificate.stars, certificate.level, certificate.unit) == (4, "province", hanoi())
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
    url = reverse("evaluation:transition", kwargs={"pk": upgrade.pk})
    requests = [(recogniser, S.RECOGNISED), (forwarder, S.FORWARDED)]

    outcomes = run_together(2, lambda i: requests[i][0].post(url, {"target": requests[i][1]}))

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
        o.value
        for o, (_client, target) in zip(outcomes, requests, strict=True)
        if target != upgrade.status
    ]
    [message] = messages_of(lost)
    assert f"is “{S(upgrade.status).label}”" in message
    assert Certificate.objects.filter(dossier=upgrade).count() == 1
    assert Dossier.objects.filter(forwarded_from=upgrade).count() == (
        1 if upgrade.status == S.FORWARDED else 0
    )


def test_two_officials_recognising_at_once_through_the_service_leave_one_decision(qd148):
    """evaluation.decisions.decide itself, without the view: the row lock is the service's."""
    round_ = bare_round(qd148, "district", district("274"), "Hoài Đức 2024 đợt 1")
    dossier = at_result(round_, new_product(), stars=3, mean="62.00")
    officials = [office_of(f"vanphong_{n}", "district", district("274")) for n in (1, 2)]

    def approve(index):
        try:
            decide(Dossier.objects.get(pk=dossier.pk), S.RECOGNISED, officials[index])
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
