"""Scorecards on the database (evaluation.scoring): ticks, submission, quorum, reopening.

The council is Hoài Đức district's under Decision 148: a chair, three members and a
secretary who does not score; quorum 75 % with the chair, spread limit 10 points. The
dossier is a set-1 product (fresh produce) in scoring, on the QĐ148 set-1 sheet.
"""

from decimal import Decimal

import pytest

from evaluation import workflow
from evaluation.models import (
    Answer,
    ConflictDeclaration,
    Council,
    CouncilResult,
    Criterion,
    Dossier,
    DossierStatusChange,
    EliminationNote,
    Option,
    Scorecard,
    ScorecardEvent,
)
from evaluation.scoring import (
    ScoringError,
    card_points,
    declare_conflict,
    flag_elimination,
    flag_rejection,
    member_card,
    recompute_council,
    recompute_result,
    reopen,
    scoring_members,
    self_assessment,
    submit,
    tick,
)
from evaluation.workflow import transition
from tests.factories import make_council, make_dossier, make_round, sheet_of

pytestmark = pytest.mark.django_db

S = Dossier.Status
Event = ScorecardEvent.Action


# ---------------------------------------------------------------- fixtures and helpers
@pytest.fixture
def council(cast):
    """Hoài Đức's council, of the shared cast (whose members are `people`)."""
    return cast["council"]


@pytest.fixture
def dossier(cast):
    """The shared cast's set-1 dossier, being scored by that council."""
    return cast["dossier"]


def criteria_of(dossier) -> list[Criterion]:
    return list(Criterion.objects.filter(sheet=dossier.sheet).prefetch_related("options"))


def option_worth(criterion: Criterion, points: int) -> Option:
    return next(o for o in criterion.options.all() if o.points == points)


def fill(dossier, user, pick=max, overrides=None) -> Scorecard:
    """Open `user`'s card and tick every criterion.

    `pick` (max or min) chooses each criterion's option by points; `overrides` maps a
    criterion code to the points of the option to tick there instead.
    """
    overrides = overrides or {}
    card = member_card(dossier, user)
    for criterion in criteria_of(dossier):
        if criterion.code in overrides:
            option = option_worth(criterion, overrides[criterion.code])
        else:
            option = pick(criterion.options.all(), key=lambda o: o.points)
        card = tick(card, criterion.id, option.id, user)
    return card


def score(dossier, user, pick=max, overrides=None) -> Scorecard:
    """Fill the card as `fill` does and submit it."""
    return submit(fill(dossier, user, pick, overrides), user)


def result_of(dossier) -> CouncilResult:
    return CouncilResult.objects.get(dossier=dossier)


def status_of(dossier) -> str:
    dossier.refresh_from_db()
    return dossier.status


# ---------------------------------------------------------------- the fixtures themselves
def test_the_council_scores_with_the_chair_and_three_members(dossier, people):
    members, chair = scoring_members(dossier)
    scorers = {"chair", "member1", "member2", "member3"}
    assert members == {people[k].pk for k in scorers}
    assert chair == people["chair"].pk
    assert people["secretary"].pk not in members


def test_the_best_option_everywhere_makes_100_points(dossier, people):
    assert len(criteria_of(dossier)) == 32
    assert fill(dossier, people["chair"]).total == 100


def test_the_lowest_option_everywhere_makes_12_points(dossier, people):
    assert fill(dossier, people["chair"], pick=min).total == 12


# ---------------------------------------------------------------- ticks
def test_a_tick_creates_one_answer_and_an_event_with_before_and_after(dossier, people):
    member = people["member1"]
    card = member_card(dossier, member)
    criterion = criteria_of(dossier)[0]  # 1.a, options 1, 3, 5
    option = option_worth(criterion, 3)

    card = tick(card, criterion.id, option.id, member)

    [answer] = Answer.objects.filter(scorecard=card)
    assert (answer.criterion_id, answer.option_id) == (criterion.id, option.id)
    assert card.total == 3
    [event] = ScorecardEvent.objects.filter(scorecard=card)
    assert (event.action, event.actor, event.criterion_id) == (Event.TICK, member, criterion.id)
    assert event.before is None
    assert event.after == {"option": option.id, "points": 3}


def test_ticking_another_option_replaces_the_answer_and_records_the_one_before(dossier, people):
    member = people["member1"]
    card = member_card(dossier, member)
    criterion = criteria_of(dossier)[0]
    first, second = option_worth(criterion, 3), option_worth(criterion, 5)

    tick(card, criterion.id, first.id, member)
    card = tick(card, criterion.id, second.id, member)

    [answer] = Answer.objects.filter(scorecard=card)
    assert answer.option_id == second.id
    assert card.total == 5
    events = list(ScorecardEvent.objects.filter(scorecard=card))
    assert len(events) == 2
    assert events[1].before == {"option": first.id}
    assert events[1].after == {"option": second.id, "points": 5}


def test_ticking_the_same_option_again_changes_nothing(dossier, people):
    member = people["member1"]
    card = member_card(dossier, member)
    criterion = criteria_of(dossier)[0]
    option = option_worth(criterion, 5)

    tick(card, criterion.id, option.id, member)
    tick(card, criterion.id, option.id, member)

    assert Answer.objects.filter(scorecard=card).count() == 1
    assert ScorecardEvent.objects.filter(scorecard=card).count() == 1


def test_a_tick_on_a_submitted_card_is_refused(dossier, people):
    member = people["member1"]
    card = score(dossier, member)
    criterion = criteria_of(dossier)[0]
    answers = dict(Answer.objects.filter(scorecard=card).values_list("criterion_id", "option_id"))

    with pytest.raises(ScoringError):
        tick(card, criterion.id, option_worth(criterion, 1).id, member)

    assert (
        dict(Answer.objects.filter(scorecard=card).values_list("criterion_id", "option_id"))
        == answers
    )


def test_an_option_of_another_criterion_is_refused(dossier, people):
    member = people["member1"]
    card = member_card(dossier, member)
    first, second = criteria_of(dossier)[:2]

    with pytest.raises(ScoringError):
        tick(card, first.id, second.options.first().id, member)

    assert not Answer.objects.filter(scorecard=card).exists()
    assert not ScorecardEvent.objects.filter(scorecard=card).exists()


def test_an_option_of_another_sheet_is_refused(dossier, people, qd26):
    member = people["member1"]
    card = member_card(dossier, member)
    other = Criterion.objects.filter(sheet=sheet_of(qd26, 1)).first()

    with pytest.raises(ScoringError):
        tick(card, other.id, other.options.first().id, member)
    with pytest.raises(ScoringError):
        tick(card, criteria_of(dossier)[0].id, other.options.first().id, member)

    assert not Answer.objects.filter(scorecard=card).exists()


def test_an_option_id_that_is_not_a_number_is_refused(dossier, people):
    card = member_card(dossier, people["member1"])
    with pytest.raises(ScoringError):
        tick(card, criteria_of(dossier)[0].id, "abc", people["member1"])


def test_a_card_cannot_be_opened_before_the_dossier_is_scored(cast, people):
    checked = make_dossier(cast["round"], S.CHECKED)
    with pytest.raises(ScoringError):
        member_card(checked, people["member1"])
    assert not Scorecard.objects.filter(dossier=checked).exists()


def test_opening_the_card_twice_gives_the_same_card(dossier, people):
    assert member_card(dossier, people["member1"]) == member_card(dossier, people["member1"])
    assert Scorecard.objects.filter(dossier=dossier).count() == 1


# ---------------------------------------------------------------- submission
def test_submitting_with_missing_criteria_is_refused_naming_the_count(dossier, people):
    member = people["member1"]
    card = member_card(dossier, member)
    criteria = criteria_of(dossier)
    for criterion in criteria[:2]:
        tick(card, criterion.id, criterion.options.first().id, member)

    with pytest.raises(ScoringError) as refused:
        submit(card, member)

    assert "30" in str(refused.value)
    assert str(criteria[2]) in str(refused.value)  # the first one missing: 1.c
    card.refresh_from_db()
    assert card.status == Scorecard.Status.DRAFT
    assert card.submitted_at is None
    assert not ScorecardEvent.objects.filter(scorecard=card, action=Event.SUBMIT).exists()


def test_a_double_submit_leaves_one_submitted_card_and_one_submit_event(dossier, people):
    member = people["member1"]
    card = fill(dossier, member)

    submit(card, member)
    again = submit(card, member)

    assert again.status == Scorecard.Status.SUBMITTED
    assert Scorecard.objects.filter(dossier=dossier, status="submitted").count() == 1
    [event] = ScorecardEvent.objects.filter(scorecard=card, action=Event.SUBMIT)
    assert event.before == {"status": "draft"}
    assert event.after == {"status": "submitted", "total": 100}
    assert event.actor == member


# ---------------------------------------------------------------- quorum and result
def test_the_result_waits_for_quorum_then_the_dossier_moves_to_result(dossier, people):
    score(dossier, people["chair"])
    assert result_of(dossier).outcome == "waiting_quorum"
    assert result_of(dossier).cards == 1
    assert status_of(dossier) == S.SCORING

    score(dossier, people["member1"])
    assert result_of(dossier).outcome == "waiting_quorum"
    assert status_of(dossier) == S.SCORING

    score(dossier, people["member2"], overrides={"1.a": 3})  # 98 points

    result = result_of(dossier)
    assert result.outcome == "final"
    assert result.cards == 3
    assert result.mean == Decimal("99.33")  # 298 / 3, cut
    assert (result.band_stars, result.stars) == (5, 5)
    assert result.spread == 2
    assert result.caps == []
    assert result.next_star is None
    assert result.part_means == {"A": "39.33", "B": "25.00", "C": "35.00"}
    assert status_of(dossier) == S.RESULT
    [change] = DossierStatusChange.objects.filter(dossier=dossier)
    assert (change.from_status, change.to_status) == (S.SCORING, S.RESULT)
    assert change.actor == people["member2"]


def test_three_members_without_the_chair_are_no_quorum(dossier, people):
    for key in ("member1", "member2", "member3"):
        score(dossier, people[key])

    assert result_of(dossier).outcome == "waiting_quorum"
    assert result_of(dossier).cards == 3
    assert status_of(dossier) == S.SCORING

    score(dossier, people["chair"])
    assert result_of(dossier).outcome == "final"
    assert result_of(dossier).cards == 4
    assert status_of(dossier) == S.RESULT


def test_a_card_opened_before_the_result_may_still_be_submitted_and_joins_it(dossier, people):
    late = member_card(dossier, people["member3"])
    for key in ("chair", "member1", "member2"):
        score(dossier, people[key])
    assert status_of(dossier) == S.RESULT

    submit(fill(dossier, people["member3"], overrides={"1.a": 1}), people["member3"])  # 96

    late.refresh_from_db()
    assert late.status == Scorecard.Status.SUBMITTED
    result = result_of(dossier)
    assert (result.cards, result.mean) == (4, Decimal("99.00"))
    assert status_of(dossier) == S.RESULT
    assert DossierStatusChange.objects.filter(dossier=dossier).count() == 1


def test_a_late_member_still_scores_before_the_decision_and_counts(dossier, people):
    for key in ("chair", "member1", "member2"):
        score(dossier, people[key])
    assert status_of(dossier) == S.RESULT
    assert result_of(dossier).cards == 3
    score(dossier, people["member3"])
    assert result_of(dossier).cards == 4


def test_the_secretary_does_not_score(dossier, people):
    with pytest.raises(ScoringError, match="chủ tịch và thành viên"):
        member_card(dossier, people["secretary"])
    score(dossier, people["chair"])
    score(dossier, people["member1"])
    assert result_of(dossier).outcome == "waiting_quorum"
    assert result_of(dossier).cards == 2


def test_a_decided_dossier_keeps_its_cards_and_result(dossier, people):
    for who in ("chair", "member1", "member2"):
        score(dossier, people[who])
    before = result_of(dossier)
    transition(dossier, S.RECOGNISED, people["secretary"])
    card = Scorecard.objects.get(dossier=dossier, author=people["member1"])
    with pytest.raises(ScoringError):
        reopen(card, people["secretary"], "muốn chấm lại")
    with pytest.raises(ScoringError):
        declare_conflict(people["member2"], dossier, "họ hàng")
    with pytest.raises(ScoringError):
        member_card(dossier, people["member3"])
    recompute_result(dossier)
    after = result_of(dossier)
    assert (after.outcome, after.mean, after.stars) == (before.outcome, before.mean, before.stars)


def test_totals_further_apart_than_the_limit_wait_for_discussion(dossier, people):
    score(dossier, people["chair"])  # 100
    score(dossier, people["member1"])  # 100
    score(dossier, people["member2"], pick=min)  # 12

    result = result_of(dossier)
    assert result.outcome == "waiting_spread"
    assert result.spread == 88
    assert result.mean == Decimal("70.66")
    assert result.stars is None
    assert status_of(dossier) == S.SCORING


def test_totals_exactly_at_the_limit_give_a_result(dossier, people):
    score(dossier, people["chair"])  # 100
    score(dossier, people["member1"])  # 100
    # 1.a 5→1, 2.a 4→0, 1.e 1→0 and 1.b 3→2: 10 points fewer.
    score(dossier, people["member2"], overrides={"1.a": 1, "2.a": 0, "1.e": 0, "1.b": 2})

    result = result_of(dossier)
    assert result.spread == 10
    assert result.outcome == "final"
    assert status_of(dossier) == S.RESULT


def test_a_lower_spread_limit_makes_the_same_totals_wait(dossier, people, council):
    council.spread_limit = Decimal("1.5")
    council.save()
    score(dossier, people["chair"])
    score(dossier, people["member1"])
    score(dossier, people["member2"], overrides={"1.a": 3})  # 2 points apart
    assert result_of(dossier).outcome == "waiting_spread"


# ---------------------------------------------------------------- reopening
def test_reopening_needs_a_reason(dossier, people):
    card = score(dossier, people["chair"])
    for reason in ("", "   "):
        with pytest.raises(ScoringError):
            reopen(card, people["secretary"], reason)
    card.refresh_from_db()
    assert card.status == Scorecard.Status.SUBMITTED
    assert not ScorecardEvent.objects.filter(action=Event.REOPEN).exists()


def test_reopening_a_card_records_the_reason_and_sends_the_dossier_back_to_scoring(dossier, people):
    secretary = people["secretary"]
    chair_card = score(dossier, people["chair"])
    score(dossier, people["member1"])
    score(dossier, people["member2"])
    assert status_of(dossier) == S.RESULT

    reopen(chair_card, secretary, "Chấm lại tiêu chí 1.a")

    chair_card.refresh_from_db()
    assert chair_card.status == Scorecard.Status.DRAFT
    assert chair_card.submitted_at is None
    [event] = ScorecardEvent.objects.filter(scorecard=chair_card, action=Event.REOPEN)
    assert event.actor == secretary
    assert event.note == "Chấm lại tiêu chí 1.a"
    assert (event.before, event.after) == ({"status": "submitted"}, {"status": "draft"})
    assert status_of(dossier) == S.SCORING
    back = DossierStatusChange.objects.filter(dossier=dossier).last()
    assert (back.from_status, back.to_status, back.actor) == (S.RESULT, S.SCORING, secretary)
    assert "Chấm lại tiêu chí 1.a" in back.note
    assert result_of(dossier).outcome == "waiting_quorum"  # the chair's card is out

    # The chair corrects the card and submits again: the result is back.
    criterion = criteria_of(dossier)[0]
    tick(chair_card, criterion.id, option_worth(criterion, 3).id, people["chair"])
    submit(chair_card, people["chair"])
    assert result_of(dossier).mean == Decimal("99.33")
    assert status_of(dossier) == S.RESULT


def test_reopening_a_draft_card_changes_nothing(dossier, people):
    card = fill(dossier, people["member1"])
    reopen(card, people["secretary"], "Nhầm")
    assert not ScorecardEvent.objects.filter(action=Event.REOPEN).exists()


# ---------------------------------------------------------------- conflicts of interest
def test_an_account_of_the_producer_cannot_get_a_card(dossier, people):
    dossier.product.producer.users.add(people["member3"])
    with pytest.raises(ScoringError):
        member_card(dossier, people["member3"])
    assert not Scorecard.objects.filter(author=people["member3"]).exists()


def test_a_member_with_a_declared_conflict_cannot_get_a_card(dossier, people):
    declare_conflict(people["member3"], dossier, "Con gái làm kế toán của hợp tác xã")
    assert ConflictDeclaration.objects.filter(user=people["member3"]).count() == 1
    with pytest.raises(ScoringError):
        member_card(dossier, people["member3"])


def test_a_conflicted_member_is_left_out_of_the_quorum(dossier, people, council):
    # At 100 %, chair + two members are a quorum only if the fourth member is not counted.
    council.quorum_ratio = Decimal("1.00")
    council.save()
    declare_conflict(people["member3"], dossier, "Người thân của chủ cơ sở")

    members, chair = scoring_members(dossier)
    assert members == {people[k].pk for k in ("chair", "member1", "member2")}
    assert chair == people["chair"].pk

    for key in ("chair", "member1", "member2"):
        score(dossier, people[key])
    assert result_of(dossier).outcome == "final"
    assert status_of(dossier) == S.RESULT


def test_without_the_conflict_the_same_three_cards_are_no_quorum_at_100_percent(
    dossier, people, council
):
    council.quorum_ratio = Decimal("1.00")
    council.save()
    for key in ("chair", "member1", "member2"):
        score(dossier, people[key])
    assert result_of(dossier).outcome == "waiting_quorum"


def test_a_chair_tied_to_the_producer_is_not_required_for_quorum(dossier, people):
    dossier.product.producer.users.add(people["chair"])
    members, chair = scoring_members(dossier)
    assert chair is None
    assert people["chair"].pk not in members
    for key in ("member1", "member2", "member3"):
        score(dossier, people[key])
    assert result_of(dossier).outcome == "final"


# ---------------------------------------------------------------- caps and rejection
def test_an_unmet_four_star_minimum_caps_a_five_star_score_at_three_stars(dossier, people):
    # 2.a "…" marks 4**** as the 4★ minimum: every member ticks its 0-point option instead.
    for key in ("chair", "member1", "member2"):
        score(dossier, people[key], overrides={"2.a": 0})

    result = result_of(dossier)
    assert result.outcome == "final"
    assert result.mean == Decimal("96.00")
    assert result.band_stars == 5
    assert result.stars == 3
    [cap] = result.caps
    assert cap["star"] == 4
    assert cap["criterion"].startswith('A.2.a "')
    assert cap["option"].startswith("Sản phẩm là đặc sản")  # the 4**** option of 2.a
    assert (cap["cards_meeting"], cap["cards"]) == (0, 3)
    assert result.next_star["stars"] == 4
    assert result.next_star["points_needed"] == "0.00"
    assert [m["criterion"] for m in result.next_star["missing"]] == [cap["criterion"]]


def test_a_minimum_met_by_two_of_three_cards_does_not_cap(dossier, people):
    score(dossier, people["chair"])
    score(dossier, people["member1"])
    score(dossier, people["member2"], overrides={"2.a": 0})
    result = result_of(dossier)
    assert (result.stars, result.caps) == (5, [])


def test_a_rejection_clause_flagged_by_a_majority_rejects_the_dossier(dossier, people):
    for key in ("chair", "member1"):
        card = fill(dossier, people[key])
        flag_rejection(card, 0, True, people[key])
        submit(card, people[key])
    score(dossier, people["member2"])

    result = result_of(dossier)
    assert result.outcome == "rejected"
    assert result.rejection_clause == 0
    assert result.stars is None
    assert result.mean == Decimal("100.00")
    assert status_of(dossier) == S.RESULT


def test_a_rejection_clause_flagged_by_a_minority_does_not_reject(dossier, people):
    card = fill(dossier, people["chair"])
    flag_rejection(card, 0, True, people["chair"])
    submit(card, people["chair"])
    score(dossier, people["member1"])
    score(dossier, people["member2"])

    assert result_of(dossier).outcome == "final"
    assert result_of(dossier).rejection_clause is None


def test_flagging_and_unflagging_a_clause_is_recorded(dossier, people):
    member = people["member1"]
    card = member_card(dossier, member)
    card = flag_rejection(card, 0, True, member)
    assert card.rejections == [0]
    card = flag_rejection(card, 0, True, member)  # again: nothing new
    card = flag_rejection(card, 0, False, member)
    assert card.rejections == []
    events = ScorecardEvent.objects.filter(scorecard=card, action=Event.REJECTION)
    assert [(e.before, e.after) for e in events] == [
        ({"rejections": []}, {"rejections": [0]}),
        ({"rejections": [0]}, {"rejections": []}),
    ]


def test_a_clause_the_sheet_does_not_have_cannot_be_flagged(dossier, people):
    card = member_card(dossier, people["member1"])
    with pytest.raises(ScoringError):
        flag_rejection(card, 1, True, people["member1"])  # the QĐ148 set-1 sheet has one


# ---------------------------------------------------------------- totals bounded to 100
@pytest.fixture
def qd26_set4_dossier(qd26, hanoi):
    council, people = make_council("Hội đồng OCOP thành phố Hà Nội", "province", hanoi, "hn_")
    round_ = make_round(council, qd26, level="province", name="Hà Nội 2026")
    return make_dossier(round_, S.SCORING, product_set=4), people


def test_a_member_card_total_never_exceeds_100(qd26_set4_dossier):
    # QĐ26 set 4 prints 13 points for the best option of the 3-point criterion C.7.
    dossier, people = qd26_set4_dossier
    card = fill(dossier, people["chair"])

    nutrition = Criterion.objects.get(sheet=dossier.sheet, where="C.7")
    assert card_points(card)[nutrition.id] == 13
    assert card.total == 100
    card.refresh_from_db()
    assert card.total == 100


def test_the_council_mean_counts_the_13_point_option_as_3(qd26_set4_dossier):
    dossier, people = qd26_set4_dossier
    for key in ("chair", "member1", "member2"):
        score(dossier, people[key])
    result = result_of(dossier)
    assert result.mean == Decimal("100.00")
    assert result.part_means["C"] == "35.00"


def test_the_lowest_card_is_never_negative_and_the_highest_never_over_100(dossier, people):
    low = fill(dossier, people["member1"], pick=min)
    high = fill(dossier, people["member2"])
    assert 0 <= low.total <= high.total == 100


def test_recomputing_without_cards_waits_for_quorum(dossier):
    result = recompute_result(dossier)
    assert (result.outcome, result.cards, result.mean) == ("waiting_quorum", 0, None)
    assert status_of(dossier) == S.SCORING


# ---------------------------------------------------------------- minimums follow the tick
@pytest.fixture
def qd26_set11_dossier(qd26, hanoi):
    council, people = make_council("Hội đồng OCOP thành phố Hà Nội", "province", hanoi, "hn_")
    round_ = make_round(council, qd26, level="province", name="Hà Nội 2026")
    return make_dossier(round_, S.SCORING, product_set=11), people


def test_the_11_point_slip_of_set_11_does_not_meet_the_4_star_minimum(qd26_set11_dossier):
    # QĐ26 set 11, C.6.1.1 "Tạp chất": "Có rất ít tạp chất, chấp nhận được" is printed with
    # 11 points (sets 10 and 12 print 1); "Sạch, không phát hiện tạp chất" (2 points) is the
    # 4★ minimum. Ticking the slip is not ticking the minimum, whatever its printed points.
    dossier, people = qd26_set11_dossier
    for key in ("chair", "member1", "member2"):
        score(dossier, people[key], overrides={"6.1.1": 11})

    result = result_of(dossier)
    assert result.mean == Decimal("100.00")  # the slip counts 2, the criterion's maximum
    assert result.band_stars == 5
    assert result.stars == 3
    [cap] = result.caps
    assert cap["star"] == 4
    assert cap["criterion"].startswith('C.6.1.1 "Tạp chất"')
    assert cap["option"] == "Sạch, không phát hiện tạp chất"
    assert (cap["cards_meeting"], cap["cards"]) == (0, 3)


def test_ticking_the_4_star_option_of_set_11_meets_it(qd26_set11_dossier):
    dossier, people = qd26_set11_dossier
    for key in ("chair", "member1", "member2"):
        score(dossier, people[key], overrides={"6.1.1": 2})
    result = result_of(dossier)
    assert (result.band_stars, result.stars, result.caps) == (5, 5, [])


# ---------------------------------------------------------------- stop and elimination notes
def notes_of(dossier) -> dict[str, EliminationNote]:
    """The sheet's notes by their criterion's code (one each on the QĐ148 set-1 sheet)."""
    return {
        n.criterion.code: n
        for n in EliminationNote.objects.filter(criterion__sheet=dossier.sheet).select_related(
            "criterion"
        )
    }


def score_flagging(dossier, user, *notes, **kwargs) -> Scorecard:
    card = fill(dossier, user, **kwargs)
    for note in notes:
        card = flag_elimination(card, note.pk, True, user)
    return submit(card, user)


def test_the_148_set_1_sheet_has_its_three_notes_in_the_database(dossier):
    notes = notes_of(dossier)
    assert sorted(notes) == ["10", "2.a", "6.a"]
    assert notes["6.a"].effect == "stop"
    assert notes["6.a"].text.startswith("Ghi chú: Không xem xét các chỉ tiêu khác")
    assert notes["2.a"].effect == "eliminate"
    assert (notes["10"].place, notes["10"].line) == ("note_row", 185)


def test_flagging_a_note_is_saved_at_once_and_recorded_with_who(dossier, people):
    member = people["member1"]
    note = notes_of(dossier)["2.a"]
    card = member_card(dossier, member)
    card = flag_elimination(card, note.pk, True, member)
    card = flag_elimination(card, note.pk, True, member)  # again: nothing new
    card.refresh_from_db()
    assert card.eliminations == [note.pk]
    card = flag_elimination(card, note.pk, False, member)
    assert card.eliminations == []
    events = ScorecardEvent.objects.filter(scorecard=card, action=Event.NOTE)
    assert [(e.actor, e.criterion_id, e.before, e.after) for e in events] == [
        (member, note.criterion_id, {"eliminations": []}, {"eliminations": [note.pk]}),
        (member, note.criterion_id, {"eliminations": [note.pk]}, {"eliminations": []}),
    ]
    assert all(e.note == note.text and e.at for e in events)


def test_a_submitted_card_freezes_its_note_flags(dossier, people):
    member = people["member1"]
    card = score(dossier, member)
    with pytest.raises(ScoringError):
        flag_elimination(card, notes_of(dossier)["2.a"].pk, True, member)
    card.refresh_from_db()
    assert card.eliminations == []


def test_a_note_of_another_sheet_cannot_be_flagged(dossier, people, qd26):
    other = EliminationNote.objects.filter(criterion__sheet__rulebook=qd26).first()
    card = member_card(dossier, people["member1"])
    with pytest.raises(ScoringError):
        flag_elimination(card, other.pk, True, people["member1"])


def test_the_producer_does_not_flag_notes_on_the_self_assessment(cast):
    card = self_assessment(cast["dossier"], cast["owner"])
    with pytest.raises(ScoringError):
        flag_elimination(card, notes_of(cast["dossier"])["2.a"].pk, True, cast["owner"])


def test_a_note_flagged_by_a_majority_leaves_the_product_unrated(dossier, people):
    copy = notes_of(dossier)["2.a"]
    score_flagging(dossier, people["chair"], copy)
    score_flagging(dossier, people["member1"], copy)
    score(dossier, people["member2"])

    result = result_of(dossier)
    assert result.outcome == "rejected"
    assert result.stars is None and result.rejection_clause is None
    assert result.mean == Decimal("100.00")  # the totals stay on record
    [applied] = result.eliminations
    assert applied == {
        "note": copy.pk,
        "criterion": str(copy.criterion),
        "effect": "eliminate",
        "text": copy.text,
        "cards_flagging": 2,
        "cards": 3,
    }
    assert status_of(dossier) == S.RESULT
    assert result.history.first().outcome == "rejected"  # the change is on record


def test_a_stop_note_flagged_by_a_majority_stops_the_evaluation(dossier, people):
    stop = notes_of(dossier)["6.a"]
    for key in ("chair", "member1", "member2"):
        score_flagging(dossier, people[key], stop)
    [applied] = result_of(dossier).eliminations
    assert (applied["effect"], applied["cards_flagging"]) == ("stop", 3)
    with pytest.raises(workflow.TransitionError, match="chỉ có thể quyết định không công nhận"):
        transition(dossier, S.RECOGNISED, people["secretary"], "")


def test_a_note_flagged_by_a_minority_does_not_change_the_result(dossier, people):
    score_flagging(dossier, people["chair"], notes_of(dossier)["10"])
    score(dossier, people["member1"])
    score(dossier, people["member2"])
    result = result_of(dossier)
    assert (result.outcome, result.stars, result.eliminations) == ("final", 5, [])


def test_reopening_a_card_to_unflag_a_note_lifts_the_elimination(dossier, people):
    copy = notes_of(dossier)["2.a"]
    score_flagging(dossier, people["chair"], copy)
    second = score_flagging(dossier, people["member1"], copy)
    score(dossier, people["member2"])
    assert result_of(dossier).outcome == "rejected"

    reopen(second, people["secretary"], "Thảo luận lại: không phải sản phẩm sao chép")
    flag_elimination(second, copy.pk, False, people["member1"])
    submit(second, people["member1"])
    assert (result_of(dossier).outcome, result_of(dossier).stars) == ("final", 5)


@pytest.fixture
def qd26_set16_dossier(qd26, hanoi):
    council, people = make_council("Hội đồng OCOP thành phố Hà Nội", "province", hanoi, "hn_")
    round_ = make_round(council, qd26, level="province", name="Hà Nội 2026")
    return make_dossier(round_, S.SCORING, product_set=16), people


def test_set_16_a_0_on_the_senses_stops_the_evaluation_by_itself(qd26_set16_dossier):
    # "Nếu được 0 điểm tại một trong các chỉ tiêu trên, sẽ không đánh giá các bước tiếp
    # theo" (under 6.4): two of three members give 0 to 6.2 "Màu sắc", nobody ticks a box.
    dossier, people = qd26_set16_dossier
    score(dossier, people["chair"], overrides={"6.2": 0})
    score(dossier, people["member1"], overrides={"6.2": 0})
    score(dossier, people["member2"])
    result = result_of(dossier)
    assert result.outcome == "rejected"
    [applied] = result.eliminations
    assert applied["criterion"].startswith('C.6.4 "Vị"')
    assert (applied["effect"], applied["cards_flagging"]) == ("stop", 2)


# ---------------------------------------------------------------- the council's operating rules
Rule = Council


def set_rules(council, **fields):
    for name, value in fields.items():
        setattr(council, name, value)
    council.save()


def four_cards_split_on_2a(dossier, people, chair_meets=True):
    """Four cards, 100 points apart from 2.a: two meet its 4★ minimum, two tick 0 there."""
    meeting = ["chair", "member1"] if chair_meets else ["member1", "member2"]
    for key in ("chair", "member1", "member2", "member3"):
        score(dossier, people[key], overrides={} if key in meeting else {"2.a": 0})
    return result_of(dossier)


def test_by_default_a_tie_on_a_minimum_is_not_met(dossier, people):
    result = four_cards_split_on_2a(dossier, people)
    assert (result.band_stars, result.stars) == (5, 3)
    assert result.council_rules == {
        "quorum_ratio": "0.75",
        "spread_limit": "10.0",
        "minimum_rule": "strict_majority",
        "chair_rule": "required",
        "spread_rule": "wait",
    }


def test_a_council_counting_half_or_more_meets_a_minimum_on_a_tie(dossier, people, council):
    set_rules(council, minimum_rule=Rule.MinimumRule.HALF_OR_MORE)
    result = four_cards_split_on_2a(dossier, people)
    assert (result.stars, result.caps) == (5, [])
    assert result.council_rules["minimum_rule"] == "half_or_more"


@pytest.mark.parametrize(("chair_meets", "stars"), [(True, 5), (False, 3)])
def test_a_council_whose_chair_breaks_ties(dossier, people, council, chair_meets, stars):
    set_rules(council, minimum_rule=Rule.MinimumRule.CHAIR_BREAKS_TIE)
    assert four_cards_split_on_2a(dossier, people, chair_meets).stars == stars


def test_a_council_asking_every_card_to_meet_a_minimum(dossier, people, council):
    set_rules(council, minimum_rule=Rule.MinimumRule.UNANIMOUS)
    score(dossier, people["chair"])
    score(dossier, people["member1"])
    score(dossier, people["member2"], overrides={"2.a": 0})
    result = result_of(dossier)
    assert result.stars == 3
    assert (result.caps[0]["cards_meeting"], result.caps[0]["cards"]) == (2, 3)


def test_a_council_always_needing_its_chair_waits_when_the_chair_is_tied(dossier, people, council):
    set_rules(council, chair_rule=Rule.ChairRule.ALWAYS)
    dossier.product.producer.users.add(people["chair"])
    for key in ("member1", "member2", "member3"):
        score(dossier, people[key])
    assert result_of(dossier).outcome == "waiting_quorum"
    assert status_of(dossier) == S.SCORING


def test_a_council_not_needing_its_chair_reaches_quorum_without(dossier, people, council):
    for key in ("member1", "member2", "member3"):
        score(dossier, people[key])
    assert result_of(dossier).outcome == "waiting_quorum"  # today's rule: the chair is needed
    set_rules(council, chair_rule=Rule.ChairRule.NOT_REQUIRED)
    assert recompute_result(dossier).outcome == "final"


def rejected_far_apart(dossier, people):
    """Chair and member 1 flag the rejection clause with 100 points; member 2 has 12."""
    for key in ("chair", "member1"):
        card = fill(dossier, people[key])
        submit(flag_rejection(card, 0, True, people[key]), people[key])
    score(dossier, people["member2"], pick=min)
    return result_of(dossier)


def test_by_default_a_majority_rejection_waits_while_the_totals_are_too_far_apart(dossier, people):
    result = rejected_far_apart(dossier, people)
    assert (result.outcome, result.spread, result.rejection_clause) == ("waiting_spread", 88, None)


def test_a_council_may_let_a_majority_rejection_stand_however_far_apart(dossier, people, council):
    set_rules(council, spread_rule=Rule.SpreadRule.REJECTION_STANDS)
    result = rejected_far_apart(dossier, people)
    assert (result.outcome, result.spread, result.rejection_clause) == ("rejected", 88, 0)
    assert status_of(dossier) == S.RESULT


def test_changing_the_rules_recomputes_open_results_and_records_who(dossier, people, council):
    four_cards_split_on_2a(dossier, people)
    set_rules(council, minimum_rule=Rule.MinimumRule.HALF_OR_MORE)
    assert recompute_council(council, people["admin"]) == 1
    result = result_of(dossier)
    assert result.stars == 5
    latest = result.history.first()
    assert (latest.stars, latest.history_user) == (5, people["admin"])
    assert latest.council_rules["minimum_rule"] == "half_or_more"
    assert council.history.first().minimum_rule == "half_or_more"
