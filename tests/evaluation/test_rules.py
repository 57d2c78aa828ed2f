"""The rating rules of evaluation.rules as plain functions: no database, no Django.

A small hand-made sheet worth 100 points is enough to reach every band, every cap and
the majority rule:

* BULK (part A, 70 points) carries most of the score and no minimum: one option for
  every number of points from 0 to 70, so a card can total anything;
* M3, M4 and M5 (parts B/C, 10 points each) carry the 3★, 4★ and 5★ minimums, each met
  by the middle (5-point) option or the one printed after it.

A card ticks options (by key); `card()` picks them by their points.
"""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation import sheetfile
from evaluation.rules import (
    Card,
    ChairRule,
    CouncilRules,
    CriterionRule,
    MinimumRule,
    NoteEffect,
    NoteRule,
    OptionRule,
    Outcome,
    Requirement,
    Result,
    SpreadRule,
    TierBand,
    band_minimum,
    card_part_totals,
    card_total,
    cards_meeting,
    criterion_points,
    cut,
    evaluate,
    flags,
    is_majority,
    meets,
    minimum_met,
    next_star,
    quorum_reached,
    requirements,
    requirements_for,
    spread,
    tier_for,
)

BANDS = [
    TierBand(5, Decimal(90)),
    TierBand(4, Decimal(70)),
    TierBand(3, Decimal(50)),
    TierBand(2, Decimal(30)),
    TierBand(1, Decimal(0)),
]


def option(key, points, min_star=None):
    return OptionRule(key, points, min_star, f"{points} điểm")


BULK = CriterionRule(
    key=1,
    label='A.1 "Tổ chức sản xuất"',
    part="A",
    max_points=70,
    options=tuple(option(1000 + points, points) for points in range(71)),
)
M3 = CriterionRule(
    key=3,
    label='B.4 "Tiếp thị"',
    part="B",
    max_points=10,
    options=(option(30, 0), option(31, 5, 3), option(32, 10)),
)
M4 = CriterionRule(
    key=4,
    label='C.6 "Cảm quan"',
    part="C",
    max_points=10,
    options=(option(40, 0), option(41, 5, 4), option(42, 10)),
)
M5 = CriterionRule(
    key=5,
    label='C.10 "Đảm bảo chất lượng"',
    part="C",
    max_points=10,
    options=(option(50, 0), option(51, 5, 5), option(52, 10)),
)
SHEET = (BULK, M3, M4, M5)


def key_of(criterion, points):
    """The key of the criterion's option printed with `points`."""
    return next(o.key for o in criterion.options if o.points == points)


def card(member, bulk=70, m3=10, m4=10, m5=10, rejections=()):
    ticks = {c.key: key_of(c, points) for c, points in zip(SHEET, (bulk, m3, m4, m5), strict=True)}
    return Card(member, ticks, frozenset(rejections))


def run(cards, *, quorum=True, spread_limit=10, rejection_clauses=0):
    return evaluate(
        SHEET,
        cards,
        BANDS,
        quorum=quorum,
        spread_limit=spread_limit,
        rejection_clauses=rejection_clauses,
    )


# ---------------------------------------------------------------- tier bands
@pytest.mark.parametrize(
    ("score", "stars"),
    [
        ("0", 1),
        ("29.99", 1),
        ("30", 2),
        ("49.99", 2),
        ("50", 3),
        ("69.99", 3),
        ("70", 4),
        ("89.99", 4),
        ("90", 5),
        ("100", 5),
    ],
)
def test_each_band_edge_falls_in_the_half_open_band(score, stars):
    assert tier_for(Decimal(score), BANDS) == stars


def test_69_99_is_three_stars():
    assert tier_for(Decimal("69.99"), BANDS) == 3


def test_70_is_four_stars():
    assert tier_for(70, BANDS) == 4


def test_89_99_is_four_stars_and_90_is_five():
    assert tier_for(Decimal("89.99"), BANDS) == 4
    assert tier_for(Decimal("90"), BANDS) == 5


def test_bands_need_not_be_given_in_order():
    assert tier_for(Decimal("69.99"), list(reversed(BANDS))) == 3
    assert tier_for(70, list(reversed(BANDS))) == 4


def test_a_mean_of_269_thirds_is_four_stars():
    mean = Fraction(269, 3)  # 89.666…
    assert tier_for(mean, BANDS) == 4
    assert cut(mean) == Decimal("89.66")


def test_a_mean_a_hair_under_90_is_four_stars():
    assert tier_for(Fraction(8999999, 100000), BANDS) == 4


def test_a_mean_of_89_995_shows_as_89_99_and_is_four_stars():
    mean = Fraction("89.995")
    assert cut(mean) == Decimal("89.99")
    assert Result(Outcome.FINAL, cards=3, mean=mean).mean_display == Decimal("89.99")
    assert tier_for(mean, BANDS) == 4


def test_a_mean_of_89_996_is_cut_not_rounded_to_90():
    assert cut(Fraction("89.996")) == Decimal("89.99")
    assert str(cut(Fraction(100))) == "100.00"


def test_a_result_without_mean_displays_nothing():
    assert Result(Outcome.WAITING_QUORUM, cards=0).mean_display is None


def test_a_score_below_every_band_is_an_error():
    with pytest.raises(ValueError, match="below every band"):
        tier_for(-1, BANDS)


def test_band_minimum_is_the_lower_edge_of_the_band():
    assert band_minimum(4, BANDS) == Decimal(70)
    assert band_minimum(5, BANDS) == Decimal(90)


# ---------------------------------------------------------------- criterion points
def test_the_published_13_point_option_in_a_3_point_criterion_counts_3():
    nutrition = CriterionRule(
        key=7,
        label='C.7 "Dinh dưỡng"',
        part="C",
        max_points=3,
        options=(option(70, 0), option(71, 1), option(72, 13)),
    )
    assert criterion_points(nutrition, 13) == 3
    assert criterion_points(nutrition, 1) == 1
    assert card_total(Card(1, {7: 72}), [nutrition]) == 3


def test_a_card_total_is_bounded_by_each_criterion_maximum():
    slip = CriterionRule(
        key=3,
        label='B.4 "Tiếp thị"',
        part="B",
        max_points=10,
        options=(option(30, 0), option(31, 15), option(32, 10)),
    )
    sheet = (BULK, slip, M4, M5)
    generous = Card(1, {1: 1070, 3: 31, 4: 42, 5: 52})
    assert card_total(generous, sheet) == 100
    assert card_part_totals(generous, sheet) == {"A": 70, "B": 10, "C": 20}


def test_an_unticked_criterion_counts_zero():
    assert card_total(Card(1, {1: 1070}), SHEET) == 70


def test_a_tick_of_an_option_the_criterion_does_not_have_counts_zero():
    assert card_total(Card(1, {1: 1070, 3: 42}), SHEET) == 70


# ---------------------------------------------------------------- requirements
def test_the_first_printed_marked_option_is_the_minimum_for_its_star():
    # As QĐ148 set 1, criterion 1.đ: options 1****, 2**** and an unmarked 3.
    criterion = CriterionRule(
        key=9,
        label='A.1.đ "Liên kết"',
        part="A",
        max_points=3,
        options=(option(90, 1, 4), option(91, 2, 4), option(92, 3)),
    )
    [requirement] = requirements([criterion])
    assert requirement == Requirement(4, criterion, criterion.options[0])
    assert requirement.option_text == "1 điểm"
    assert [meets(requirement, key) for key in (90, 91, 92)] == [True, True, True]


def test_options_marked_for_different_stars_give_one_requirement_each():
    criterion = CriterionRule(
        key=9,
        label='C.10 "Đảm bảo chất lượng"',
        part="C",
        max_points=5,
        options=(option(90, 0), option(91, 2, 3), option(92, 3, 4), option(93, 5, 5)),
    )
    found = requirements([criterion])
    assert [(r.star, r.option.key) for r in found] == [(3, 91), (4, 92), (5, 93)]
    assert [[meets(r, key) for key in (90, 91, 92, 93)] for r in found] == [
        [False, True, True, True],
        [False, False, True, True],
        [False, False, False, True],
    ]


def test_a_star_marker_on_the_criterion_without_marked_options_means_any_option_with_points():
    # 'Sở hữu trí tuệ****': the marker stands on the title, not on an option.
    criterion = CriterionRule(
        key=9,
        label='A.3.e "Sở hữu trí tuệ"',
        part="A",
        max_points=2,
        options=(option(90, 0), option(91, 2), option(92, 1)),
        star_marker=4,
    )
    [requirement] = requirements([criterion])
    assert (requirement.star, requirement.option.key) == (4, 91)
    assert [meets(requirement, key) for key in (90, 91, 92)] == [False, True, True]


def test_marked_options_take_precedence_over_the_criterion_marker():
    criterion = CriterionRule(
        key=9,
        label='A.3.e "Sở hữu trí tuệ"',
        part="A",
        max_points=2,
        options=(option(90, 1, 4), option(91, 2, 4)),
        star_marker=4,
    )
    assert [(r.star, r.option.key) for r in requirements([criterion])] == [(4, 90)]


def test_a_criterion_without_markers_has_no_requirement():
    assert requirements([BULK]) == []


def test_requirements_are_cumulative():
    found = requirements(SHEET)
    assert [(r.star, r.criterion.key) for r in found] == [(3, 3), (4, 4), (5, 5)]
    assert [r.star for r in requirements_for(3, found)] == [3]
    assert [r.star for r in requirements_for(4, found)] == [3, 4]
    assert [r.star for r in requirements_for(5, found)] == [3, 4, 5]
    assert requirements_for(2, found) == []


def test_cards_meeting_counts_ticks_of_the_marked_option_or_a_later_one():
    [need3] = requirements_for(3, requirements(SHEET))
    cards = [card(1, m3=5), card(2, m3=10), card(3, m3=0), Card(4, {})]
    assert cards_meeting(need3, cards) == 2


def test_an_option_before_the_marked_one_does_not_meet_it_whatever_its_points():
    # QĐ26 set 11, C.6.1.1 "Tạp chất": the middle option is printed with 11 points (a slip
    # for 1) and the last, "Sạch, không phát hiện tạp chất", with 2 points and ****.
    impurities = CriterionRule(
        key=61,
        label='C.6.1.1 "Tạp chất"',
        part="C",
        max_points=2,
        options=(
            OptionRule(610, 0, None, "Có tạp chất"),
            OptionRule(611, 11, None, "Có rất ít tạp chất, chấp nhận được"),
            OptionRule(612, 2, 4, "Sạch, không phát hiện tạp chất"),
        ),
    )
    [need4] = requirements([impurities])
    assert need4.option.text == "Sạch, không phát hiện tạp chất"
    assert not meets(need4, 611)
    assert meets(need4, 612)
    assert not meets(need4, None)
    cards = [Card(n, {1: 1070, 61: 611}) for n in (1, 2, 3)]
    result = evaluate((BULK, impurities), cards, BANDS, quorum=True, spread_limit=10)
    assert result.mean == 72  # the slip counts 2, the criterion's maximum
    assert (result.band_stars, result.stars) == (4, 3)
    assert [(c.star, c.cards_meeting) for c in result.caps] == [(4, 0)]


def test_in_a_criterion_with_cases_only_later_options_of_the_same_case_meet():
    criterion = CriterionRule(
        key=8,
        label='C.8 "Hai trường hợp"',
        part="C",
        max_points=3,
        options=(
            OptionRule(80, 1, None, "a1", "a"),
            OptionRule(81, 3, 4, "a2", "a"),
            OptionRule(82, 1, None, "b1", "b"),
            OptionRule(83, 3, None, "b2", "b"),
        ),
    )
    [need4] = requirements([criterion])
    assert [meets(need4, key) for key in (80, 81, 82, 83)] == [False, True, False, False]


# ---------------------------------------------------------------- caps
def test_an_unmet_3_star_minimum_caps_a_5_star_score_at_2_stars():
    result = run([card(1, m3=0), card(2, m3=0), card(3, m3=0)])
    assert result.outcome == Outcome.FINAL
    assert result.mean == 90
    assert result.band_stars == 5
    assert result.stars == 2
    [cap] = result.caps
    assert cap.star == 3
    assert cap.requirement.criterion is M3
    assert (cap.cards_meeting, cap.cards) == (0, 3)


def test_an_unmet_4_star_minimum_with_a_5_star_score_gives_3_stars():
    result = run([card(1, m4=0), card(2, m4=0), card(3, m4=10)])
    assert result.band_stars == 5
    assert result.stars == 3
    [cap] = result.caps
    assert cap.star == 4
    assert cap.requirement.criterion is M4
    assert (cap.cards_meeting, cap.cards) == (1, 3)


def test_an_unmet_5_star_minimum_gives_4_stars():
    result = run([card(1, m5=0), card(2, m5=0), card(3, m5=0)])
    assert (result.band_stars, result.stars) == (5, 4)
    [cap] = result.caps
    assert cap.star == 5
    assert cap.requirement.criterion is M5
    assert (cap.cards_meeting, cap.cards) == (0, 3)


def test_only_the_lowest_unmet_star_caps_the_result():
    result = run([card(n, m4=0, m5=0) for n in (1, 2, 3)])
    assert result.stars == 3
    assert [c.star for c in result.caps] == [4]


def test_minimums_above_the_band_do_not_cap():
    # 50 + 10 + 0 + 0 = 60: a 3★ score; the 4★ and 5★ minimums are not its concern.
    result = run([card(n, bulk=50, m4=0, m5=0) for n in (1, 2, 3)])
    assert (result.band_stars, result.stars) == (3, 3)
    assert result.caps == ()


def test_a_fully_met_sheet_is_not_capped():
    result = run([card(1), card(2), card(3)])
    assert (result.mean, result.band_stars, result.stars, result.caps) == (100, 5, 5, ())


# ---------------------------------------------------------------- majority rule
def test_is_majority_is_strict():
    assert is_majority(2, 3)
    assert not is_majority(1, 2)
    assert not is_majority(2, 4)
    assert is_majority(3, 4)
    assert not is_majority(0, 0)


def test_a_minimum_met_by_2_of_3_cards_is_met():
    result = run([card(1), card(2), card(3, m5=0)])
    assert result.stars == 5
    assert result.caps == ()


def test_a_minimum_met_by_1_of_2_cards_is_a_tie_and_not_met():
    result = run([card(1), card(2, m5=0)])
    assert (result.band_stars, result.stars) == (5, 4)
    assert (result.caps[0].cards_meeting, result.caps[0].cards) == (1, 2)


def test_a_minimum_met_by_2_of_4_cards_is_not_met():
    result = run([card(1), card(2), card(3, m5=0), card(4, m5=0)])
    assert (result.band_stars, result.stars) == (5, 4)
    assert (result.caps[0].cards_meeting, result.caps[0].cards) == (2, 4)


def test_a_minimum_met_by_3_of_4_cards_is_met():
    result = run([card(1), card(2), card(3), card(4, m5=0)])
    assert result.stars == 5


# ---------------------------------------------------------------- quorum
def test_3_of_4_with_the_chair_is_a_quorum():
    assert quorum_reached({1, 2, 3}, {1, 2, 3, 4}, chair=1, ratio=Decimal("0.75"))


def test_3_of_4_without_the_chair_is_no_quorum():
    assert not quorum_reached({2, 3, 4}, {1, 2, 3, 4}, chair=1, ratio=Decimal("0.75"))


def test_2_of_3_is_no_quorum_at_75_percent():
    assert not quorum_reached({1, 2}, {1, 2, 3}, chair=1, ratio=Decimal("0.75"))


def test_without_a_chair_only_the_ratio_counts():
    assert quorum_reached({2, 3, 4}, {1, 2, 3, 4}, chair=None, ratio=Decimal("0.75"))
    assert not quorum_reached({2, 3}, {1, 2, 3, 4}, chair=None, ratio=Decimal("0.75"))


def test_no_scoring_members_is_no_quorum():
    assert not quorum_reached(set(), set(), chair=None, ratio=Decimal("0.75"))
    assert not quorum_reached({1}, set(), chair=None, ratio=Decimal("0.01"))


def test_cards_of_non_members_do_not_count_towards_quorum():
    assert not quorum_reached({1, 2, 9}, {1, 2, 3, 4}, chair=1, ratio=Decimal("0.75"))


def test_without_quorum_the_result_waits():
    result = run([card(1), card(2)], quorum=False)
    assert result.outcome == Outcome.WAITING_QUORUM
    assert result.cards == 2
    assert result.mean is None and result.stars is None


def test_without_cards_the_result_waits_even_with_quorum_claimed():
    assert run([], quorum=True).outcome == Outcome.WAITING_QUORUM


# ---------------------------------------------------------------- spread
def test_spread_is_the_distance_between_highest_and_lowest_total():
    assert spread([90, 80, 85]) == 10
    assert spread([]) == 0


def test_totals_exactly_at_the_spread_limit_do_not_wait():
    result = run([card(1), card(2, bulk=60)], spread_limit=Decimal("10.0"))
    assert result.spread == 10
    assert result.outcome == Outcome.FINAL


def test_totals_one_point_over_the_spread_limit_wait_for_discussion():
    result = run([card(1), card(2, bulk=59)], spread_limit=Decimal("10.0"))
    assert result.spread == 11
    assert result.outcome == Outcome.WAITING_SPREAD
    assert result.mean == Fraction(189, 2)  # shown while waiting
    assert result.stars is None


def test_the_spread_limit_may_be_a_fraction_of_a_point():
    result = run([card(1), card(2, bulk=69)], spread_limit=Decimal("0.5"))
    assert result.outcome == Outcome.WAITING_SPREAD


# ---------------------------------------------------------------- rejection
def test_a_rejection_clause_flagged_by_a_majority_rejects_whatever_the_score():
    cards = [card(1, rejections={1}), card(2, rejections={1}), card(3)]
    result = run(cards, rejection_clauses=2)
    assert result.outcome == Outcome.REJECTED
    assert result.rejection == 1
    assert result.stars is None
    assert result.mean == 100


def test_a_rejection_clause_flagged_by_a_minority_does_not_reject():
    cards = [card(1, rejections={0}), card(2), card(3)]
    result = run(cards, rejection_clauses=1)
    assert result.outcome == Outcome.FINAL
    assert result.rejection is None
    assert result.stars == 5


def test_a_rejection_clause_flagged_by_half_the_cards_does_not_reject():
    result = run([card(1, rejections={0}), card(2)], rejection_clauses=1)
    assert result.outcome == Outcome.FINAL


def test_flags_on_a_clause_the_sheet_does_not_have_are_ignored():
    cards = [card(n, rejections={3}) for n in (1, 2, 3)]
    assert run(cards, rejection_clauses=1).outcome == Outcome.FINAL


# ---------------------------------------------------------------- part means
def test_part_means_are_exact_fractions_per_part():
    result = run([card(1), card(2, bulk=69), card(3, bulk=69)])
    assert result.part_means == {"A": Fraction(208, 3), "B": 10, "C": 20}
    assert result.mean == Fraction(298, 3)


# ---------------------------------------------------------------- next star
def test_a_mean_of_69_995_needs_0_01_more_for_four_stars():
    found = next_star(3, Fraction("69.995"), [], [card(1)], BANDS)
    assert found.stars == 4
    assert found.points_needed == Decimal("0.01")
    assert found.missing == ()


def test_the_shortfall_is_rounded_up_to_the_next_hundredth():
    assert next_star(3, Fraction(209, 3), [], [card(1)], BANDS).points_needed == Decimal("0.34")
    assert next_star(3, Fraction("69.5"), [], [card(1)], BANDS).points_needed == Decimal("0.50")
    assert next_star(3, Fraction("69.991"), [], [card(1)], BANDS).points_needed == Decimal("0.01")
    assert next_star(2, Fraction(30), [], [card(1)], BANDS).points_needed == Decimal("20.00")


def test_a_capped_result_needs_no_points_only_its_missing_minimums():
    result = run([card(n, m4=0) for n in (1, 2, 3)])
    assert result.stars == 3
    assert result.next_star.stars == 4
    assert result.next_star.points_needed == Decimal("0.00")
    assert [r.criterion for r in result.next_star.missing] == [M4]


def test_a_4_star_score_capped_at_3_lists_the_minimum_it_lacks():
    # 50 + 10 + 0 + 10 = 70 → 4★ score capped at 3★ by M4; the 3★ minimum is met.
    result = run([card(n, bulk=50, m4=0) for n in (1, 2, 3)])
    assert (result.band_stars, result.stars) == (4, 3)
    assert result.next_star.stars == 4
    assert [r.criterion for r in result.next_star.missing] == [M4]


def test_next_star_lists_every_unmet_cumulative_minimum():
    # 60 + 0 + 0 + 0: 2★ by cap (M3 unmet); the 3★ next star needs M3 only.
    result = run([card(n, bulk=60, m3=0, m4=0, m5=0) for n in (1, 2, 3)])
    assert (result.band_stars, result.stars) == (3, 2)
    assert result.next_star.stars == 3
    assert result.next_star.points_needed == Decimal("0.00")
    assert [r.criterion for r in result.next_star.missing] == [M3]


def test_a_4_star_product_without_points_for_5_needs_points():
    result = run([card(n, bulk=50) for n in (1, 2, 3)])
    assert result.stars == 4
    assert result.next_star.stars == 5
    assert result.next_star.points_needed == Decimal("10.00")
    assert result.next_star.missing == ()


def test_there_is_no_next_star_above_five():
    assert next_star(5, Fraction(100), requirements(SHEET), [card(1)], BANDS) is None
    assert run([card(1), card(2), card(3)]).next_star is None


# ---------------------------------------------------------------- minimums on the 27 sheets
def _published_criteria():
    """Every criterion of the 27 shipped sheets with a marked option, as rules see it
    (option keys are their print order), read from the files without a database."""
    found = []
    for path in sorted(sheetfile.RULEBOOKS_DIR.glob("*/sheets/*.json")):
        sheet = sheetfile.load_sheet_file(path)
        for part, section, c in sheet.iter_criteria():
            if any(o.min_star for o in c.options):
                options = tuple(
                    OptionRule(i, o.points, o.min_star, o.text, o.case or "")
                    for i, o in enumerate(c.options)
                )
                where = sheetfile.criterion_where(part, section, c)
                label = f"{sheet.rulebook} set {sheet.product_set} {where}"
                found.append(CriterionRule(0, label, part.code, c.max_points, options))
    return found


MARKED = _published_criteria()


def test_the_27_sheets_mark_minimums_on_many_criteria():
    assert len({c.label.rsplit(" ", 1)[0] for c in MARKED}) == 27
    assert len(MARKED) > 200


def _check_meets(criterion):
    found = requirements([criterion])
    stars = sorted({o.min_star for o in criterion.options if o.min_star})
    assert [r.star for r in found] == stars
    for requirement in found:
        marked = next(i for i, o in enumerate(criterion.options) if o.min_star == requirement.star)
        assert requirement.option.key == marked
        assert [meets(requirement, o.key) for o in criterion.options] == [
            i >= marked for i in range(len(criterion.options))
        ], criterion.label


def test_on_every_published_marked_criterion_only_the_marked_option_and_later_ones_meet():
    for criterion in MARKED:
        _check_meets(criterion)


@given(data=st.data())
@settings(max_examples=300, deadline=None)
def test_a_marked_option_is_met_exactly_by_it_and_the_options_after_it(data):
    """For any marked criterion of the published sheets and every option: "meets" is true
    exactly for the marked option and those printed after it, whatever points are printed
    beside them."""
    criterion = data.draw(st.sampled_from(MARKED), label="criterion")
    points = data.draw(
        st.lists(
            st.integers(0, 20), min_size=len(criterion.options), max_size=len(criterion.options)
        ),
        label="points",
    )
    _check_meets(
        CriterionRule(
            criterion.key,
            criterion.label,
            criterion.part,
            criterion.max_points,
            tuple(
                OptionRule(o.key, p, o.min_star, o.text, o.case)
                for o, p in zip(criterion.options, points, strict=True)
            ),
        )
    )


# ---------------------------------------------------------------- stop and elimination notes
COPY = NoteRule(
    900,
    BULK,
    NoteEffect.ELIMINATE,
    "Ghi chú: Bị loại nếu phát hiện giống hệt sản phẩm của nhà sản xuất khác",
)
IMPURITIES = NoteRule(901, M4, NoteEffect.STOP, "… sẽ không đánh giá các bước tiếp theo")
ZERO = NoteRule(
    902,
    M5,
    NoteEffect.STOP,
    "Ghi chú: Nếu được 0 điểm tại một trong các chỉ tiêu trên, …",
    zero_points_on=(M4, M5),
)


def flagged(member, notes=(), **points):
    c = card(member, **points)
    return Card(c.member, c.ticks, c.rejections, frozenset(n.key for n in notes))


def run_notes(cards, notes=(COPY, IMPURITIES, ZERO), **kwargs):
    return evaluate(SHEET, cards, BANDS, quorum=True, spread_limit=10, notes=notes, **kwargs)


def test_a_note_flagged_by_a_majority_leaves_the_product_unrated():
    result = run_notes([flagged(1, [COPY]), flagged(2, [COPY]), flagged(3)])
    assert result.outcome == Outcome.REJECTED
    assert result.stars is None and result.band_stars is None
    assert result.rejection is None
    [applied] = result.eliminations
    assert (applied.note, applied.cards_flagging, applied.cards) == (COPY, 2, 3)
    assert result.mean == 100  # the members' totals stay on record


def test_a_stop_note_flagged_by_a_majority_leaves_the_product_unrated_too():
    result = run_notes([flagged(n, [IMPURITIES]) for n in (1, 2, 3)])
    assert result.outcome == Outcome.REJECTED
    assert [e.note.effect for e in result.eliminations] == [NoteEffect.STOP]


def test_a_note_flagged_by_a_minority_or_half_the_cards_does_nothing():
    assert run_notes([flagged(1, [COPY]), flagged(2), flagged(3)]).stars == 5
    assert run_notes([flagged(1, [COPY]), flagged(2)]).outcome == Outcome.FINAL


def test_every_note_a_majority_flags_is_recorded_in_printed_order():
    cards = [flagged(n, [IMPURITIES, COPY]) for n in (1, 2, 3)]
    result = run_notes(cards)
    assert [e.note for e in result.eliminations] == [COPY, IMPURITIES]


def test_notes_combine_on_their_own_not_with_each_other():
    # Each of two notes flagged by one card of three: neither has a majority.
    result = run_notes([flagged(1, [COPY]), flagged(2, [IMPURITIES]), flagged(3)])
    assert result.outcome == Outcome.FINAL


def test_a_rejection_clause_and_a_note_are_both_recorded():
    cards = [Card(n, card(n).ticks, frozenset({0}), frozenset({COPY.key})) for n in (1, 2, 3)]
    result = run_notes(cards, rejection_clauses=1)
    assert result.rejection == 0
    assert [e.note for e in result.eliminations] == [COPY]


def test_a_zero_on_a_named_criterion_flags_the_note_by_itself():
    # Set 16: "Nếu được 0 điểm tại một trong các chỉ tiêu trên": 0 on M4 or M5.
    assert flags(card(1, m4=0), ZERO)
    assert flags(card(1, m5=0), ZERO)
    assert not flags(card(1, m3=0), ZERO)
    assert not flags(card(1), ZERO)
    assert flags(flagged(1, [ZERO]), ZERO)  # ticked by hand
    result = run_notes([card(1, m4=0), card(2, m5=0), card(3)])
    assert [e.note for e in result.eliminations] == [ZERO]


def test_a_card_without_a_tick_on_a_named_criterion_does_not_flag_it():
    assert not flags(Card(1, {1: 1070}), ZERO)


def test_flags_on_notes_the_sheet_does_not_have_are_ignored():
    result = run_notes([flagged(n, [COPY]) for n in (1, 2, 3)], notes=(IMPURITIES,))
    assert result.outcome == Outcome.FINAL


# ---------------------------------------------------------------- the council's own rules
@pytest.mark.parametrize(
    ("rule", "meeting", "total", "chair_meets", "met"),
    [
        (MinimumRule.STRICT_MAJORITY, 2, 3, None, True),
        (MinimumRule.STRICT_MAJORITY, 2, 4, True, False),  # a tie fails
        (MinimumRule.STRICT_MAJORITY, 1, 3, True, False),
        (MinimumRule.HALF_OR_MORE, 2, 4, None, True),  # a tie passes
        (MinimumRule.HALF_OR_MORE, 1, 3, True, False),
        (MinimumRule.HALF_OR_MORE, 1, 2, None, True),
        (MinimumRule.CHAIR_BREAKS_TIE, 2, 4, True, True),
        (MinimumRule.CHAIR_BREAKS_TIE, 2, 4, False, False),
        (MinimumRule.CHAIR_BREAKS_TIE, 2, 4, None, False),  # no card of the chair: fails
        (MinimumRule.CHAIR_BREAKS_TIE, 3, 4, False, True),  # a majority needs no chair
        (MinimumRule.CHAIR_BREAKS_TIE, 1, 3, True, False),
        (MinimumRule.UNANIMOUS, 4, 4, None, True),
        (MinimumRule.UNANIMOUS, 3, 4, True, False),
        (MinimumRule.STRICT_MAJORITY, 0, 0, None, False),
        (MinimumRule.HALF_OR_MORE, 0, 0, None, False),
        (MinimumRule.UNANIMOUS, 0, 0, None, False),
    ],
)
def test_each_rule_for_minimums(rule, meeting, total, chair_meets, met):
    assert minimum_met(meeting, total, rule, chair_meets) is met


def test_a_tie_on_a_minimum_caps_or_not_as_the_council_rule_says():
    # Chair (1) and member 2 meet the 5★ minimum, members 3 and 4 do not: 2 of 4.
    cards = [card(1), card(2), card(3, m5=0), card(4, m5=0)]
    by_rule = {
        rule: evaluate(
            SHEET,
            cards,
            BANDS,
            quorum=True,
            spread_limit=10,
            council=CouncilRules(minimums=rule),
            chair=1,
        )
        for rule in MinimumRule
    }
    assert by_rule[MinimumRule.STRICT_MAJORITY].stars == 4
    assert by_rule[MinimumRule.HALF_OR_MORE].stars == 5
    assert by_rule[MinimumRule.CHAIR_BREAKS_TIE].stars == 5
    assert by_rule[MinimumRule.UNANIMOUS].stars == 4
    assert by_rule[MinimumRule.UNANIMOUS].next_star.missing[0].criterion is M5


def test_the_chair_breaks_a_tie_only_on_the_chairs_side():
    cards = [card(1, m5=0), card(2), card(3), card(4, m5=0)]
    rules = CouncilRules(minimums=MinimumRule.CHAIR_BREAKS_TIE)
    kwargs = {"quorum": True, "spread_limit": 10, "council": rules}
    assert evaluate(SHEET, cards, BANDS, chair=1, **kwargs).stars == 4
    assert evaluate(SHEET, cards, BANDS, chair=2, **kwargs).stars == 5
    assert evaluate(SHEET, cards, BANDS, chair=None, **kwargs).stars == 4


def test_a_unanimous_minimum_fails_on_one_card_short():
    result = run([card(1), card(2), card(3, m3=0)])  # default: 2 of 3 is enough
    assert result.stars == 5
    cards = [card(1), card(2), card(3, m3=0)]
    unanimous = CouncilRules(minimums=MinimumRule.UNANIMOUS)
    result = evaluate(SHEET, cards, BANDS, quorum=True, spread_limit=10, council=unanimous)
    assert (result.stars, [c.cards_meeting for c in result.caps]) == (2, [2])


@pytest.mark.parametrize(
    ("rule", "submitted", "chair", "reached"),
    [
        # 3 of 4 is 75 %; the chair is member 1.
        (ChairRule.REQUIRED, {1, 2, 3}, 1, True),
        (ChairRule.REQUIRED, {2, 3, 4}, 1, False),  # the chair has not submitted
        (ChairRule.REQUIRED, {2, 3, 4}, None, True),  # tied to the producer, or none
        (ChairRule.ALWAYS, {1, 2, 3}, 1, True),
        (ChairRule.ALWAYS, {2, 3, 4}, 1, False),
        (ChairRule.ALWAYS, {2, 3, 4}, None, False),  # no chair who may score: no quorum
        (ChairRule.NOT_REQUIRED, {2, 3, 4}, 1, True),
        (ChairRule.NOT_REQUIRED, {2, 3, 4}, None, True),
        (ChairRule.NOT_REQUIRED, {1, 2}, 1, False),  # the share still counts
    ],
)
def test_each_rule_for_the_chair_and_the_quorum(rule, submitted, chair, reached):
    members = {1, 2, 3, 4}
    assert quorum_reached(submitted, members, chair, Decimal("0.75"), rule) is reached


def test_by_default_the_chair_rule_is_todays():
    assert quorum_reached({1, 2, 3}, {1, 2, 3, 4}, 1, Decimal("0.75"))
    assert not quorum_reached({2, 3, 4}, {1, 2, 3, 4}, 1, Decimal("0.75"))
    assert CouncilRules() == CouncilRules(
        MinimumRule.STRICT_MAJORITY, ChairRule.REQUIRED, SpreadRule.WAIT
    )


def rejected_far_apart(spread_rule):
    # Two of three cards flag clause 0; totals 100, 100 and 80: a spread of 20 > 10.
    cards = [card(1, rejections={0}), card(2, rejections={0}), card(3, bulk=50)]
    return evaluate(
        SHEET,
        cards,
        BANDS,
        quorum=True,
        spread_limit=10,
        rejection_clauses=1,
        council=CouncilRules(spread=spread_rule),
    )


def test_by_default_a_majority_rejection_waits_when_the_spread_is_too_wide():
    result = rejected_far_apart(SpreadRule.WAIT)
    assert (result.outcome, result.rejection, result.spread) == (Outcome.WAITING_SPREAD, None, 20)


def test_a_council_may_let_a_majority_rejection_stand_whatever_the_spread():
    result = rejected_far_apart(SpreadRule.REJECTION_STANDS)
    assert (result.outcome, result.rejection, result.spread) == (Outcome.REJECTED, 0, 20)


def test_a_majority_note_stands_too_and_a_rating_still_waits():
    cards = [flagged(1, [COPY]), flagged(2, [COPY]), flagged(3, bulk=50)]
    stands = CouncilRules(spread=SpreadRule.REJECTION_STANDS)
    result = run_notes(cards, council=stands)
    assert result.outcome == Outcome.REJECTED and result.eliminations
    rated = [card(1), card(2), card(3, bulk=50)]
    assert run_notes(rated, council=stands).outcome == Outcome.WAITING_SPREAD
