"""Shapes of data for the scoring pages, built in a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from evaluation.models import (
    Answer,
    Council,
    Criterion,
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


def sheet_tree(sheet, card: Scorecard | None = None) -> list[PartView]:
    """Parts → sections → criteria → options, with the card's ticks and subtotals."""
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
