"""Statutory time limits (evaluation.deadlines): the data, counting days, due dates.

Pure: no table, no clock. Vietnam's calendar is the real one (the `holidays` package), so
the dates below are read off 2026's and 2027's calendars: Tết 2026 is Monday 16 to Friday
20 February (with the weekends around it, 14–22 February); Hùng Kings' day 2026 falls on
Sunday 26 April and is taken on Monday 27; Saturday 22 August 2026 is worked in exchange
for Monday 31 August, before National Day (1–2 September).
"""

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from evaluation import deadlines
from evaluation.deadlines import (
    Count,
    Filing,
    Limit,
    TimingError,
    add_working_days,
    dossier_deadlines,
    due_date,
    next_round,
    parse_timing,
    reevaluation_filing,
    round_for,
)
from evaluation.sheetfile import RULEBOOKS_DIR

VN = deadlines.vietnam()
QD26 = json.loads((RULEBOOKS_DIR / "qd26-2026" / "rulebook.json").read_text("utf-8"))
QD148 = json.loads((RULEBOOKS_DIR / "qd148-2023" / "rulebook.json").read_text("utf-8"))
# shared/reference beside the repository (its README); absent elsewhere, and then the
# transcription test is skipped.
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"


def timing(meta):
    return parse_timing(meta, [level["code"] for level in meta["levels"]])


T26, T148 = timing(QD26), timing(QD148)
LEVELS26 = {level["code"]: level for level in QD26["levels"]}
LEVELS148 = {level["code"]: level for level in QD148["levels"]}


class NoHolidays:
    """Monday to Friday, nothing else: to show what the holidays change."""

    def is_working_day(self, day):
        return day.weekday() < 5


# ---------------------------------------------------------------- the calendar
def test_the_holidays_of_tet_2026_are_not_working_days():
    for day in range(16, 21):
        assert not VN.is_working_day(date(2026, 2, day))
    assert VN.is_working_day(date(2026, 2, 13))
    assert VN.is_working_day(date(2026, 2, 23))


def test_a_saturday_worked_in_exchange_for_a_holiday_is_a_working_day():
    assert VN.is_working_day(date(2026, 8, 22))  # Saturday, for Monday 31 August
    assert not VN.is_working_day(date(2026, 8, 31))
    assert not VN.is_working_day(date(2026, 8, 23))  # an ordinary Sunday


def test_a_holiday_on_a_sunday_is_taken_on_the_monday():
    assert not VN.is_working_day(date(2026, 4, 27))  # Hùng Kings' day, Sunday 26 April


# ---------------------------------------------------------------- counting days
def test_fifteen_working_days_skip_tet():
    # Received Thursday 12 February 2026, the last working day before Tết.
    assert add_working_days(date(2026, 2, 12), 15, VN) == date(2026, 3, 12)
    assert add_working_days(date(2026, 2, 12), 15, NoHolidays()) == date(2026, 3, 5)


def test_working_days_count_the_saturday_worked_and_skip_national_day():
    assert add_working_days(date(2026, 8, 21), 1, VN) == date(2026, 8, 22)
    assert add_working_days(date(2026, 8, 21), 15, VN) == date(2026, 9, 15)


def test_the_day_received_is_not_counted():
    monday = date(2026, 6, 1)
    assert add_working_days(monday, 1, VN) == date(2026, 6, 2)
    assert add_working_days(date(2026, 4, 24), 3, VN) == date(2026, 5, 4)  # 27/4, 30/4, 1/5


def test_a_calendar_period_ending_on_a_day_off_ends_on_the_next_working_day():
    fifteen = Limit(15, Count.CALENDAR_DAYS, "Điều 8 khoản 4", "…")
    # Conclusion on Saturday 31 January 2026: the 15th day is Sunday 15 February, and the
    # week after is Tết; the period ends on Monday 23 February.
    assert due_date(fifteen, date(2026, 1, 31), VN) == date(2026, 2, 23)
    assert due_date(fifteen, date(2026, 3, 2), VN) == date(2026, 3, 17)  # a Tuesday


def test_the_commune_check_is_due_15_working_days_after_receipt():
    check = T26.limit("commune_check")
    assert (check.days, check.count, check.article) == (15, Count.WORKING_DAYS, "Điều 7 khoản 2")
    assert due_date(check, date(2026, 2, 12), VN) == date(2026, 3, 12)


def test_the_re_evaluation_is_decided_within_45_days():
    decision = T26.limit("reevaluation_decision")
    assert (decision.days, decision.count) == (45, Count.CALENDAR_DAYS)
    assert due_date(decision, date(2027, 1, 1), VN) == date(2027, 2, 15)


def test_148_dossiers_finish_within_60_days_or_30_for_a_re_evaluation():
    transition = T26.transition
    assert (transition.continues, transition.counted_from) == ("qd148-2023", date(2026, 5, 22))
    assert due_date(transition.limit("first"), transition.counted_from, VN) == date(2026, 7, 21)
    assert due_date(transition.limit("upgrade"), transition.counted_from, VN) == date(2026, 7, 21)
    # 30 days end on Sunday 21 June 2026, so on Monday 22 June.
    assert due_date(transition.limit("reevaluation"), transition.counted_from, VN) == date(
        2026, 6, 22
    )


def test_the_last_day_of_148_is_the_last_day_of_its_dossiers_60_days():
    # Điều 11 khoản 2: 148 ceases 60 days after 26/2026 takes effect.
    assert QD148["effective_to"] == "2026-07-21"


# ---------------------------------------------------------------- rounds
@pytest.mark.parametrize(
    ("proposed_on", "name", "proposals_before", "held_before"),
    [
        (date(2026, 1, 5), "Đợt 01", date(2026, 4, 30), date(2026, 6, 30)),
        (date(2026, 4, 29), "Đợt 01", date(2026, 4, 30), date(2026, 6, 30)),
        # "trước ngày 30 tháng 4": on the 30th it is too late for round 01.
        (date(2026, 4, 30), "Đợt 02", date(2026, 10, 30), date(2026, 12, 30)),
        (date(2026, 10, 30), "Đợt 01", date(2027, 4, 30), date(2027, 6, 30)),
    ],
)
def test_a_province_round_takes_the_dossiers_proposed_before_its_cut_off(
    proposed_on, name, proposals_before, held_before
):
    cutoff = round_for(T26.rounds["province"], proposed_on)
    assert (cutoff.name, cutoff.proposals_before, cutoff.held_before) == (
        name,
        proposals_before,
        held_before,
    )


def test_the_central_round_02_of_a_year_is_held_in_march_of_the_next():
    cutoff = round_for(T26.rounds["central"], date(2026, 8, 1))
    assert (cutoff.name, cutoff.proposals_before, cutoff.held_before) == (
        "Đợt 02",
        date(2027, 1, 30),
        date(2027, 3, 30),
    )
    assert round_for(T26.rounds["central"], date(2027, 2, 1)).held_before == date(2027, 9, 30)


def test_the_province_and_the_centre_hold_at_least_two_rounds_a_year():
    assert {level: r.at_least_per_year for level, r in T26.rounds.items()} == {
        "province": 2,
        "central": 2,
    }
    assert [r.article for r in T26.rounds.values()] == ["Điều 5 khoản 1", "Điều 5 khoản 2"]


def test_a_commune_dossier_is_shown_the_next_provincial_round():
    level, cutoff = next_round(T26, LEVELS26["commune"], "province", date(2026, 12, 1))
    assert (level, cutoff.proposals_before) == ("province", date(2027, 4, 30))
    assert next_round(T148, LEVELS148["district"], "province", date(2026, 12, 1)) is None


# ---------------------------------------------------------------- the re-evaluation window
EXTENSION = T26.limit("late_reevaluation_extension")


def filing(day, expires_on, extension=EXTENSION):
    return reevaluation_filing(
        day=day,
        expires_on=expires_on,
        opens_days=180,
        closes_days=120,
        rule_effective_from=date(2026, 5, 22),
        extension=extension,
    )


EXPIRES = date(2027, 1, 31)  # window 4 August – 3 October 2026


@pytest.mark.parametrize(
    ("day", "verdict"),
    [
        (date(2026, 8, 3), Filing.TOO_EARLY),
        (date(2026, 8, 4), Filing.ON_TIME),
        (date(2026, 10, 3), Filing.ON_TIME),
        (date(2026, 10, 4), Filing.TOO_LATE),
        (date(2027, 2, 1), Filing.TOO_LATE),
    ],
    ids=str,
)
def test_a_re_evaluation_is_filed_180_to_120_days_before_expiry(day, verdict):
    check = filing(day, EXPIRES)
    assert check.verdict == verdict
    assert check.allowed is (verdict == Filing.ON_TIME)
    assert (check.opens, check.closes) == (date(2026, 8, 4), date(2026, 10, 3))


def test_a_window_closed_before_26_2026_took_effect_lets_a_late_filing_in():
    # Expires 1 August 2026: the window closed on 3 April, before 22 May 2026.
    check = filing(date(2026, 6, 1), date(2026, 8, 1))
    assert (check.verdict, check.allowed) == (Filing.LATE_ALLOWED, True)
    assert check.extended_until == date(2027, 1, 28)  # 180 days after expiry
    # Still taken after expiry, while the 180 days run; not once they have.
    assert filing(date(2027, 1, 27), date(2026, 8, 1)).verdict == Filing.LATE_ALLOWED
    assert filing(date(2027, 1, 28), date(2026, 8, 1)).verdict == Filing.TOO_LATE


def test_no_late_filing_when_the_window_was_still_open_on_22_may_2026():
    # Expires 1 October 2026: the window ran to 3 June 2026, after 26/2026 took effect.
    assert filing(date(2026, 6, 10), date(2026, 10, 1)).verdict == Filing.TOO_LATE


def test_no_late_filing_for_a_certificate_expired_before_26_2026():
    assert filing(date(2026, 6, 1), date(2026, 5, 1)).verdict == Filing.TOO_LATE


def test_no_late_filing_where_the_rulebook_sets_no_extension():
    assert filing(date(2026, 6, 1), date(2026, 8, 1), extension=None).verdict == Filing.TOO_LATE


# ---------------------------------------------------------------- a dossier's clocks
def clocks(
    status="submitted",
    level="commune",
    kind="first",
    received_on=date(2026, 2, 12),
    today=date(2026, 3, 12),
    timing=T26,
    levels=LEVELS26,
    code="qd26-2026",
    later=(),
):
    return dossier_deadlines(
        status=status,
        level=levels[level],
        rulebook_code=code,
        timing=timing,
        later_timings=later,
        root_kind=kind,
        received_on=received_on,
        today=today,
        calendar=VN,
    )


def test_a_commune_check_is_on_time_on_its_last_day_and_late_the_next():
    [on_time] = clocks()
    assert (on_time.code, on_time.due, on_time.late) == ("commune_check", date(2026, 3, 12), False)
    [late] = clocks(today=date(2026, 3, 13))
    assert late.late


@pytest.mark.parametrize("status", ["draft", "returned", "forwarded", "not_recognised"])
def test_the_commune_clock_stops_when_the_dossier_leaves_the_commune(status):
    assert clocks(status=status, today=date(2027, 1, 1)) == []


def test_a_province_dossier_is_due_in_its_round():
    [due] = clocks(level="province", received_on=date(2026, 5, 4), today=date(2026, 6, 30))
    assert (due.code, due.round_name, due.due, due.late) == (
        "round",
        "Đợt 02",
        date(2026, 12, 29),
        False,
    )
    [scored_late] = clocks(level="province", received_on=date(2026, 4, 2), today=date(2026, 6, 30))
    assert (scored_late.due, scored_late.late) == (date(2026, 6, 29), True)
    assert clocks(status="result", level="province", received_on=date(2026, 4, 2)) == []


def test_a_re_evaluation_is_timed_45_days_from_the_provinces_receipt():
    [due] = clocks(
        level="province",
        kind="reevaluation",
        received_on=date(2027, 1, 1),
        today=date(2027, 2, 16),
        status="result",
    )
    assert (due.code, due.due, due.late, due.article) == (
        "reevaluation_decision",
        date(2027, 2, 15),
        True,
        "Điều 7 khoản 6 điểm g",
    )
    assert clocks(level="province", kind="reevaluation", status="recognised") == []


def test_a_148_dossier_carries_the_transitional_limit_of_26_2026():
    [due] = clocks(
        timing=T148,
        levels=LEVELS148,
        code="qd148-2023",
        level="district",
        status="scoring",
        today=date(2026, 7, 22),
        later=[T26],
    )
    assert (due.code, due.due, due.late, due.article) == (
        "transition",
        date(2026, 7, 21),
        True,
        "Điều 12 khoản 2",
    )
    [reevaluation] = clocks(
        timing=T148,
        levels=LEVELS148,
        code="qd148-2023",
        level="province",
        kind="reevaluation",
        status="returned",
        later=[T26],
    )
    assert reevaluation.due == date(2026, 6, 22)
    assert (
        clocks(
            timing=T148,
            levels=LEVELS148,
            code="qd148-2023",
            level="district",
            status="recognised",
            later=[T26],
        )
        == []
    )


# ---------------------------------------------------------------- the data and its checks
def test_148_states_each_limit_as_none_and_says_why():
    assert set(T148.limits) == set(deadlines.LIMITS)
    assert all(limit is None for limit in T148.limits.values())
    assert "shared/reference" in QD148["time_limits"]["note"]
    assert (T148.rounds, T148.transition) == ({}, None)


def test_each_limit_of_26_2026_names_its_article():
    assert {code: limit.article for code, limit in T26.limits.items()} == {
        "commune_check": "Điều 7 khoản 2",
        "reevaluation_decision": "Điều 7 khoản 6 điểm g",
        "revocation": "Điều 8 khoản 4",
        "late_reevaluation_extension": "Điều 12 khoản 3",
    }
    assert T26.renewal_article == "Điều 7 khoản 6 điểm a"


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared/reference is not beside the repository")
def test_every_quoted_text_is_word_for_word_in_the_decision():
    published = " ".join((REFERENCE / "qd26-2026-full-text.txt").read_text("utf-8").split())
    quoted = [T26.renewal_text, T26.transition.text]
    quoted += [limit.text for limit in T26.limits.values()]
    quoted += [rounds.text for rounds in T26.rounds.values()]
    for text in quoted:
        for piece in text.split(" […] "):  # an elided passage
            assert " ".join(piece.split()) in published, piece[:60]


def broken(mutate):
    meta = copy.deepcopy(QD26)
    mutate(meta)
    with pytest.raises(TimingError) as caught:
        timing(meta)
    return " | ".join(caught.value.messages)


def test_a_missing_limit_is_refused():
    assert "time_limits.revocation: missing" in broken(lambda m: m["time_limits"].pop("revocation"))


def test_a_null_limit_needs_a_note():
    def null(meta):
        meta["time_limits"]["revocation"] = None

    assert "time_limits.note" in broken(null)


def test_a_limit_needs_whole_days_a_way_of_counting_and_its_source():
    def bad(meta):
        meta["time_limits"]["revocation"].update(days=0, count="weeks", article="")

    message = broken(bad)
    assert "time_limits.revocation.days" in message
    assert "working_days or calendar_days" in message
    assert "article" in message


def test_a_round_schedule_needs_as_many_dated_rounds_as_it_promises():
    def short(meta):
        meta["rounds"]["province"]["schedule"].pop()

    assert "2 rounds a year, but 1 dated" in broken(short)


def test_a_round_date_must_exist():
    def april_31(meta):
        meta["rounds"]["province"]["schedule"][0]["proposals_before"] = "04-31"

    assert "MM-DD" in broken(april_31)


def test_rounds_for_a_level_the_rulebook_has_not_are_refused():
    def district(meta):
        meta["rounds"]["district"] = meta["rounds"]["province"]

    assert "rounds.district: no such level" in broken(district)


def test_the_transition_gives_days_for_every_kind_of_dossier():
    def partial(meta):
        del meta["transition"]["finish_within_days"]["reevaluation"]

    assert "transition.finish_within_days" in broken(partial)


def test_kinds_and_statuses_are_the_dossiers_own():
    from evaluation.models import Dossier

    assert set(deadlines.KINDS) == set(Dossier.Kind.values)
    assert deadlines.UNFINISHED.issubset(Dossier.Status.values)
    assert deadlines.AT_COMMUNE <= deadlines.UNSCORED <= deadlines.UNDECIDED
