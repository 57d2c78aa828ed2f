"""Decisions on a council's result (evaluation.decisions.decide) and who sees which dossier.

Decision 148 runs district (3★) → city (4★) → central (5★); Decision 26/2026 runs
commune pre-check → province (3★ and 4★) → central (5★). Products come from Xã Hoài
Đức, Hanoi (Hoài Đức district before July 2025) unless a test says otherwise.
"""

from datetime import date

import pytest
import time_machine
from django.utils import translation

from evaluation.access import dossiers_visible_to
from evaluation.acts import ActError
from evaluation.decisions import decide, decide_many
from evaluation.models import (
    Certificate,
    CouncilResult,
    Decision,
    Dossier,
    DossierStatusChange,
    OfficialRole,
)
from evaluation.workflow import TransitionError, transition
from tests.factories import (
    act,
    at_result,
    bare_round,
    certificate_of,
    commune,
    district,
    give_result,
    inspector_of,
    make_dossier,
    new_product,
    office_of,
    province,
)

pytestmark = pytest.mark.django_db

S = Dossier.Status
TODAY = date(2024, 9, 16)


# ---------------------------------------------------------------- helpers
def score(dossier, stars, mean, actor=None):
    """Take a forwarded dossier from submitted to a final result, as its council would."""
    for target in (S.CHECKED, S.SCORING, S.RESULT):
        transition(dossier, target, actor)
    return give_result(dossier, stars, mean)


def decide_on(day, dossier, target, actor, note=""):
    with time_machine.travel(day, tick=False):
        return decide(dossier, target, actor, note, act=act())


def upper_of(dossier) -> Dossier:
    return Dossier.objects.get(forwarded_from=dossier)


def recognitions(dossier):
    return DossierStatusChange.objects.filter(dossier=dossier, to_status=S.RECOGNISED)


# ---------------------------------------------------------------- fixtures
@pytest.fixture
def hoai_duc_round(qd148):
    return bare_round(qd148, "district", district("274"), "Hoài Đức 2024 đợt 1")


@pytest.fixture
def city_round(qd148, hanoi):
    return bare_round(qd148, "province", hanoi, "Hà Nội 2024 đợt 2", opens_on=date(2024, 10, 1))


@pytest.fixture
def central_round(qd148):
    return bare_round(qd148, "central", None, "Trung ương 2025", opens_on=date(2025, 3, 1))


@pytest.fixture
def district_office(people):
    """Hoài Đức district's office, of the shared cast."""
    return people["district_office"]


@pytest.fixture
def city_office(people):
    return people["city_office"]


@pytest.fixture
def central_office(people):
    return people["central_office"]


@pytest.fixture
def forwarded(hoai_duc_round, city_round, district_office):
    """A 4★ result with a mean of 80 at Hoài Đức, forwarded to the city."""
    dossier = at_result(hoai_duc_round, new_product(), stars=4, mean="80.00")
    decide_on(TODAY, dossier, S.FORWARDED, district_office)
    return dossier


# ---------------------------------------------------------------- Decision 148
def test_the_district_forwards_a_four_star_result_with_three_stars_to_the_city(
    hoai_duc_round, city_round, district_office, qd148
):
    # An older city round is not the one the product goes to.
    bare_round(qd148, "province", province("01"), "Hà Nội 2024 đợt 1", opens_on=date(2024, 4, 1))
    product = new_product()
    dossier = at_result(hoai_duc_round, product, stars=4, mean="80.00")

    decide_on(TODAY, dossier, S.FORWARDED, district_office)

    assert dossier.status == S.FORWARDED
    dossier.refresh_from_db()
    assert dossier.status == S.FORWARDED
    [decision] = dossier.history.filter(to_status=S.FORWARDED)
    assert decision.actor == district_office
    certificate = Certificate.objects.get(dossier=dossier)
    assert (certificate.stars, certificate.level, certificate.unit) == (
        3,
        "district",
        district("274"),
    )
    assert certificate.issued_on == TODAY
    product.refresh_from_db()
    assert (certificate_of(product), product.stars) == (certificate, 3)

    upper = upper_of(dossier)
    assert upper.round == city_round
    assert upper.round.rulebook == qd148
    # The producer's first evaluation carried on, not an upgrade application of theirs.
    assert (upper.status, upper.kind) == (S.SUBMITTED, Dossier.Kind.FIRST)
    assert (upper.product, upper.sheet) == (product, dossier.sheet)
    [opened] = upper.history.all()
    assert (opened.from_status, opened.to_status) == (S.DRAFT, S.SUBMITTED)
    assert opened.actor == district_office
    assert opened.decision == decision.decision == certificate.decision
    assert certificate.decision.kind == Decision.Kind.FORWARDING
    assert hoai_duc_round.name in opened.note and "80" in opened.note
    with translation.override("en"):
        again = at_result(hoai_duc_round, new_product(), stars=4, mean="75.00")
        decide_on(TODAY, again, S.FORWARDED, district_office)
    assert upper_of(again).history.get().note.startswith("Forwarded from")


def test_forwarding_with_no_round_above_is_refused_and_writes_nothing(
    hoai_duc_round, district_office
):
    product = new_product()
    dossier = at_result(hoai_duc_round, product, stars=4, mean="80.00")

    with pytest.raises(TransitionError):
        decide_on(TODAY, dossier, S.FORWARDED, district_office)

    assert dossier.status == S.RESULT
    dossier.refresh_from_db()
    assert dossier.status == S.RESULT
    assert not dossier.history.exists()
    assert not Certificate.objects.filter(product=product).exists()
    assert not Dossier.objects.filter(forwarded_from=dossier).exists()
    product.refresh_from_db()
    assert (certificate_of(product), product.stars) == (None, None)


def test_a_round_of_another_province_or_rulebook_is_no_round_above(
    hoai_duc_round, district_office, qd26
):
    bare_round(qd26, "province", province("01"), "Hà Nội 2026")
    bare_round(hoai_duc_round.rulebook, "province", province("79"), "TP Hồ Chí Minh 2024")
    dossier = at_result(hoai_duc_round, new_product(), stars=4, mean="80.00")

    with pytest.raises(TransitionError):
        decide_on(TODAY, dossier, S.FORWARDED, district_office)
    assert not Certificate.objects.filter(dossier=dossier).exists()


def test_the_city_recognises_four_stars_superseding_the_district_certificate(
    forwarded, city_office, hanoi
):
    upper = score(upper_of(forwarded), stars=4, mean="84.00")
    day = date(2024, 11, 20)

    decide_on(day, upper, S.RECOGNISED, city_office)

    district_certificate = Certificate.objects.get(dossier=forwarded)
    city_certificate = Certificate.objects.get(dossier=upper)
    assert (city_certificate.stars, city_certificate.level) == (4, "province")
    assert city_certificate.unit == hanoi
    assert city_certificate.issued_on == day
    assert district_certificate.superseded_by == city_certificate
    product = upper.product
    product.refresh_from_db()
    assert (certificate_of(product), product.stars) == (city_certificate, 4)
    assert not Dossier.objects.filter(forwarded_from=upper).exists()


def test_the_city_forwards_from_90_with_four_stars_to_the_central_round(
    forwarded, city_office, central_round
):
    upper = score(upper_of(forwarded), stars=5, mean="91.50")

    decide_on(date(2024, 11, 20), upper, S.FORWARDED, city_office)

    city_certificate = Certificate.objects.get(dossier=upper)
    assert (city_certificate.stars, city_certificate.level) == (4, "province")
    assert Certificate.objects.get(dossier=forwarded).superseded_by == city_certificate
    central = upper_of(upper)
    assert central.round == central_round
    assert central.round.unit is None
    assert (central.status, central.kind) == (S.SUBMITTED, Dossier.Kind.FIRST)
    assert "91,50" in central.history.get().note  # in Vietnamese, as the page shows it


def test_the_central_council_recognises_five_stars(
    forwarded, city_office, central_round, central_office
):
    city = score(upper_of(forwarded), stars=5, mean="93.00")
    decide_on(date(2024, 11, 20), city, S.FORWARDED, city_office)
    central = score(upper_of(city), stars=5, mean="92.00")

    decide_on(date(2025, 4, 2), central, S.RECOGNISED, central_office)

    certificate = Certificate.objects.get(dossier=central)
    assert (certificate.stars, certificate.level, certificate.unit) == (5, "central", None)
    assert "TW" in certificate.number
    assert certificate.number == f"OCOP-TW-2025-{central.pk:06d}"
    assert certificate.expires_on == date(2028, 4, 2)
    product = central.product
    product.refresh_from_db()
    assert (certificate_of(product), product.stars) == (certificate, 5)
    chain = Certificate.objects.filter(product=product).order_by("issued_on", "id")
    assert [c.stars for c in chain] == [3, 4, 5]
    assert [c.superseded_by_id is None for c in chain] == [False, False, True]


def test_the_central_council_cannot_forward(forwarded, city_office, central_round, central_office):
    city = score(upper_of(forwarded), stars=5, mean="95.00")
    decide_on(date(2024, 11, 20), city, S.FORWARDED, city_office)
    central = score(upper_of(city), stars=5, mean="96.00")
    with pytest.raises(TransitionError):
        decide_on(date(2025, 4, 2), central, S.FORWARDED, central_office)
    assert not Certificate.objects.filter(dossier=central).exists()


def test_a_two_star_result_can_only_be_not_recognised(hoai_duc_round, district_office):
    dossier = at_result(hoai_duc_round, new_product(), stars=2, mean="45.00")

    for target in (S.RECOGNISED, S.FORWARDED):
        with pytest.raises(TransitionError):
            decide_on(TODAY, dossier, target, district_office)
    decide_on(TODAY, dossier, S.NOT_RECOGNISED, district_office, "Chưa đạt 50 điểm")

    dossier.refresh_from_db()
    assert dossier.status == S.NOT_RECOGNISED
    assert dossier.history.get().note == "Chưa đạt 50 điểm"
    assert not Certificate.objects.filter(dossier=dossier).exists()


@pytest.mark.parametrize("note", ["", "  \n"])
def test_not_recognising_without_a_note_is_refused(hoai_duc_round, district_office, note):
    dossier = at_result(hoai_duc_round, new_product(), stars=2, mean="45.00")
    with pytest.raises(TransitionError):
        decide_on(TODAY, dossier, S.NOT_RECOGNISED, district_office, note)
    dossier.refresh_from_db()
    assert dossier.status == S.RESULT
    assert not dossier.history.exists()


def test_not_recognising_a_good_result_issues_nothing(hoai_duc_round, district_office):
    dossier = at_result(hoai_duc_round, new_product(), stars=4, mean="80.00")
    decide_on(TODAY, dossier, S.NOT_RECOGNISED, district_office, "Hồ sơ giả mạo")
    assert not Certificate.objects.filter(dossier=dossier).exists()


# ---------------------------------------------------------------- Decision 26/2026
@pytest.fixture
def qd26_rounds(qd26, hanoi):
    commune_round = bare_round(qd26, "commune", commune("Xã Hoài Đức"), "Xã Hoài Đức 2026")
    province_round = bare_round(qd26, "province", hanoi, "Hà Nội 2026 đợt 1")
    return commune_round, province_round


@pytest.fixture
def sent_up(qd26_rounds):
    """A dossier checked by Xã Hoài Đức and forwarded to the Hanoi round."""
    commune_round, _province_round = qd26_rounds
    commune_office = office_of("ubnd_xa_hoaiduc", "commune", commune("Xã Hoài Đức"))
    dossier = make_dossier(commune_round, S.CHECKED, product=new_product(district_code=None))
    decide_on(date(2026, 7, 1), dossier, S.FORWARDED, commune_office)
    return dossier


def test_the_commune_forwards_a_checked_dossier_without_score_or_certificate(sent_up, qd26_rounds):
    _commune_round, province_round = qd26_rounds
    assert sent_up.status == S.FORWARDED
    assert not CouncilResult.objects.filter(dossier=sent_up).exists()
    assert not Certificate.objects.filter(product=sent_up.product).exists()
    upper = upper_of(sent_up)
    assert upper.round == province_round
    assert (upper.status, upper.kind) == (S.SUBMITTED, Dossier.Kind.FIRST)
    assert "—" in upper.history.get().note  # no mean to quote
    sent_up.product.refresh_from_db()
    assert sent_up.product.stars is None


@pytest.mark.parametrize(("stars", "mean"), [(4, "78.00"), (3, "58.25")])
def test_the_province_recognises_three_and_four_stars(sent_up, hanoi, stars, mean):
    upper = score(upper_of(sent_up), stars=stars, mean=mean)

    decide_on(date(2026, 8, 3), upper, S.RECOGNISED, office_of("sct_hanoi", "province", hanoi))

    certificate = Certificate.objects.get(dossier=upper)
    assert (certificate.stars, certificate.level, certificate.unit) == (stars, "province", hanoi)
    assert certificate.rulebook.code == "qd26-2026"
    assert certificate.expires_on == date(2029, 8, 3)
    upper.product.refresh_from_db()
    assert upper.product.stars == stars


# ---------------------------------------------------------------- 26/2026: the five-star path
# Điều 7 khoản 3 điểm e: a province result of 90 or more is approved and sent to the
# ministry, without a certificate; khoản 4 điểm g: if the central council scores it under 90,
# the province may recognise 3★ or 4★ on that result.
@pytest.fixture
def five_star_path(qd26, hanoi):
    """Hà Nội's 2026 round and the central round above it, with their offices."""
    return {
        "province": bare_round(qd26, "province", hanoi, "Hà Nội 2026 đợt 1"),
        "central": bare_round(qd26, "central", None, "Trung ương 2026", date(2026, 9, 1)),
        "hanoi_office": office_of("vp_hanoi", "province", hanoi),
        "ministry": office_of("vp_bo", "central", None),
    }


DAY_26 = date(2026, 8, 3)


def sent_to_the_ministry(path, *, mean="92.00", stars=5, kind=Dossier.Kind.FIRST):
    """A Hanoi result of `mean`, approved and sent to the central round; (province, central)."""
    dossier = make_dossier(
        path["province"], S.RESULT, product=new_product(district_code=None), kind=kind
    )
    give_result(dossier, stars, mean)
    decide_on(DAY_26, dossier, S.FORWARDED, path["hanoi_office"])
    return dossier, upper_of(dossier)


def test_a_90_result_is_approved_and_sent_up_without_a_certificate(five_star_path):
    province, central = sent_to_the_ministry(five_star_path, kind=Dossier.Kind.UPGRADE)

    assert province.status == S.FORWARDED
    assert not Certificate.objects.filter(product=province.product).exists()
    province.product.refresh_from_db()
    assert province.product.stars is None
    assert central.round == five_star_path["central"]
    # The producer's own application was an upgrade: it stays one. A first evaluation
    # sent up stays a first evaluation (test above).
    assert (central.status, central.kind) == (S.SUBMITTED, Dossier.Kind.UPGRADE)
    [move] = province.history.filter(to_status=S.FORWARDED)
    assert move.decision.kind == Decision.Kind.FORWARDING
    assert (move.decision.level, move.decision.unit) == ("province", province.round.unit)
    assert move.decision.rulebook.code == "qd26-2026"


@pytest.mark.parametrize(("stars", "mean"), [(5, "90.00"), (5, "97.50"), (4, "91.00")])
def test_a_90_result_cannot_be_recognised_four_stars_by_the_province(five_star_path, stars, mean):
    # Even capped to 4★ by a five-star minimum, 90 points is "tiềm năng đạt 5 sao (đạt từ
    # 90 trở lên)": the text draws the line at the score.
    dossier = at_result(five_star_path["province"], new_product(district_code=None), stars, mean)

    with pytest.raises(TransitionError, match="90"):
        decide_on(DAY_26, dossier, S.RECOGNISED, five_star_path["hanoi_office"])

    dossier.refresh_from_db()
    assert dossier.status == S.RESULT
    assert not Certificate.objects.filter(dossier=dossier).exists()
    assert not Decision.objects.exists()


def test_an_89_99_result_is_recognised_four_stars_and_not_sent_up(five_star_path, hanoi):
    dossier = at_result(five_star_path["province"], new_product(district_code=None), 4, "89.99")
    with pytest.raises(TransitionError, match="90"):
        decide_on(DAY_26, dossier, S.FORWARDED, five_star_path["hanoi_office"])
    decide_on(DAY_26, dossier, S.RECOGNISED, five_star_path["hanoi_office"])
    certificate = Certificate.objects.get(dossier=dossier)
    assert (certificate.stars, certificate.level, certificate.unit) == (4, "province", hanoi)


def test_the_ministry_recognises_five_stars_and_the_province_has_nothing_left_to_do(
    five_star_path,
):
    province, central = sent_to_the_ministry(five_star_path)
    score(central, stars=5, mean="93.00")

    decide_on(date(2026, 10, 1), central, S.RECOGNISED, five_star_path["ministry"])

    certificate = Certificate.objects.get(dossier=central)
    assert (certificate.stars, certificate.level, certificate.unit) == (5, "central", None)
    assert certificate.decision.authority == "UBND thành phố Hà Nội"  # as act() types it
    with pytest.raises(TransitionError):
        decide_on(date(2026, 10, 5), province, S.RECOGNISED, five_star_path["hanoi_office"])
    assert Certificate.objects.filter(product=province.product).count() == 1


@pytest.mark.parametrize(("stars", "mean"), [(4, "86.00"), (3, "64.50")])
def test_under_90_at_the_centre_the_province_recognises_on_the_central_result(
    five_star_path, hanoi, stars, mean
):
    province, central = sent_to_the_ministry(five_star_path)
    score(central, stars=stars, mean=mean)
    # The ministry recognises five stars only; it notifies its result.
    with pytest.raises(TransitionError):
        decide_on(date(2026, 10, 1), central, S.RECOGNISED, five_star_path["ministry"])
    decide_on(
        date(2026, 10, 1),
        central,
        S.NOT_RECOGNISED,
        five_star_path["ministry"],
        "Chưa đạt 90 điểm",
    )
    refusal = Decision.objects.get(moves__dossier=central, moves__to_status=S.NOT_RECOGNISED)
    assert refusal.kind == Decision.Kind.REFUSAL

    decide_on(date(2026, 10, 20), province, S.RECOGNISED, five_star_path["hanoi_office"])

    province.refresh_from_db()
    assert province.status == S.RECOGNISED
    certificate = Certificate.objects.get(dossier=province)
    assert (certificate.stars, certificate.level, certificate.unit) == (stars, "province", hanoi)
    assert certificate.issued_on == date(2026, 10, 20)
    assert certificate.decision.kind == Decision.Kind.RECOGNITION
    [move] = province.history.filter(to_status=S.RECOGNISED)
    assert move.from_status == S.FORWARDED
    province.product.refresh_from_db()
    assert province.product.stars == stars


def test_the_province_waits_for_the_ministrys_decision(five_star_path):
    province, central = sent_to_the_ministry(five_star_path)
    with pytest.raises(TransitionError):  # not even scored
        decide_on(date(2026, 9, 20), province, S.RECOGNISED, five_star_path["hanoi_office"])
    score(central, stars=4, mean="86.00")
    with pytest.raises(TransitionError, match="chưa quyết định"):  # scored, not yet decided
        decide_on(date(2026, 9, 25), province, S.RECOGNISED, five_star_path["hanoi_office"])
    assert not Certificate.objects.filter(product=province.product).exists()


@pytest.mark.parametrize(
    ("stars", "mean", "outcome", "why"),
    [
        (2, "45.00", "final", "2"),  # under three stars: nothing to recognise
        (5, "91.00", "final", "91"),  # 90+ refused by the ministry (forged papers, say)
        (None, None, "rejected", "chính thức"),  # rejected outright: no score to rest on
    ],
)
def test_the_province_cannot_recognise_on_these_central_results(
    five_star_path, stars, mean, outcome, why
):
    province, central = sent_to_the_ministry(five_star_path)
    for target in (S.CHECKED, S.SCORING, S.RESULT):
        transition(central, target, None)
    give_result(central, stars, mean, outcome=outcome)
    decide_on(date(2026, 10, 1), central, S.NOT_RECOGNISED, five_star_path["ministry"], "Lý do")

    with pytest.raises(TransitionError, match=why):
        decide_on(date(2026, 10, 20), province, S.RECOGNISED, five_star_path["hanoi_office"])
    province.refresh_from_db()
    assert province.status == S.FORWARDED
    assert not Certificate.objects.filter(product=province.product).exists()


def test_under_decision_148_a_product_sent_up_is_not_recognised_again_below(
    forwarded, city_office, central_round, central_office
):
    city = score(upper_of(forwarded), stars=5, mean="91.00")
    decide_on(date(2024, 11, 20), city, S.FORWARDED, city_office)  # with its 4★ certificate
    central = score(upper_of(city), stars=4, mean="85.00")
    decide_on(date(2025, 4, 2), central, S.NOT_RECOGNISED, central_office, "Chưa đạt 5 sao")
    with pytest.raises(TransitionError):
        decide_on(date(2025, 4, 10), city, S.RECOGNISED, city_office)
    assert Certificate.objects.filter(product=city.product).count() == 2  # 3★, then 4★


# ---------------------------------------------------------------- the act recorded
def test_a_decision_is_recorded_once_with_its_act_and_its_certificates(
    hoai_duc_round, district_office, qd148
):
    first = at_result(hoai_duc_round, new_product(), stars=3, mean="61.00")
    second = at_result(hoai_duc_round, new_product(), stars=4, mean="77.00")
    signed = date(2024, 9, 10)  # recorded a week after it was signed
    paper = act("123/QĐ-UBND", signed, authority="UBND huyện Hoài Đức", signer_name="Lê Văn A")

    with time_machine.travel(TODAY, tick=False):
        record = decide_many([second, first], S.RECOGNISED, district_office, act=paper)

    assert (record.kind, record.number, record.signed_on, record.year) == (
        Decision.Kind.RECOGNITION,
        "123/QĐ-UBND",
        signed,
        2024,
    )
    assert (record.level, record.unit, record.rulebook) == ("district", district("274"), qd148)
    assert (record.authority, record.signer_name, record.created_by) == (
        "UBND huyện Hoài Đức",
        "Lê Văn A",
        district_office,
    )
    issued = Certificate.objects.filter(decision=record).order_by("dossier_id")
    assert [c.dossier for c in issued] == [first, second]
    # Valid 36 months from the date the authority issued it (Điều 4 khoản 3).
    assert {c.issued_on for c in issued} == {signed}
    assert {c.expires_on for c in issued} == {date(2027, 9, 10)}
    assert set(
        DossierStatusChange.objects.filter(decision=record).values_list("dossier", flat=True)
    ) == {first.pk, second.pk}
    [created] = record.history.all()
    assert created.history_user == district_office


@pytest.mark.parametrize("typed", ["123/QĐ-UBND", " 123 / qđ-ubnd ", "123/qđ-UBND"])
def test_a_number_already_recorded_by_the_authority_this_year_is_refused(
    hoai_duc_round, district_office, typed
):
    done = at_result(hoai_duc_round, new_product(), stars=3, mean="61.00")
    decide_on(TODAY, done, S.RECOGNISED, district_office)  # gives it some number
    Decision.objects.update(number="123/QĐ-UBND")  # the admin corrects it; key follows on save
    for decision in Decision.objects.all():
        decision.save()
    again = at_result(hoai_duc_round, new_product(), stars=3, mean="62.00")

    with pytest.raises(ActError, match="123/QĐ-UBND") as refused:
        decide(again, S.RECOGNISED, district_office, act=act(typed, TODAY))

    assert refused.value.field == "number"
    again.refresh_from_db()
    assert again.status == S.RESULT
    assert not Certificate.objects.filter(dossier=again).exists()
    assert Decision.objects.count() == 1


def test_the_same_number_is_free_in_another_year_or_for_another_authority(
    hoai_duc_round, city_round, district_office, city_office
):
    decide(
        at_result(hoai_duc_round, new_product(), 3, "61.00"),
        S.RECOGNISED,
        district_office,
        act=act("5/QĐ-UBND", date(2024, 9, 1)),
    )
    decide(
        at_result(hoai_duc_round, new_product(), 3, "61.00"),
        S.RECOGNISED,
        district_office,
        act=act("5/QĐ-UBND", date(2025, 1, 3)),
    )
    decide(
        at_result(city_round, new_product(), 4, "81.00"),
        S.RECOGNISED,
        city_office,
        act=act("5/QĐ-UBND", date(2024, 9, 1)),
    )
    assert Decision.objects.filter(number="5/QĐ-UBND").count() == 3


def test_one_act_covers_all_its_dossiers_or_none(hoai_duc_round, district_office):
    good = at_result(hoai_duc_round, new_product(), stars=3, mean="61.00")
    low = at_result(hoai_duc_round, new_product(name="Rau muống"), stars=2, mean="41.00")

    with pytest.raises(TransitionError, match="Rau muống"):
        decide_many([good, low], S.RECOGNISED, district_office, act=act())

    assert not Decision.objects.exists()
    assert not Certificate.objects.filter(dossier__in=[good, low]).exists()
    good.refresh_from_db()
    assert good.status == S.RESULT


def test_one_act_does_not_span_two_authorities(hoai_duc_round, city_round, district_office):
    here = at_result(hoai_duc_round, new_product(), stars=3, mean="61.00")
    there = at_result(city_round, new_product(), stars=4, mean="81.00")
    with pytest.raises(TransitionError):
        decide_many([here, there], S.RECOGNISED, district_office, act=act())
    assert not Decision.objects.exists()


def test_not_recognising_is_recorded_as_the_written_notice_with_its_reasons(
    hoai_duc_round, district_office
):
    dossier = at_result(hoai_duc_round, new_product(), stars=2, mean="45.00")
    decide_on(TODAY, dossier, S.NOT_RECOGNISED, district_office, "Chưa đạt 50 điểm")
    [record] = Decision.objects.all()
    assert (record.kind, record.note) == (Decision.Kind.REFUSAL, "Chưa đạt 50 điểm")
    assert dossier.history.get().decision == record


def test_the_commune_cannot_forward_before_checking(qd26_rounds):
    commune_round, _province_round = qd26_rounds
    dossier = make_dossier(commune_round, S.SUBMITTED, product=new_product(district_code=None))
    with pytest.raises(TransitionError):
        decide_on(date(2026, 7, 1), dossier, S.FORWARDED, None)
    assert not Dossier.objects.filter(forwarded_from=dossier).exists()


# ---------------------------------------------------------------- refusals
def test_recognising_before_a_final_result_is_refused(hoai_duc_round, district_office):
    no_result = make_dossier(hoai_duc_round, S.RESULT, product=new_product())
    waiting = at_result(
        hoai_duc_round, new_product(), stars=None, mean=None, outcome="waiting_quorum"
    )
    scoring = make_dossier(hoai_duc_round, S.SCORING, product=new_product())

    for dossier in (no_result, waiting, scoring):
        with pytest.raises(TransitionError):
            decide_on(TODAY, dossier, S.RECOGNISED, district_office)
        dossier.refresh_from_db()
        assert dossier.status in (S.RESULT, S.SCORING)
        assert not dossier.history.exists()
    assert not Certificate.objects.filter(dossier__round=hoai_duc_round).exists()


@pytest.mark.parametrize(
    ("round_fixture", "stars", "mean", "threshold"),
    [("hoai_duc_round", 3, "69.99", "70"), ("city_round", 4, "89.99", "90")],
)
def test_forwarding_below_the_levels_minimum_is_refused(
    request, city_round, central_round, round_fixture, stars, mean, threshold
):
    # With a round above in place, only the mean stands in the way.
    round_ = request.getfixturevalue(round_fixture)
    dossier = at_result(round_, new_product(), stars=stars, mean=mean)

    with pytest.raises(TransitionError, match=threshold):
        decide_on(TODAY, dossier, S.FORWARDED, office_of("vp", round_.level, round_.unit))

    dossier.refresh_from_db()
    assert dossier.status == S.RESULT
    assert not Certificate.objects.filter(dossier=dossier).exists()
    assert not Dossier.objects.filter(forwarded_from=dossier).exists()


def test_a_decided_dossier_cannot_be_decided_again(hoai_duc_round, district_office):
    dossier = at_result(hoai_duc_round, new_product(), stars=3, mean="60.00")
    decide_on(TODAY, dossier, S.RECOGNISED, district_office)
    with pytest.raises(TransitionError):
        decide_on(TODAY, dossier, S.RECOGNISED, district_office)
    assert recognitions(dossier).count() == 1
    assert Certificate.objects.filter(dossier=dossier).count() == 1


# ---------------------------------------------------------------- who sees which dossier
@pytest.fixture
def dossiers_everywhere(qd148, hanoi):
    """One filed dossier in each kind of round: two Hanoi districts, Hanoi, HCMC, the centre
    (filed: a draft is its producer's alone, whatever the official's scope)."""
    hcmc_product = new_product("Phường Bà Rịa", "79", None)
    rounds = {
        "hoai_duc": bare_round(qd148, "district", district("274"), "Hoài Đức 2024"),
        "dong_anh": bare_round(qd148, "district", district("017"), "Đông Anh 2024"),
        "hanoi": bare_round(qd148, "province", hanoi, "Hà Nội 2024"),
        "hcmc": bare_round(qd148, "province", province("79"), "TP Hồ Chí Minh 2024"),
        "central": bare_round(qd148, "central", None, "Trung ương 2024"),
    }
    return {
        key: make_dossier(
            round_,
            Dossier.Status.SUBMITTED,
            product=hcmc_product if key == "hcmc" else new_product(),
        )
        for key, round_ in rounds.items()
    }


def visible(user, dossiers):
    ids = set(dossiers_visible_to(user).values_list("pk", flat=True))
    return {key for key, dossier in dossiers.items() if dossier.pk in ids}


def test_a_district_office_sees_its_own_rounds_only(dossiers_everywhere):
    office = office_of("vanphong_hoaiduc", "district", district("274"))
    assert visible(office, dossiers_everywhere) == {"hoai_duc"}


def test_a_city_office_sees_the_city_rounds_only(dossiers_everywhere, hanoi):
    office = office_of("vanphong_hanoi", "province", hanoi)
    assert visible(office, dossiers_everywhere) == {"hanoi"}


def test_a_city_inspector_sees_the_city_and_its_districts(dossiers_everywhere, hanoi):
    inspector = inspector_of("thanhtra_hanoi", "province", hanoi)
    assert visible(inspector, dossiers_everywhere) == {"hoai_duc", "dong_anh", "hanoi"}


def test_a_central_inspector_sees_everything(dossiers_everywhere):
    inspector = inspector_of("thanhtra_trunguong", "central", None)
    assert visible(inspector, dossiers_everywhere) == set(dossiers_everywhere)


def test_a_central_office_sees_the_central_round(dossiers_everywhere):
    office = office_of("vanphong_trunguong", "central", None)
    assert visible(office, dossiers_everywhere) == {"central"}


def test_without_a_role_an_official_sees_nothing(dossiers_everywhere, people):
    assert visible(people["citizen"], dossiers_everywhere) == set()


def test_roles_add_up_without_repeating_a_dossier(dossiers_everywhere, hanoi):
    user = office_of("kiemnhiem", "district", district("274"))
    OfficialRole.objects.create(
        user=user, kind=OfficialRole.Kind.INSPECTOR, level="province", unit=hanoi
    )
    qs = dossiers_visible_to(user)
    assert qs.count() == len(set(qs.values_list("pk", flat=True))) == 3
