"""Shapes of data for the scoring and dossier pages, built in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluation import deadlines
from evaluation.models import (
    Answer,
    Council,
    Criterion,
    Dossier,
    DossierStatusChange,
    EliminationNote,
    Option,
    Scorecard,
    SheetPart,
    SheetSection,
)


@dataclass
class CriterionView:
    criterion: Criterion
    options: list[Option]
    selected: int | None
    points: int  # bounded by the criterion's maximum (see rules.criterion_points)
    discrepancies: list[dict] = field(default_factory=list)  # published slips, shown
    notes: list[EliminationNote] = field(default_factory=list)  # stop or elimination notes
    producer_option: Option | None = None  # the producer's own answer (self-assessment)
    comment: str = ""  # the member's own note on this criterion (Scorecard.comments)


@dataclass
class SectionView:
    section: SheetSection
    criteria: list[CriterionView] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(c.points for c in self.criteria)


@dataclass
class PartView:
    part: SheetPart
    sections: list[SectionView] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(s.points for s in self.sections)


def sheet_tree(sheet, card: Scorecard | None = None, beside=None) -> list[PartView]:
    """Parts → sections → criteria → options, with the card's ticks and subtotals, and
    `beside` (criterion id → option) the producer's own answers, shown to the council."""
    beside = beside or {}
    chosen: dict[int, tuple[int, int]] = {}
    if card is not None:
        chosen = {
            a.criterion_id: (a.option_id, a.option.points)
            for a in Answer.objects.filter(scorecard=card).select_related("option")
        }
    discrepancies: dict[str, list[dict]] = {}
    for d in sheet.known_discrepancies:
        discrepancies.setdefault(d["where"], []).append(d)
    parts = SheetPart.objects.filter(sheet=sheet).prefetch_related(
        Prefetch(
            "sections__criteria",
            queryset=Criterion.objects.prefetch_related(
                Prefetch("options", queryset=Option.objects.order_by("position")),
                Prefetch("eliminations", queryset=EliminationNote.objects.order_by("position")),
            ).order_by("position"),
        )
    )
    tree = []
    for part in parts:
        part_view = PartView(part)
        for section in part.sections.all():
            section_view = SectionView(section)
            for criterion in section.criteria.all():
                option_id, points = chosen.get(criterion.id, (None, 0))
                section_view.criteria.append(
                    CriterionView(
                        criterion,
                        list(criterion.options.all()),
                        option_id,
                        min(points, criterion.max_points),
                        discrepancies.get(criterion.where, []),
                        list(criterion.eliminations.all()),
                        beside.get(criterion.id),
                        (card.comments or {}).get(str(criterion.id), "") if card else "",
                    )
                )
            part_view.sections.append(section_view)
        tree.append(part_view)
    return tree


def _plain(number: str) -> str:
    """A stored Decimal as people write it: "0.75" × 100 → "75", "10.0" → "10"."""
    try:
        return f"{Decimal(number).normalize():f}"
    except (InvalidOperation, TypeError):
        return str(number)


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def council_rules_lines(snapshot: dict) -> list[tuple[str, str]]:
    """The council's operating rules, as a result records them, in words: (what, rule)."""
    share = _plain(str(Decimal(snapshot["quorum_ratio"]) * 100))
    return [
        (
            _("Quorum"),
            _("%(share)s%% of the scoring members submit their cards. %(chair)s.")
            % {"share": share, "chair": _label(Council.ChairRule, snapshot["chair_rule"])},
        ),
        (_("Star minimums"), _label(Council.MinimumRule, snapshot["minimum_rule"]) + "."),
        (
            _("Spread"),
            _("Totals more than %(limit)s points apart are discussed and re-scored. %(rule)s.")
            % {
                "limit": _plain(snapshot["spread_limit"]),
                "rule": _label(Council.SpreadRule, snapshot["spread_rule"]),
            },
        ),
        (
            _("Rejection clauses and stop or elimination notes"),
            _("Each applies when more than half of the submitted cards flag it."),
        ),
    ]


# ------------------------------------------------------------------ time limits on dossiers
#: A page setting, not a rule of law: how near a due date is "due soon" on the lists.
DUE_SOON_DAYS = 5

CLOCK_LABELS = {
    "commune_check": gettext_lazy("Commune to check and propose the dossier"),
    "round": gettext_lazy("Council to evaluate it: %(round)s of %(year)s at the latest"),
    "reevaluation_decision": gettext_lazy("Re-evaluation to be completed"),
    "transition": gettext_lazy("Evaluation to be completed under the earlier decision"),
}


@dataclass(frozen=True)
class Clock:
    """A time limit running on a dossier, with what a page shows of it."""

    deadline: deadlines.Deadline
    today: date

    @property
    def label(self) -> str:
        return str(CLOCK_LABELS[self.deadline.code]) % {
            "round": self.deadline.round_name,
            "year": self.deadline.due.year,
        }

    @property
    def days_left(self) -> int:
        return (self.deadline.due - self.today).days

    @property
    def days_late(self) -> int:
        return -self.days_left

    @property
    def late(self) -> bool:
        return self.deadline.late

    @property
    def soon(self) -> bool:
        return not self.late and self.days_left <= DUE_SOON_DAYS


def received_on(dossier, history=None) -> date | None:
    """The day the dossier was last filed at its level: the `received_at` a list annotates
    (dossier_list), or the latest move to "submitted" in `history`."""
    at = getattr(dossier, "received_at", None)
    if at is None and history is not None:
        filed = [change.at for change in history if change.to_status == Dossier.Status.SUBMITTED]
        at = max(filed, default=None)
    return _local_day(at)


def _local_day(at) -> date | None:
    return timezone.localdate(at) if at is not None else None


def dossier_clocks(dossier, rulebooks, *, received, root_kind, today, calendar=None):
    """The clocks running on `dossier`, nearest first. `rulebooks`: every rulebook by id,
    loaded once for a whole list; the round's is read from it, not from the row."""
    return _clocks(
        rulebooks,
        rulebook_id=dossier.round.rulebook_id,
        level=dossier.round.level,
        status=dossier.status,
        received=received,
        root_kind=root_kind,
        today=today,
        calendar=calendar,
    )


def _clocks(rulebooks, *, rulebook_id, level, status, received, root_kind, today, calendar):
    """dossier_clocks from the plain values it reads, for a row that is not a model."""
    rulebook = rulebooks[rulebook_id]
    later = [r.timing for r in rulebooks.values() if r.effective_from > rulebook.effective_from]
    found = deadlines.dossier_deadlines(
        status=status,
        level=rulebook.level(level) or {},
        rulebook_code=rulebook.code,
        timing=rulebook.timing,
        later_timings=later,
        root_kind=root_kind,
        received_on=received,
        today=today,
        calendar=calendar or deadlines.vietnam(),
    )
    return [Clock(deadline, today) for deadline in found]


class _Clocked:
    """What a list reads of a row's clocks (`self.clocks`, nearest first)."""

    @property
    def next(self) -> Clock | None:
        return self.clocks[0] if self.clocks else None

    @property
    def late(self) -> bool:
        return any(clock.late for clock in self.clocks)

    @property
    def soon(self) -> bool:
        return not self.late and any(clock.soon for clock in self.clocks)


@dataclass(frozen=True)
class DossierRow(_Clocked):
    dossier: Dossier
    clocks: list[Clock]


@dataclass(frozen=True)
class ClockRow(_Clocked):
    """A dossier's id and clocks without the dossier itself (clock_rows)."""

    pk: int
    clocks: list[Clock]


def with_clock_fields(dossiers):
    """`dossiers` annotated with what their clocks need, for a whole list in one query:
    when each was (last) filed at its level, and the kind of the dossier the producer
    filed, for one forwarded up (two levels at most)."""
    last_filed = DossierStatusChange.objects.filter(
        dossier=OuterRef("pk"), to_status=Dossier.Status.SUBMITTED
    ).order_by("-at")
    return dossiers.annotate(
        received_at=Subquery(last_filed.values("at")[:1]),
        root_kind=Coalesce("forwarded_from__forwarded_from__kind", "forwarded_from__kind", "kind"),
    )


def dossier_rows(dossiers, rulebooks, today) -> list[DossierRow]:
    """Rows for the dossier list, from a queryset annotated with `received_at` and
    `root_kind` (views.dossiers.dossier_list): no query per row."""
    return [
        DossierRow(
            dossier,
            dossier_clocks(
                dossier,
                rulebooks,
                received=received_on(dossier),
                root_kind=dossier.root_kind,
                today=today,
            ),
        )
        for dossier in dossiers
    ]


def clock_rows(dossiers, rulebooks, today) -> list[ClockRow]:
    """dossier_rows for a whole list without loading its dossiers: the few columns the
    clocks read, in one query in the list's order. The dossier list counts, filters and
    sorts by time limit over every row, but builds a model (product, producer, round,
    council, sheet, result) only for the 50 it shows: at thousands of dossiers those
    models, not the clocks, were the page's cost (issue 17)."""
    calendar = deadlines.vietnam()
    values = dossiers.values(
        "pk", "status", "round__level", "round__rulebook_id", "received_at", "root_kind"
    )
    return [
        ClockRow(
            row["pk"],
            _clocks(
                rulebooks,
                rulebook_id=row["round__rulebook_id"],
                level=row["round__level"],
                status=row["status"],
                received=_local_day(row["received_at"]),
                root_kind=row["root_kind"],
                today=today,
                calendar=calendar,
            ),
        )
        for row in values
    ]


@dataclass(frozen=True)
class RoundView:
    level_name: str
    cutoff: deadlines.RoundCutoff
    article: str
    text: str


def next_rounds(rulebook, today) -> list[RoundView]:
    """The next statutory round of each level the rulebook dates rounds for (Điều 5 of
    Decision 26/2026: the province and the centre)."""
    if rulebook is None:
        return []
    return [
        RoundView(
            rulebook.level_name(level),
            deadlines.round_for(rounds, today),
            rounds.article,
            rounds.text,
        )
        for level, rounds in rulebook.timing.rounds.items()
    ]


def next_round_for(dossier, rulebook, today) -> RoundView | None:
    """The statutory round a dossier at its level goes to next: its own level's, or for a
    level that only pre-checks (the commune), the level it forwards to."""
    level = rulebook.level(dossier.round.level) or {}
    found = deadlines.next_round(rulebook.timing, level, level.get("forwards_to"), today)
    if found is None:
        return None
    code, cutoff = found
    rounds = rulebook.timing.rounds[code]
    return RoundView(rulebook.level_name(code), cutoff, rounds.article, rounds.text)


def open_criteria(tree: list[PartView]) -> list[Criterion]:
    """The criteria of the tree without an answer, in the sheet's order."""
    return [
        item.criterion
        for part in tree
        for section in part.sections
        for item in section.criteria
        if item.selected is None
    ]


def criteria_count(tree: list[PartView]) -> int:
    return sum(len(section.criteria) for part in tree for section in part.sections)


def self_answers(dossier) -> dict:
    """The producer's self-assessment of `dossier`, criterion id → option (one query)."""
    return {
        answer.criterion_id: answer.option
        for answer in Answer.objects.filter(
            scorecard__dossier=dossier, scorecard__kind=Scorecard.Kind.SELF
        ).select_related("option")
    }
