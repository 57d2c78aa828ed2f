"""The rule that lists a member for discussion (evaluation/deviation.py), without HTTP."""

from decimal import Decimal as D

from evaluation import deviation


def test_each_member_is_compared_with_the_others_not_with_a_mean_that_includes_them():
    # The others average 70; a mean of all four (75) would hide a quarter of the gap.
    assert deviation.leave_one_out({"a": 90, "b": 70, "c": 70, "d": 70}) == {
        "a": D("20.00"),
        "b": D("-6.67"),
        "c": D("-6.67"),
        "d": D("-6.67"),
    }


def test_a_card_alone_has_no_council_to_stand_from():
    assert deviation.leave_one_out({"a": 80}) == {}
    assert deviation.others_mean({"a": 80}, "a") is None
    assert deviation.others_mean({"a": 80, "b": 71, "c": 70}, "a") == D("70.50")


def test_five_points_above_on_average_over_three_dossiers_is_flagged():
    assert deviation.flag(3, D("5.00"))
    assert deviation.flag(3, D("-5.00"))
    assert deviation.standing([D(6), D(4), D(5)]).flagged
    assert deviation.standing([D(6), D(4), D(5)]).direction == "above"


def test_just_under_the_threshold_or_too_few_dossiers_is_not():
    assert not deviation.flag(3, D("4.99"))
    assert not deviation.flag(2, D("30"))
    assert not deviation.flag(0, None)


def test_generous_once_and_strict_once_evens_out():
    standing = deviation.standing([D(15), D(-15), D(1)])
    assert standing.mean_deviation == D("0.33")
    assert not standing.flagged


def test_standings_over_dossiers_count_only_dossiers_with_others():
    dossiers = [
        {"hard": 60, "b": 70, "c": 70},
        {"hard": 62, "b": 70, "c": 68},
        {"hard": 50, "b": 58, "c": 58},
        {"b": 80},  # a card alone: counts for nobody
    ]
    result = deviation.standings(dossiers)
    assert result["hard"].dossiers == 3
    assert result["hard"].mean_deviation == D("-8.33")
    assert result["hard"].flagged and result["hard"].direction == "below"
    assert result["b"].dossiers == 3
    assert not result["b"].flagged
