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
    certified_stars,
    check_move,
    decision_error,
    decision_kind,
    moves_offered,
    must_forward,
    recognised_stars,
    transition,
    verb,
)
from tests.factories import make_dossier, make_round

pytestmark = pytest.mark.django_db

S = Dossier.Status
FINAL_STATES = [S.RECOGNISED, S.FORWARDED, S.NOT_RECOGNISED]
# checked → forwarded belongs to levels that only pre-check (tested on its own below);
# forwarded → recognised to a province after the ministry's council scored under 90
# (Decision 26/2026, Điều 7 khoản 4 điểm g: tests/evaluation/test_decisions.py).
PRECHECK_ONLY = {(S.CHECKED, S.FORWARDED)}
ON_UPPER_RESULT = {(S.FORWARDED, S.RECOGNISED)}
ALLOWED = sorted(
    (current, target)
    for current, targets in TRANSITIONS.items()
    for target in targets
    if (current, target) not in PRECHECK_ONLY | ON_UPPER_RESULT
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
FROM_FINAL = [
    (current, target)
    for current in FINAL_STATES
    for target in S.values
    if (current, target) not in ON_UPPER_RESULT
]


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


def test_final_states_lead_nowhere_but_a_product_sent_up_may_come_back_recognised():
    assert TRANSITIONS[S.RECOGNISED] == TRANSITIONS[S.NOT_RECOGNISED] == set()
    assert TRANSITIONS[S.FORWARDED] == {S.RECOGNISED}
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


# ---------------------------------------------------------------- the five-star path, pure
def forwarded_error(rulebook, upper_status, **upper):
    level = level_of(rulebook, "province")
    return decision_error(
        S.RECOGNISED,
        level,
        3,
        result(**upper),
        forwarded=True,
        upper_status=upper_status,
    )


def test_qd26_province_must_send_a_90_result_up():
    province = level_of("qd26-2026", "province")
    assert must_forward(province, Decimal("90.00"))
    assert must_forward(province, Decimal("100"))
    assert not must_forward(province, Decimal("89.99"))
    assert not must_forward(province, None)
    error = decision_error(S.RECOGNISED, province, 3, result(stars=5, mean="90.00"))
    assert error is not None and "90" in error
    # Capped to four stars by a five-star minimum, it is still "đạt từ 90 trở lên".
    assert decision_error(S.RECOGNISED, province, 3, result(stars=4, mean="92.00")) is not None


@pytest.mark.parametrize(
    ("rulebook", "level"), [("qd148-2023", "district"), ("qd148-2023", "province")]
)
def test_qd148_levels_may_still_recognise_what_they_could_send_up(rulebook, level):
    entry = level_of(rulebook, level)
    assert not must_forward(entry, Decimal("99.00"))
    assert decision_error(S.RECOGNISED, entry, 3, result(stars=5, mean="95.00")) is None


def test_forwarding_certifies_under_148_and_not_under_26():
    top = result(stars=5, mean="93.00")
    assert certified_stars(S.FORWARDED, level_of("qd148-2023", "district"), 3, top) == 3
    assert certified_stars(S.FORWARDED, level_of("qd148-2023", "province"), 3, top) == 4
    assert certified_stars(S.FORWARDED, level_of("qd26-2026", "province"), 3, top) is None
    assert certified_stars(S.FORWARDED, level_of("qd26-2026", "commune"), 3, None) is None
    assert certified_stars(S.RECOGNISED, level_of("qd26-2026", "province"), 3, top) == 4
    assert certified_stars(S.NOT_RECOGNISED, level_of("qd26-2026", "province"), 3, top) is None


@pytest.mark.parametrize(("stars", "mean"), [(4, "89.99"), (4, "70.00"), (3, "50.00")])
def test_qd26_province_recognises_on_a_central_result_under_90(stars, mean):
    assert forwarded_error("qd26-2026", S.NOT_RECOGNISED, stars=stars, mean=mean) is None


@pytest.mark.parametrize(
    ("upper_status", "upper", "words"),
    [
        (S.SUBMITTED, {"stars": 4, "mean": "85.00"}, "chưa quyết định"),
        (S.RESULT, {"stars": 4, "mean": "85.00"}, "chưa quyết định"),
        (S.RECOGNISED, {"stars": 5, "mean": "92.00"}, "đã tự công nhận"),
        (S.NOT_RECOGNISED, {"stars": 5, "mean": "90.00"}, "90"),
        (S.NOT_RECOGNISED, {"stars": 2, "mean": "45.00"}, "2"),
        (S.NOT_RECOGNISED, {"outcome": "rejected", "stars": None}, "chính thức"),
        (S.NOT_RECOGNISED, {"outcome": "waiting_quorum", "stars": None}, "chính thức"),
    ],
)
def test_qd26_province_does_not_recognise_on_these_central_outcomes(upper_status, upper, words):
    error = forwarded_error("qd26-2026", upper_status, **upper)
    assert error is not None and words in error


def test_no_central_result_is_no_basis():
    province = level_of("qd26-2026", "province")
    error = decision_error(
        S.RECOGNISED, province, 3, None, forwarded=True, upper_status=S.NOT_RECOGNISED
    )
    assert error is not None


def test_qd148_levels_do_not_recognise_after_sending_up():
    assert forwarded_error("qd148-2023", S.NOT_RECOGNISED, stars=4, mean="85.00") is not None


@pytest.mark.parametrize(
    ("target", "kind"),
    [(S.RECOGNISED, "recognition"), (S.FORWARDED, "forwarding"), (S.NOT_RECOGNISED, "refusal")],
)
def test_each_decision_is_recorded_as_its_kind_of_act(target, kind):
    assert decision_kind(target, level_of("qd26-2026", "province")) == kind


def test_the_buttons_say_what_they_do():
    province26 = level_of("qd26-2026", "province")
    district148 = level_of("qd148-2023", "district")
    commune26 = level_of("qd26-2026", "commune")
    assert verb(S.RECOGNISED, level=province26, stars=4) == "Công nhận 4 sao"
    assert verb(S.FORWARDED, level=province26) == "Phê duyệt kết quả, chuyển lên cấp trên"
    assert verb(S.FORWARDED, level=district148, stars=3) == "Công nhận 3 sao và chuyển lên cấp trên"
    assert verb(S.FORWARDED, level=commune26) == "Chuyển lên cấp trên"
    assert verb(S.NOT_RECOGNISED) == "Không công nhận"
    assert verb(S.SCORING, current=S.CHECKED) == "Mở chấm điểm"
    assert verb(S.SCORING, current=S.RESULT) == "Mở lại chấm điểm"
    assert verb(S.RETURNED) == "Trả lại hồ sơ"
    with translation.override("en"):
        assert verb(S.RECOGNISED, level=province26, stars=4) == "Recognise 4 stars"


@pytest.mark.parametrize(
    ("rulebook", "stars", "level"),
    [
        ("qd26-2026", 3, "province"),
        ("qd26-2026", 4, "province"),
        ("qd26-2026", 5, "central"),
        ("qd26-2026", 2, None),
        ("qd148-2023", 3, "district"),
        ("qd148-2023", 4, "province"),
        ("qd148-2023", 5, "central"),
    ],
)
def test_who_revokes_which_star_is_the_rulebooks(rulebooks, rulebook, stars, level):
    assert rulebooks[rulebook].revoking_level(stars) == level
