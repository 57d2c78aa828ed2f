"""Ten approvals of one upgrade at once, through the real view, with real threads.

Decision 148: Hoài Đức district forwarded a four-star result (mean 80) to Hanoi with a
three-star certificate; Hanoi's council scored the upgrade five stars with a mean of
91.50, so the city recognises four stars and forwards the product to the central round.
Offices clicking twice, in many tabs or together must leave one decision, one
certificate and one dossier at the central level; the others are told why not.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation.decisions import decide
from evaluation.models import (
    Certificate,
    Council,
    CouncilResult,
    Dossier,
    DossierStatusChange,
    EvaluationRound,
    OfficialRole,
    Rulebook,
)
from evaluation.workflow import transition
from registry.models import AdministrativeUnit
from tests.system.concurrency.conftest import (
    errors,
    messages_of,
    needs_postgresql,
    run_together,
    same_session,
    signed_in,
)
from tests.evaluation.factories import make_dossier, make_user
from tests.factories import ProducerFactory, ProductFactory, certificate_of, commune, district

pytestmark = needs_postgresql

S = Dossier.Status
FORWARDED = "The dossier is now “Forwarded to the next level”."
ALREADY_FORWARDED = "The dossier is already “Forwarded to the next level”: nothing was changed."


def hanoi():
    return AdministrativeUnit.objects.get(level="province", code="01")


def bare_round(rulebook, level, unit, name, opens_on):
    """A round whose council has no members: decisions do not need any."""
    council = Council.objects.create(name=f"Hội đồng {name}", level=level, unit=unit)
    return EvaluationRound.objects.create(
        name=name,
        rulebook=rulebook,
        level=level,
        unit=unit,
        council=council,
        opens_on=opens_on,
        closes_on=opens_on,
    )


def office_of(username, level, unit):
    user = make_user(username)
    OfficialRole.objects.create(user=user, kind=OfficialRole.Kind.OFFICE, level=level, unit=unit)
    return user


def final_result(dossier, stars, mean):
    CouncilResult.objects.create(
        dossier=dossier, outcome="final", cards=4, mean=Decimal(mean), band_stars=stars, stars=stars
    )


@pytest.fixture
def upgrade():
    """The upgrade dossier at the city, with its council's final result, awaiting decision."""
    rulebook = Rulebook.objects.get(code="qd148-2023")
    district_round = bare_round(
        rulebook, "district", district("274"), "Hoài Đức 2024", date(2024, 3, 1)
    )
    bare_round(rulebook, "province", hanoi(), "Hà Nội 2024", date(2024, 10, 1))
    bare_round(rulebook, "central", None, "Trung ương 2025", date(2025, 3, 1))
    producer = ProducerFactory(commune=commune("Xã Hoài Đức"), district=district("274"))
    product = ProductFactory(producer=producer, stars=None, certified=False)
    first = make_dossier(district_round, S.RESULT, product=product)
    final_result(first, stars=4, mean="80.00")
    decide(first, S.FORWARDED, office_of("vanphong_hoaiduc", "district", district("274")))
    upper = Dossier.objects.get(forwarded_from=first)
    for target in (S.CHECKED, S.SCORING, S.RESULT):
        transition(upper, target, None)
    final_result(upper, stars=5, mean="91.50")
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
