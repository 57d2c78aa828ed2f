"""Dossier status moves (evaluation.workflow): the table, the notes, and the decisions."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from evaluation.models import CouncilResult, Dossier, DossierStatusChange, Rulebook
from evaluation.workflow import (
    DECISIONS,
    NOTE_REQUIRED,
    TRANSITIONS,
    TransitionError,
    check_move,
    decision_error,
    moves_offered,
    recognised_stars,
    transition,
)
from tests.factories import make_dossier, make_round

pytestmark = pytest.mark.django_db

S = Dossier.Status
FINAL_STATES = [S.RECOGNISED, S.FORWARDED, S.NOT_RECOGNISED]
# checked → forwarded belongs to levels that only pre-check (tested on its own below).
PRECHECK_ONLY = {(S.CHECKED, S.FORWARDED)}
ALLOWED = sorted(
    (current, target)
    for current, targets in TRANSITIONS.items()
    for target in targets
    if (current, target) not in PRECHECK_ONLY
)
ILLEGAL = [
    (S.DRAFT, S.CHECKED),
    (S.DRAFT, S.SCORING),
    (S.DRAFT, S.RECOGNISED),
    (S.SUBMITTED, S.SCORING),
    (S.SUBMITTED, S.DRAFT),
    (S.RETURNED, S.CHECKED),
    (S.CHECKED, S.RESULT),
    (S.CHECKED, S.RETURNED),
    (S.SCORING, S.RECOGNISED),
    (S.SCORING, S.CHECKED),
    (S.RESULT, S.DRAFT),
    (S.RESULT, S.RESULT),
]
FROM_FINAL = [(current, target) for current in FINAL_STATES for target in S.values]


def level_of(rulebook: str, code: str) -> dict:
    """A level of a rulebook, from its row loaded for the session."""
    levels = Rulebook.objects.get(code=rulebook).levels
    return next(level for level in levels if level["code"] == code)


def result(outcome="final", stars=4, mean="75.00"):
    """Stands in for a CouncilResult in the pure decision checks."""
    return SimpleNamespace(
        outcome=outcome, stars=stars, mean=None if mean is None else Decimal(mean)
    )


@pytest.fixture
def secretary(people):
    return people["secretary"]


@pytest.fixture
def district_round(cast):
    """Hoài Đức district's Decision 148 round, of the shared cast."""
    return cast["round"]


def dossier_at(round_, status, *, stars=4, mean="75.00", outcome="final"):
    dossier = make_dossier(round_, status)
    if status == S.RESULT:
        CouncilResult.objects.create(
            dossier=dossier,
            outcome=outcome,
            cards=3,
            mean=Decimal(mean),
            band_stars=stars,
            stars=stars,
        )
    return dossier


def labels(*statuses):
    return [str(S(s).label) for s in statuses]


# ---------------------------------------------------------------- the table
def test_every_status_has_a_row_in_the_table():
    assert set(TRANSITIONS) == set(S.values)
    assert all(targets <= set(S.values) for targets in TRANSITIONS.values())


def test_final_states_lead_nowhere():
    assert all(TRANSITIONS[s] == set() for s in FINAL_STATES)
    assert set(FINAL_STATES) == DECISIONS


@pytest.mark.parametrize(("current", "target"), ALLOWED, ids=lambda s: str(s))
def test_every_allowed_move_succeeds_and_writes_one_history_row(
    district_round, secretary, current, target
):
    dossier = dossier_at(district_round, current)
    note = "Thiếu giấy chứng nhận ATTP" if target in NOTE_REQUIRED else "Ghi chú"

    moved = transition(dossier, target, secretary, note)

    assert moved.status == target
    assert dossier.status == target  # the caller's object is updated too
    dossier.refresh_from_db()
    assert dossier.status == target
    [change] = DossierStatusChange.objects.filter(dossier=dossier)
    assert (change.from_status, change.to_status) == (current, target)
    assert change.actor == secretary
    assert change.note == note
    assert change.at is not None


def test_returning_a_dossier_keeps_the_reasons_for_the_producer(district_round, secretary):
    dossier = dossier_at(district_round, S.SUBMITTED)
    transition(dossier, S.RETURNED, secretary, "Bổ sung phiếu kiểm nghiệm")
    dossier.refresh_from_db()
    assert dossier.return_reasons == "Bổ sung phiếu kiểm nghiệm"


def test_a_dossier_can_go_round_the_whole_way(district_round, secretary):
    dossier = dossier_at(district_round, S.DRAFT)
    for target in (S.SUBMITTED, S.RETURNED, S.SUBMITTED, S.CHECKED, S.SCORING):
        transition(dossier, target, secretary, "Lý do")
    assert dossier.history.count() == 5
    assert [c.to_status for c in dossier.history.all()] == [
        S.SUBMITTED,
        S.RETURNED,
        S.SUBMITTED,
        S.CHECKED,
        S.SCORING,
    ]


@pytest.mark.parametrize(("current", "target"), ILLEGAL + FROM_FINAL, ids=lambda s: str(s))
def test_an_illegal_move_is_refused_naming_both_statuses(
    district_round, secretary, current, target
):
    dossier = dossier_at(district_round, current)

    with pytest.raises(TransitionError) as refused:
        transition(dossier, target, secretary, "Ghi chú")

    current_label, target_label = labels(current, target)
    assert current_label in str(refused.value)
    assert target_label in str(refused.value)
    dossier.refresh_from_db()
    assert dossier.status == current
    assert not DossierStatusChange.objects.filter(dossier=dossier).exists()


def test_the_refusal_uses_the_labels_of_the_active_language():
    english = pytest.raises(TransitionError, match="“Being scored”.*“Recognised”")
    with translation.override("en"), english:
        check_move(S.SCORING, S.RECOGNISED)
    with pytest.raises(TransitionError) as refused:
        check_move(S.SCORING, S.RECOGNISED)
    assert str(S.SCORING.label) in str(refused.value)


@pytest.mark.parametrize("target", sorted(NOTE_REQUIRED))
@pytest.mark.parametrize("note", ["", "   \n"])
def test_returning_and_not_recognising_need_a_note(district_round, secretary, target, note):
    current = S.SUBMITTED if target == S.RETURNED else S.RESULT
    dossier = dossier_at(district_round, current)

    with pytest.raises(TransitionError):
        transition(dossier, target, secretary, note)

    dossier.refresh_from_db()
    assert dossier.status == current
    assert not dossier.history.exists()


def test_the_other_moves_need_no_note(district_round, secretary):
    dossier = dossier_at(district_round, S.DRAFT)
    transition(dossier, S.SUBMITTED, secretary)
    assert dossier.history.get().note == ""


def test_the_actor_may_be_the_system(district_round):
    dossier = dossier_at(district_round, S.SCORING)
    transition(dossier, S.RESULT, None, "Quorum reached.")
    assert dossier.history.get().actor is None


# ---------------------------------------------------------------- decisions on a real dossier
def test_a_district_recognises_a_four_star_result_as_three_stars(district_round, secretary):
    dossier = dossier_at(district_round, S.RESULT, stars=4, mean="75.00")
    transition(dossier, S.RECOGNISED, secretary)
    assert dossier.status == S.RECOGNISED


def test_a_two_star_result_cannot_be_recognised(district_round, secretary):
    dossier = dossier_at(district_round, S.RESULT, stars=2, mean="45.00")
    with pytest.raises(TransitionError, match="2"):
        transition(dossier, S.RECOGNISED, secretary)
    dossier.refresh_from_db()
    assert dossier.status == S.RESULT
    transition(dossier, S.NOT_RECOGNISED, secretary, "Chưa đạt 3 sao")
    assert dossier.status == S.NOT_RECOGNISED


def test_a_district_forwards_only_from_70(district_round, secretary):
    low = dossier_at(district_round, S.RESULT, stars=3, mean="69.99")
    with pytest.raises(TransitionError, match="70"):
        transition(low, S.FORWARDED, secretary)
    high = dossier_at(district_round, S.RESULT, stars=4, mean="70.00")
    transition(high, S.FORWARDED, secretary)
    assert high.status == S.FORWARDED


def test_a_rejected_dossier_can_only_be_not_recognised(district_round, secretary):
    dossier = dossier_at(district_round, S.RESULT, outcome="rejected", stars=5, mean="95.00")
    for target in (S.RECOGNISED, S.FORWARDED):
        with pytest.raises(TransitionError):
            transition(dossier, target, secretary)
    transition(dossier, S.NOT_RECOGNISED, secretary, "Giả mạo hồ sơ")
    assert dossier.status == S.NOT_RECOGNISED


def test_a_decision_without_a_result_is_refused(district_round, secretary):
    dossier = make_dossier(district_round, S.RESULT)  # no CouncilResult row
    for target in DECISIONS:
        with pytest.raises(TransitionError):
            transition(dossier, target, secretary, "Lý do")
    assert not dossier.history.exists()


def test_a_result_passed_in_overrides_the_stored_one(district_round, secretary):
    dossier = dossier_at(district_round, S.RESULT, stars=4, mean="75.00")
    with pytest.raises(TransitionError):
        transition(dossier, S.RECOGNISED, secretary, result=result(stars=2, mean="40.00"))


# ---------------------------------------------------------------- decision_error, pure
def test_moves_that_are_not_decisions_have_no_decision_error():
    district = level_of("qd148-2023", "district")
    for target in (S.SUBMITTED, S.SCORING, S.RESULT):
        assert decision_error(target, district, 3, None) is None


def test_qd148_district_recognises_three_stars():
    district = level_of("qd148-2023", "district")
    assert recognised_stars(district, 3, 3) == 3
    assert decision_error(S.RECOGNISED, district, 3, result(stars=3, mean="60.00")) is None


def test_qd148_district_recognises_a_four_star_result_as_three_stars():
    district = level_of("qd148-2023", "district")
    assert recognised_stars(district, 4, 3) == 3
    assert recognised_stars(district, 5, 3) == 3
    assert decision_error(S.RECOGNISED, district, 3, result(stars=4)) is None


def test_qd148_district_forwards_a_four_star_result_from_70():
    district = level_of("qd148-2023", "district")
    assert decision_error(S.FORWARDED, district, 3, result(stars=4, mean="70.00")) is None
    error = decision_error(S.FORWARDED, district, 3, result(stars=3, mean="69.99"))
    assert error is not None and "70" in error


def test_qd148_province_recognises_four_stars_only():
    province = level_of("qd148-2023", "province")
    assert recognised_stars(province, 4, 3) == 4
    assert recognised_stars(province, 5, 3) == 4
    assert recognised_stars(province, 3, 3) is None
    assert decision_error(S.RECOGNISED, province, 3, result(stars=4)) is None
    assert decision_error(S.RECOGNISED, province, 3, result(stars=3, mean="60.00")) is not None


def test_qd148_province_forwards_from_90():
    province = level_of("qd148-2023", "province")
    assert decision_error(S.FORWARDED, province, 3, result(stars=5, mean="90.00")) is None
    error = decision_error(S.FORWARDED, province, 3, result(stars=4, mean="89.99"))
    assert error is not None and "90" in error


def test_qd148_central_recognises_five_stars_and_forwards_nowhere():
    central = level_of("qd148-2023", "central")
    assert recognised_stars(central, 5, 3) == 5
    assert recognised_stars(central, 4, 3) is None
    assert decision_error(S.FORWARDED, central, 3, result(stars=5, mean="99.00")) is not None


def test_qd26_province_recognises_three_and_four_stars():
    province = level_of("qd26-2026", "province")
    assert recognised_stars(province, 3, 3) == 3
    assert recognised_stars(province, 4, 3) == 4
    assert recognised_stars(province, 5, 3) == 4
    assert decision_error(S.RECOGNISED, province, 3, result(stars=3, mean="55.00")) is None
    assert decision_error(S.RECOGNISED, province, 3, result(stars=4)) is None


def test_qd26_province_forwards_from_90():
    province = level_of("qd26-2026", "province")
    assert decision_error(S.FORWARDED, province, 3, result(stars=5, mean="90.00")) is None
    assert decision_error(S.FORWARDED, province, 3, result(stars=4, mean="89.99")) is not None


def test_qd26_commune_neither_recognises_nor_forwards_a_scored_result():
    commune = level_of("qd26-2026", "commune")
    assert recognised_stars(commune, 4, 3) is None
    assert decision_error(S.RECOGNISED, commune, 3, result(stars=4)) is not None
    # It passes checked dossiers on to the province without a score of its own.
    assert decision_error(S.FORWARDED, commune, 3, None) is None


@pytest.mark.parametrize(
    ("rulebook", "level"),
    [
        ("qd148-2023", "district"),
        ("qd148-2023", "province"),
        ("qd148-2023", "central"),
        ("qd26-2026", "commune"),
        ("qd26-2026", "province"),
        ("qd26-2026", "central"),
    ],
)
def test_two_stars_are_never_recognised(rulebook, level):
    entry = level_of(rulebook, level)
    assert recognised_stars(entry, 2, 3) is None
    assert recognised_stars(entry, 1, 3) is None
    assert decision_error(S.RECOGNISED, entry, 3, result(stars=2, mean="45.00")) is not None


def test_the_certified_minimum_is_respected_even_if_a_level_lists_lower_stars():
    assert recognised_stars({"recognises": [2, 3]}, 2, 3) is None
    assert recognised_stars({"recognises": [2, 3]}, 3, 3) == 3


def test_no_stars_are_never_recognised():
    assert recognised_stars(level_of("qd26-2026", "province"), None, 3) is None


def test_a_rejected_result_can_only_be_not_recognised():
    province = level_of("qd26-2026", "province")
    rejected = result(outcome="rejected", stars=None, mean="95.00")
    assert decision_error(S.RECOGNISED, province, 3, rejected) is not None
    assert decision_error(S.FORWARDED, province, 3, rejected) is not None
    assert decision_error(S.NOT_RECOGNISED, province, 3, rejected) is None


@pytest.mark.parametrize("outcome", ["waiting_quorum", "waiting_spread"])
def test_a_result_that_is_not_final_is_refused_for_every_decision(outcome):
    province = level_of("qd26-2026", "province")
    waiting = result(outcome=outcome, stars=None)
    for target in DECISIONS:
        assert decision_error(target, province, 3, waiting) is not None


def test_no_result_is_refused_for_every_decision():
    district = level_of("qd148-2023", "district")
    for target in DECISIONS:
        assert decision_error(target, district, 3, None) is not None


def test_a_final_result_may_always_be_not_recognised():
    district = level_of("qd148-2023", "district")
    assert decision_error(S.NOT_RECOGNISED, district, 3, result(stars=5, mean="99.00")) is None


def test_a_missing_level_recognises_and_forwards_nothing():
    assert decision_error(S.RECOGNISED, None, 3, result(stars=4)) is not None
    assert decision_error(S.FORWARDED, None, 3, result(stars=5, mean="99.00")) is not None


def test_a_scoring_level_cannot_forward_a_dossier_it_has_not_scored(district_round, secretary):
    dossier = dossier_at(district_round, S.CHECKED)
    with pytest.raises(TransitionError):
        transition(dossier, S.FORWARDED, secretary)


def test_the_commune_pre_check_forwards_without_scoring(cast, qd26):
    commune_round = make_round(cast["council"], qd26, level="commune", name="Xã Sơn Đồng 2026")
    dossier = dossier_at(commune_round, S.CHECKED)
    with pytest.raises(TransitionError):
        transition(dossier, S.SCORING, cast["secretary"])
    transition(dossier, S.FORWARDED, cast["secretary"], "Đạt yêu cầu kiểm tra cấp xã")
    assert dossier.status == S.FORWARDED


# ---------------------------------------------------------------- the moves a page offers
MANAGER_AND_DECIDER = {S.CHECKED, S.RETURNED, S.SCORING, *DECISIONS}


def test_a_scoring_level_offers_scoring_not_forwarding_a_checked_dossier(district_round):
    dossier = dossier_at(district_round, S.CHECKED)
    assert moves_offered(dossier, MANAGER_AND_DECIDER) == [S.SCORING]


def test_the_commune_pre_check_offers_forwarding_not_scoring(cast, qd26):
    commune_round = make_round(cast["council"], qd26, level="commune", name="Xã Sơn Đồng 2026")
    dossier = dossier_at(commune_round, S.CHECKED)
    assert moves_offered(dossier, MANAGER_AND_DECIDER) == [S.FORWARDED]


@pytest.mark.parametrize(
    ("mean", "stars", "offered"),
    [
        ("75.00", 4, [S.FORWARDED, S.NOT_RECOGNISED, S.RECOGNISED, S.SCORING]),
        ("60.00", 3, [S.NOT_RECOGNISED, S.RECOGNISED, S.SCORING]),  # under 70: not forwarded
        ("40.00", 2, [S.NOT_RECOGNISED, S.SCORING]),  # no certificate below 3 stars
    ],
)
def test_a_result_offers_the_decisions_the_rulebook_allows(district_round, mean, stars, offered):
    dossier = dossier_at(district_round, S.RESULT, stars=stars, mean=mean)
    assert moves_offered(dossier, MANAGER_AND_DECIDER, dossier.result) == offered
