"""Statutory time limits: read from a rulebook's data, turned into due dates. Pure functions.

Every limit is data in `rulebooks/<code>/rulebook.json`, with the article and its words:
`time_limits` (the commune's check, the re-evaluation's decision, revocation, the
certificate kept in force while a late re-evaluation is pending), `rounds` (the yearly
evaluation rounds and their cut-off dates) and `transition` (dossiers of the previous
decision finishing under it). A rulebook states each limit, or `null` with a note saying
why it has none. `parse_timing` validates that section; the loader refuses a file it does
not accept.

How days are counted is not in the decisions but in the Civil Code (Bộ luật Dân sự 2015),
and is the same for every rulebook, so it is here:

* the day an act happens is not counted: "15 days from the conclusion" starts the next day
  (Điều 147 khoản 2), so the due date is the 15th day after it;
* a period counted in calendar days that ends on a weekend or a public holiday ends at the
  end of the next working day (Điều 148 khoản 2);
* a period counted in working days counts Monday to Friday less public holidays, plus the
  Saturdays the government makes working days when it moves a holiday (`vietnam()`).

A due date is the last day on which the duty is still on time: late means "after it".

Nothing here reads the database or the clock: callers pass today and the calendar.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

import holidays

# ------------------------------------------------------------------ the calendar


class WorkCalendar(Protocol):
    def is_working_day(self, day: date) -> bool: ...


@functools.cache
def vietnam() -> WorkCalendar:
    """Vietnam's public holidays from the maintained `holidays` package: the Labour Code's
    days (New Year, lunar Tết, Hùng Kings' day, 30 April, 1 May, National Day and the day
    beside it, and Vietnam Culture Day from 2026), the day off in lieu when one falls on a
    weekend, and the days the government moves each year with the Saturday worked in
    exchange. Years after those the package knows are computed on demand; a move the
    government decides later arrives with a newer release of the package."""
    return holidays.country_holidays("VN", years=range(2015, 2041))


# ------------------------------------------------------------------ the data


class Count(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"


#: The limits every rulebook states (a value, or null with a note).
LIMITS = ("commune_check", "reevaluation_decision", "revocation", "late_reevaluation_extension")
#: Dossier kinds (Dossier.Kind's values; a test holds the two together).
KINDS = ("first", "upgrade", "reevaluation")


@dataclass(frozen=True)
class Limit:
    days: int
    count: Count
    article: str
    text: str


@dataclass(frozen=True)
class RoundDates:
    """One yearly round: it is held before `held_before` for the dossiers proposed before
    `proposals_before` (month, day), e.g. province round 01: before 30/6 for 30/4."""

    name: str
    proposals_before: tuple[int, int]
    held_before: tuple[int, int]


@dataclass(frozen=True)
class Rounds:
    level: str
    at_least_per_year: int
    schedule: tuple[RoundDates, ...]
    article: str
    text: str


@dataclass(frozen=True)
class Transition:
    """The dossiers filed under the decision `continues` before this one took effect
    (`counted_from`, its effective date) and not yet evaluated then finish under it, within
    `finish_within_days[kind]` of that date."""

    continues: str
    counted_from: date
    finish_within_days: dict[str, int]
    article: str
    text: str

    def limit(self, kind: str) -> Limit:
        return Limit(self.finish_within_days[kind], Count.CALENDAR_DAYS, self.article, self.text)


@dataclass(frozen=True)
class Timing:
    limits: dict[str, Limit | None]
    rounds: dict[str, Rounds]
    transition: Transition | None
    renewal_article: str = ""
    renewal_text: str = ""

    def limit(self, code: str) -> Limit | None:
        return self.limits.get(code)


class TimingError(ValueError):
    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


def parse_timing(meta: dict, level_codes: Iterable[str] = ()) -> Timing:
    """The rulebook file's `time_limits`, `rounds` and `transition`, checked; TimingError
    lists every problem."""
    errors: list[str] = []
    limits = _parse_limits(meta.get("time_limits"), errors)
    rounds = _parse_rounds(meta.get("rounds"), set(level_codes), errors)
    transition = _parse_transition(meta.get("transition", ...), meta, errors)
    window = meta.get("renewal_window") or {}
    if errors:
        raise TimingError(errors)
    return Timing(limits, rounds, transition, window.get("article", ""), window.get("text", ""))


def _has_source(entry: dict, where: str, errors: list[str]) -> None:
    for key in ("article", "text"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            errors.append(f"{where}: give the {key} the limit rests on")


def _positive(value, where: str, errors: list[str]) -> bool:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        errors.append(f"{where}: a whole number of days above 0, not {value!r}")
        return False
    return True


def _parse_limits(section, errors) -> dict[str, Limit | None]:
    if not isinstance(section, dict):
        errors.append("time_limits: missing (state each limit, or null with a note)")
        return {}
    unknown = sorted(set(section) - set(LIMITS) - {"note"})
    if unknown:
        errors.append(f"time_limits: unknown limit(s) {', '.join(unknown)}")
    limits: dict[str, Limit | None] = {}
    for code in LIMITS:
        if code not in section:
            errors.append(f"time_limits.{code}: missing (null, with a note, if none)")
            continue
        entry = section[code]
        if entry is None:
            limits[code] = None
            continue
        where = f"time_limits.{code}"
        if not isinstance(entry, dict):
            errors.append(f"{where}: an object or null")
            continue
        _has_source(entry, where, errors)
        ok = _positive(entry.get("days"), f"{where}.days", errors)
        if entry.get("count") not in Count.__members__.values():
            errors.append(f"{where}.count: working_days or calendar_days")
            ok = False
        if ok:
            limits[code] = Limit(
                entry["days"], Count(entry["count"]), entry["article"], entry["text"]
            )
    if any(v is None for v in limits.values()) and not str(section.get("note", "")).strip():
        errors.append("time_limits.note: say why a limit is null")
    return limits


def _month_day(value, where: str, errors: list[str]) -> tuple[int, int] | None:
    try:
        month, day = (int(part) for part in str(value).split("-"))
        date(2024, month, day)  # a leap year: accepts 29 February, refuses 31 April
    except (ValueError, TypeError):
        errors.append(f"{where}: a month and day as MM-DD, not {value!r}")
        return None
    return month, day


def _parse_rounds(section, level_codes: set[str], errors) -> dict[str, Rounds]:
    if not isinstance(section, dict):
        errors.append("rounds: missing (an empty object with a note if none)")
        return {}
    found: dict[str, Rounds] = {}
    for level, entry in section.items():
        if level == "note":
            continue
        where = f"rounds.{level}"
        if level_codes and level not in level_codes:
            errors.append(f"{where}: no such level in this rulebook")
        if not isinstance(entry, dict):
            errors.append(f"{where}: an object")
            continue
        _has_source(entry, where, errors)
        at_least = entry.get("at_least_per_year")
        if not _positive(at_least, f"{where}.at_least_per_year", errors):
            continue
        schedule = []
        for i, item in enumerate(entry.get("schedule") or []):
            item_where = f"{where}.schedule[{i}]"
            proposals = _month_day(item.get("proposals_before"), item_where, errors)
            held = _month_day(item.get("held_before"), item_where, errors)
            if not str(item.get("name", "")).strip():
                errors.append(f"{item_where}: give the round's name")
            elif proposals and held:
                schedule.append(RoundDates(item["name"], proposals, held))
        if len(schedule) < at_least:
            errors.append(f"{where}: {at_least} rounds a year, but {len(schedule)} dated")
        found[level] = Rounds(
            level, at_least, tuple(schedule), entry.get("article", ""), entry.get("text", "")
        )
    if not found and not str(section.get("note", "")).strip():
        errors.append("rounds.note: say why no round is dated")
    return found


def _parse_transition(entry, meta: dict, errors) -> Transition | None:
    if entry is ...:
        errors.append("transition: missing (null if the decision replaces none)")
        return None
    if entry is None:
        return None
    if not isinstance(entry, dict):
        errors.append("transition: an object or null")
        return None
    _has_source(entry, "transition", errors)
    days = entry.get("finish_within_days")
    if not isinstance(days, dict) or set(days) != set(KINDS):
        errors.append(f"transition.finish_within_days: days for each of {', '.join(KINDS)}")
        return None
    if not all(_positive(days[k], f"transition.finish_within_days.{k}", errors) for k in KINDS):
        return None
    try:
        # "trước ngày / kể từ ngày Quyết định này có hiệu lực": the rulebook's own date.
        counted_from = date.fromisoformat(meta["effective_from"])
    except (KeyError, TypeError, ValueError):
        errors.append("transition: the rulebook needs its effective_from date")
        return None
    if not str(entry.get("continues", "")).strip():
        errors.append("transition.continues: the code of the rulebook whose dossiers continue")
        return None
    return Transition(
        entry["continues"],
        counted_from,
        dict(days),
        entry.get("article", ""),
        entry.get("text", ""),
    )


# ------------------------------------------------------------------ counting days


def add_working_days(start: date, days: int, calendar: WorkCalendar) -> date:
    """The `days`-th working day after `start` (`start` itself is not counted)."""
    day, left = start, days
    while left:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            left -= 1
    return day


def next_working_day(day: date, calendar: WorkCalendar) -> date:
    """`day` if it is a working day, else the first working day after it."""
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def due_date(limit: Limit, start: date, calendar: WorkCalendar) -> date:
    """The last day on which a duty of `limit`, started on `start`, is on time."""
    if limit.count == Count.WORKING_DAYS:
        return add_working_days(start, limit.days, calendar)
    return next_working_day(start + timedelta(days=limit.days), calendar)


def days_late(due: date, done_on: date) -> int:
    """How many days after `due` a duty was (or, with today, is being) done; 0 on time."""
    return max((done_on - due).days, 0)


# ------------------------------------------------------------------ evaluation rounds


@dataclass(frozen=True)
class RoundCutoff:
    """A round's dates in a given year: dossiers proposed before `proposals_before` are
    evaluated before `held_before`."""

    name: str
    proposals_before: date
    held_before: date


def round_for(rounds: Rounds, proposed_on: date) -> RoundCutoff:
    """The round a dossier proposed on `proposed_on` belongs to: the first whose
    cut-off ("trước ngày…") is after that day, this year or the next."""
    candidates = []
    for year in (proposed_on.year, proposed_on.year + 1):
        for item in rounds.schedule:
            cutoff = date(year, *item.proposals_before)
            if cutoff > proposed_on:
                held = date(year, *item.held_before)
                if held <= cutoff:  # e.g. proposals before 30/10, held before 30/3
                    held = date(year + 1, *item.held_before)
                candidates.append(RoundCutoff(item.name, cutoff, held))
    return min(candidates, key=lambda c: c.proposals_before)


# ------------------------------------------------------------------ re-evaluation filing


class Filing(StrEnum):
    ON_TIME = "on_time"
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"
    # Điều 12 khoản 3: the window had closed before the decision took effect; the filing
    # is taken and the certificate stays in force until the result, at most `days` after
    # expiry.
    LATE_ALLOWED = "late_allowed"


@dataclass(frozen=True)
class FilingCheck:
    verdict: Filing
    opens: date
    closes: date
    extended_until: date | None = None

    @property
    def allowed(self) -> bool:
        return self.verdict in (Filing.ON_TIME, Filing.LATE_ALLOWED)


def reevaluation_filing(
    *,
    day: date,
    expires_on: date,
    opens_days: int,
    closes_days: int,
    rule_effective_from: date,
    extension: Limit | None,
) -> FilingCheck:
    """May a re-evaluation dossier of a certificate expiring on `expires_on` be filed on
    `day`, under a rulebook in effect from `rule_effective_from`?

    Điều 7 khoản 6 điểm a: no earlier than `opens_days` and no later than `closes_days`
    before expiry, both ends included. Điều 12 khoản 3 (a transitional clause): a product
    whose filing "cannot meet" that window is still re-evaluated, its certificate in force
    until the result and at most `extension.days` after expiry. Read here as: the window
    had already closed when the rulebook took effect, the certificate was still in force
    then, and the extension has not run out."""
    opens = expires_on - timedelta(days=opens_days)
    closes = expires_on - timedelta(days=closes_days)
    if day < opens:
        return FilingCheck(Filing.TOO_EARLY, opens, closes)
    if day <= closes:
        return FilingCheck(Filing.ON_TIME, opens, closes)
    if extension is not None:
        until = expires_on + timedelta(days=extension.days)
        could_not_meet = closes < rule_effective_from < expires_on
        if could_not_meet and day < until:
            return FilingCheck(Filing.LATE_ALLOWED, opens, closes, until)
    return FilingCheck(Filing.TOO_LATE, opens, closes)


# ------------------------------------------------------------------ a dossier's clocks

# Dossier statuses (Dossier.Status's values; a test holds them together). A clock runs
# only while the duty is the authority's: not on a draft or a dossier returned to the
# producer, and no longer once the step it times is done.
AT_COMMUNE = frozenset({"submitted", "checked"})  # until forwarded, returned or refused
UNSCORED = frozenset({"submitted", "checked", "scoring"})  # until the council's result
UNDECIDED = frozenset({"submitted", "checked", "scoring", "result"})  # until a decision
UNFINISHED = UNDECIDED | {"returned"}  # the evaluation is not complete while returned


@dataclass(frozen=True)
class Deadline:
    code: str  # commune_check, round, reevaluation_decision, transition
    due: date
    started: date
    article: str
    text: str
    late: bool
    round_name: str = ""
    days: int = 0  # the limit's days (a due date may fall later, moved off a day off)


def dossier_deadlines(
    *,
    status: str,
    level: dict,
    rulebook_code: str,
    timing: Timing,
    later_timings: Iterable[Timing],
    root_kind: str,
    received_on: date | None,
    today: date,
    calendar: WorkCalendar,
) -> list[Deadline]:
    """The time limits running on a dossier today, with their due dates.

    `level` is the rulebook's entry for the dossier's level; `received_on` the day it was
    last filed at this level (a dossier returned and filed again was received complete
    only then); `root_kind` the kind of the dossier the producer filed, for one forwarded
    up from a lower level; `later_timings` those of the rulebooks after this one (for
    their transitional clause)."""
    found: list[Deadline] = []

    def add(code: str, limit: Limit, start: date, round_name: str = "") -> None:
        due = due_date(limit, start, calendar)
        late = today > due
        found.append(
            Deadline(code, due, start, limit.article, limit.text, late, round_name, limit.days)
        )

    check = timing.limit("commune_check")
    if received_on and check and level.get("prechecks") and status in AT_COMMUNE:
        add("commune_check", check, received_on)
    rounds = timing.rounds.get(level.get("code", ""))
    # A re-evaluation is timed by its own limit (Điều 7 khoản 6 điểm g), not by the rounds.
    regular = root_kind != "reevaluation"
    if received_on and rounds and regular and level.get("scores") and status in UNSCORED:
        cutoff = round_for(rounds, received_on)
        # "Held before 30/6": the last day is the 29th; not moved to a working day, since
        # a council may sit on any day its chair calls it.
        last_day = cutoff.held_before - timedelta(days=1)
        found.append(
            Deadline(
                "round",
                last_day,
                received_on,
                rounds.article,
                rounds.text,
                today > last_day,
                cutoff.name,
            )
        )
    decision = timing.limit("reevaluation_decision")
    if (
        received_on
        and decision
        and root_kind == "reevaluation"
        and level.get("scores")
        and status in UNDECIDED
    ):
        add("reevaluation_decision", decision, received_on)
    for later in later_timings:
        transition = later.transition
        if transition and transition.continues == rulebook_code and status in UNFINISHED:
            add("transition", transition.limit(root_kind), transition.counted_from)
    return sorted(found, key=lambda d: d.due)


def next_round(timing: Timing, level: dict, forwards_to: str | None, today: date):
    """(level code, RoundCutoff) of the next statutory round a dossier at `level` goes to:
    its own level's if it scores there, else the level it is forwarded to; None if the
    rulebook dates no round for it."""
    for code in (level.get("code"), forwards_to):
        rounds = timing.rounds.get(code or "")
        if rounds and (code == forwards_to or level.get("scores")):
            return code, round_for(rounds, today)
    return None
