"""The rating rules of the decisions, as plain functions over plain data.

Nothing here touches the database or HTTP: views, admin actions, commands and
tests all call these with dataclasses, so every band edge and cap is testable
on its own.

How the council's cards combine (decided here, shown on the help page):
- Council score = the mean of the *submitted* members' totals, computed exactly
  (fractions), once quorum is reached. Bands are half-open: 69.99 is 3★, 70 is 4★.
  Displayed means are cut, not rounded, to two decimals, so 89.996 shows as 89.99
  and never as a misleading "90.00" beside a 4★.
- A criterion scores the points of the ticked option, but never more than the
  criterion's published maximum: two published sheets print an option worth more
  than its criterion (set 4 C.7, set 11 C.6.1.1; see known_discrepancies). We keep
  the printed number and bound the criterion by its printed maximum.
- Minimum-star markers (***, ****, *****) are cumulative: a 4★ product must meet
  the 3★ and 4★ minimums. A card meets a marked option by ticking it or an option
  printed after it in the same criterion (the options are printed from the lowest
  level to the highest), whatever the points printed beside them: set 11 C.6.1.1
  prints 11 points for the option *below* the 4★-marked one, and ticking it does
  not meet the 4★ minimum. How the cards combine on a minimum is the council's
  rule (`MinimumRule`); by default a strict majority of the submitted cards must
  meet it and a tie is not a majority: the decision says the minimum "must" be
  reached, so doubt counts against the star.
- The decision leaves three things to each council's operating rules; each is a
  setting of the council (`CouncilRules`), today's behaviour its default:
  `MinimumRule` (above), `ChairRule` (must the chair be among the quorum, and what
  when the chair is tied to the producer or there is none) and `SpreadRule` (does a
  majority rejection wait for re-scoring when the totals are too far apart).
- An outright-rejection clause applies when a strict majority of submitted cards
  flag it; the result is then "not recognised" whatever the score.
- The stop and elimination notes printed on criteria combine the same way, each on
  its own: a note flagged by a strict majority of the submitted cards applies, and
  the product is not rated (outcome REJECTED, the note recorded as the reason):
  * an elimination note ("Bị loại nếu …", "… sẽ bị loại bỏ", "Không đánh giá những
    sản phẩm …") excludes the product;
  * a stop note ("… sẽ không đánh giá các bước tiếp theo", "Không xem xét các chỉ tiêu
    khác nếu …") ends the evaluation at its criterion: the later criteria are not
    evaluated, so there is no complete score and no star.
  Either way the office can only decide "not recognised". Members still tick every
  criterion: a note a member flags takes effect only with a majority, and otherwise
  the member's card counts in full. A note naming criteria in `zero_points_on` (set
  16: "Nếu được 0 điểm tại một trong các chỉ tiêu trên") is flagged by a card that
  ticks a 0-point option on any of them, whether or not the member ticked the box.
- When members' totals differ by more than the council's spread limit, the result
  waits for discussion and re-scoring; under `SpreadRule.REJECTION_STANDS` a
  rejection clause or note flagged by a majority applies all the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from fractions import Fraction


# ---------------------------------------------------------------- council settings
class MinimumRule(StrEnum):
    """When the council meets a star minimum, from how many cards meet it."""

    STRICT_MAJORITY = "strict_majority"  # more than half; a tie fails (the default)
    HALF_OR_MORE = "half_or_more"  # half or more; a tie passes
    CHAIR_BREAKS_TIE = "chair_breaks_tie"  # more than half; on a tie, the chair's card
    UNANIMOUS = "unanimous"  # every submitted card


class ChairRule(StrEnum):
    """Whether the chair must be among the quorum."""

    # The chair must have submitted; a chair tied to the producer (or no chair appointed)
    # is left out and the share of scoring members alone counts (the default).
    REQUIRED = "required"
    # The chair must have submitted; with the chair tied to the producer or no chair,
    # there is no quorum until another chair is appointed.
    ALWAYS = "always"
    # The share of scoring members alone counts.
    NOT_REQUIRED = "not_required"


class SpreadRule(StrEnum):
    """What a spread over the limit does to a rejection flagged by a majority."""

    WAIT = "wait"  # everything waits for discussion and re-scoring (the default)
    REJECTION_STANDS = "rejection_stands"  # the rejection applies; only a rating waits


@dataclass(frozen=True)
class CouncilRules:
    minimums: MinimumRule = MinimumRule.STRICT_MAJORITY
    chair: ChairRule = ChairRule.REQUIRED
    spread: SpreadRule = SpreadRule.WAIT


# ---------------------------------------------------------------- data shapes
@dataclass(frozen=True)
class TierBand:
    stars: int
    min_score: Decimal


@dataclass(frozen=True)
class OptionRule:
    key: int
    points: int
    min_star: int | None
    text: str = ""
    case: str = ""  # the alternative case it belongs to ("a. Trường hợp 1"), if any


@dataclass(frozen=True)
class CriterionRule:
    key: int
    label: str  # e.g. 'A.3.6 "Sở hữu trí tuệ"'
    part: str
    max_points: int
    options: tuple[OptionRule, ...]
    star_marker: int | None = None


class NoteEffect(StrEnum):
    STOP = "stop"  # "… sẽ không đánh giá các bước tiếp theo"
    ELIMINATE = "eliminate"  # "Bị loại nếu …"


@dataclass(frozen=True)
class NoteRule:
    """A stop or elimination note printed on `criterion`."""

    key: int
    criterion: CriterionRule
    effect: NoteEffect
    text: str
    zero_points_on: tuple[CriterionRule, ...] = ()


@dataclass(frozen=True)
class Card:
    """One submitted scorecard: the ticked option's key per criterion key, and the keys
    of the rejection clauses and the stop or elimination notes the member flagged."""

    member: int
    ticks: Mapping[int, int]
    rejections: frozenset[int] = frozenset()
    eliminations: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Requirement:
    """To hold `star`, criterion `criterion` needs `option` or an option printed after it."""

    star: int
    criterion: CriterionRule
    option: OptionRule

    @property
    def option_text(self) -> str:
        return self.option.text


@dataclass(frozen=True)
class Cap:
    star: int  # the star that could not be given
    requirement: Requirement
    cards_meeting: int
    cards: int


@dataclass(frozen=True)
class Elimination:
    """A note that applies: flagged by `cards_flagging` of `cards`, a majority."""

    note: NoteRule
    cards_flagging: int
    cards: int


class Outcome(StrEnum):
    WAITING_QUORUM = "waiting_quorum"
    WAITING_SPREAD = "waiting_spread"
    REJECTED = "rejected"
    FINAL = "final"


@dataclass(frozen=True)
class NextStar:
    stars: int
    points_needed: Decimal
    missing: tuple[Requirement, ...]


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    cards: int
    mean: Fraction | None = None
    part_means: Mapping[str, Fraction] = field(default_factory=dict)
    band_stars: int | None = None
    stars: int | None = None
    caps: tuple[Cap, ...] = ()
    spread: int | None = None
    rejection: int | None = None  # index of the clause
    eliminations: tuple[Elimination, ...] = ()  # the notes that apply, in printed order
    next_star: NextStar | None = None

    @property
    def mean_display(self) -> Decimal | None:
        return cut(self.mean) if self.mean is not None else None


# ---------------------------------------------------------------- tiers
def cut(value: Fraction, places: int = 2) -> Decimal:
    """A fraction shown with `places` decimals, cut rather than rounded."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


def tier_for(score: Fraction | Decimal | int, bands: Sequence[TierBand]) -> int:
    """The star band of a score; bands are half-open [min, next min)."""
    exact = Fraction(score)
    for band in sorted(bands, key=lambda b: b.min_score, reverse=True):
        if exact >= Fraction(band.min_score):
            return band.stars
    raise ValueError(f"score {score} is below every band")


def band_minimum(stars: int, bands: Sequence[TierBand]) -> Decimal:
    return next(b.min_score for b in bands if b.stars == stars)


# ---------------------------------------------------------------- criteria
def criterion_points(criterion: CriterionRule, ticked: int) -> int:
    """Points a tick earns: the option's, bounded by the criterion's published maximum."""
    return min(ticked, criterion.max_points)


def ticked_option(criterion: CriterionRule, card: Card) -> OptionRule | None:
    key = card.ticks.get(criterion.key)
    return next((o for o in criterion.options if o.key == key), None)


def ticked_points(criterion: CriterionRule, card: Card) -> int:
    """The printed points of the card's tick on `criterion` (0 when not ticked)."""
    option = ticked_option(criterion, card)
    return option.points if option is not None else 0


def requirements(criteria: Iterable[CriterionRule]) -> list[Requirement]:
    """Every minimum the sheet marks, one per (star, criterion).

    Several options of a criterion may carry the same marker (e.g. 1**** and
    2****): the first printed of them is the minimum. A marker on the criterion's
    title with no marked option means any option worth points: the first printed
    option worth points is the minimum.
    """
    found = []
    for criterion in criteria:
        by_star: dict[int, OptionRule] = {}
        for option in criterion.options:
            if option.min_star is not None:
                by_star.setdefault(option.min_star, option)
        if criterion.star_marker and not by_star:
            first = next(o for o in criterion.options if o.points > 0)
            by_star[criterion.star_marker] = first
        for star, option in sorted(by_star.items()):
            found.append(Requirement(star, criterion, option))
    return found


def meets(requirement: Requirement, ticked_key: int | None) -> bool:
    """Does ticking option `ticked_key` meet the requirement? Only the marked option and
    the options printed after it do, whatever points are printed beside them.

    Where a criterion offers alternative cases (set 26 sections 8, 9, 15), only the
    options after the marked one *in its case* would meet it; no sheet marks such a
    criterion today.
    """
    options = requirement.criterion.options
    keys = [o.key for o in options]
    if ticked_key not in keys:
        return False
    marked = keys.index(requirement.option.key)
    ticked = keys.index(ticked_key)
    return ticked >= marked and options[ticked].case == options[marked].case


def requirements_for(star: int, all_requirements: Iterable[Requirement]) -> list[Requirement]:
    """Cumulative: a star needs its own minimums and those of every lower star."""
    return [r for r in all_requirements if r.star <= star]


def is_majority(count: int, total: int) -> bool:
    return total > 0 and 2 * count > total


def minimum_met(meeting: int, total: int, rule: MinimumRule, chair_meets: bool | None) -> bool:
    """Does the council meet a minimum that `meeting` of its `total` cards meet?
    `chair_meets` is whether the chair's card meets it (None: no card of the chair)."""
    if total <= 0:
        return False
    if rule == MinimumRule.HALF_OR_MORE:
        return 2 * meeting >= total
    if rule == MinimumRule.UNANIMOUS:
        return meeting == total
    if rule == MinimumRule.CHAIR_BREAKS_TIE and 2 * meeting == total:
        return chair_meets is True
    return is_majority(meeting, total)


def cards_meeting(requirement: Requirement, cards: Sequence[Card]) -> int:
    key = requirement.criterion.key
    return sum(1 for card in cards if meets(requirement, card.ticks.get(key)))


def flags(card: Card, note: NoteRule) -> bool:
    """Does the card flag the note: ticked by the member, or, for a note naming criteria
    in `zero_points_on`, a 0-point tick on one of them."""
    if note.key in card.eliminations:
        return True
    return any(
        (option := ticked_option(c, card)) is not None and option.points == 0
        for c in note.zero_points_on
    )


def eliminations(notes: Sequence[NoteRule], cards: Sequence[Card]) -> tuple[Elimination, ...]:
    """The notes a strict majority of the cards flag, as rejection clauses are combined."""
    applying = []
    for note in notes:
        flagging = sum(1 for card in cards if flags(card, note))
        if is_majority(flagging, len(cards)):
            applying.append(Elimination(note, flagging, len(cards)))
    return tuple(applying)


# ---------------------------------------------------------------- council
def quorum_reached(
    submitted: set[int],
    scoring_members: set[int],
    chair: int | None,
    ratio: Decimal,
    rule: ChairRule = ChairRule.REQUIRED,
) -> bool:
    """At least `ratio` of the scoring members have submitted, and, as `rule` says, the
    chair among them. `chair` is None when no chair may score this dossier (none
    appointed, or tied to the producer)."""
    if not scoring_members:
        return False
    if rule == ChairRule.ALWAYS and (chair is None or chair not in submitted):
        return False
    if rule == ChairRule.REQUIRED and chair is not None and chair not in submitted:
        return False
    present = len(submitted & scoring_members)
    return Fraction(present, len(scoring_members)) >= Fraction(ratio)


def spread(totals: Sequence[int]) -> int:
    return max(totals) - min(totals) if totals else 0


def card_total(card: Card, criteria: Sequence[CriterionRule]) -> int:
    return sum(criterion_points(c, ticked_points(c, card)) for c in criteria)


def card_part_totals(card: Card, criteria: Sequence[CriterionRule]) -> dict[str, int]:
    parts: dict[str, int] = {}
    for c in criteria:
        parts[c.part] = parts.get(c.part, 0) + criterion_points(c, ticked_points(c, card))
    return parts


def evaluate(
    criteria: Sequence[CriterionRule],
    cards: Sequence[Card],
    bands: Sequence[TierBand],
    *,
    quorum: bool,
    spread_limit: int | Decimal,
    rejection_clauses: int = 0,
    notes: Sequence[NoteRule] = (),
    council: CouncilRules = CouncilRules(),
    chair: int | None = None,
) -> Result:
    """The council's result from its submitted cards, with every reason recorded.
    `chair` is the chair's member key, for `MinimumRule.CHAIR_BREAKS_TIE`."""
    if not quorum or not cards:
        return Result(Outcome.WAITING_QUORUM, cards=len(cards))
    totals = [card_total(card, criteria) for card in cards]
    n = len(cards)
    mean = Fraction(sum(totals), n)
    parts: dict[str, int] = {}
    for card in cards:
        for part, value in card_part_totals(card, criteria).items():
            parts[part] = parts.get(part, 0) + value
    part_means = {part: Fraction(value, n) for part, value in sorted(parts.items())}
    common = {"cards": n, "mean": mean, "part_means": part_means, "spread": spread(totals)}

    too_wide = Fraction(spread(totals)) > Fraction(spread_limit)
    if too_wide and council.spread == SpreadRule.WAIT:
        return Result(Outcome.WAITING_SPREAD, **common)

    clause = next(
        (
            c
            for c in range(rejection_clauses)
            if is_majority(sum(1 for card in cards if c in card.rejections), n)
        ),
        None,
    )
    applying = eliminations(notes, cards)
    if clause is not None or applying:
        return Result(Outcome.REJECTED, rejection=clause, eliminations=applying, **common)
    if too_wide:
        return Result(Outcome.WAITING_SPREAD, **common)

    band_stars = tier_for(mean, bands)
    all_requirements = requirements(criteria)
    met = council_meets(cards, council.minimums, chair)
    stars, caps = band_stars, []
    # Walk up from the lowest marked star: the first star whose minimums are not
    # met caps the result one below it.
    for star in sorted({r.star for r in all_requirements}):
        if star > band_stars:
            break
        unmet = [
            Cap(star, r, cards_meeting(r, cards), n)
            for r in all_requirements
            if r.star == star and not met(r)
        ]
        if unmet:
            stars = min(stars, star - 1)
            caps.extend(unmet)
            break
    return Result(
        Outcome.FINAL,
        band_stars=band_stars,
        stars=stars,
        caps=tuple(caps),
        next_star=next_star(stars, mean, all_requirements, cards, bands, met),
        **common,
    )


def council_meets(
    cards: Sequence[Card], rule: MinimumRule, chair: int | None
) -> Callable[[Requirement], bool]:
    """Whether the council meets a requirement, under its rule for minimums."""
    chair_card = next((c for c in cards if chair is not None and c.member == chair), None)

    def met(requirement: Requirement) -> bool:
        chair_meets = (
            None
            if chair_card is None
            else meets(requirement, chair_card.ticks.get(requirement.criterion.key))
        )
        return minimum_met(cards_meeting(requirement, cards), len(cards), rule, chair_meets)

    return met


def next_star(
    stars: int,
    mean: Fraction,
    all_requirements: Sequence[Requirement],
    cards: Sequence[Card],
    bands: Sequence[TierBand],
    met: Callable[[Requirement], bool] | None = None,
) -> NextStar | None:
    """What the product lacks for one more star: points and unmet minimums (`met` is
    the council's rule; a strict majority of the cards by default)."""
    if met is None:
        met = council_meets(cards, MinimumRule.STRICT_MAJORITY, None)
    target = stars + 1
    if target > max(b.stars for b in bands):
        return None
    gap = Fraction(band_minimum(target, bands)) - mean
    needed = cut(gap) if gap > 0 else Decimal("0.00")
    if gap > 0 and cut(gap) < gap:
        needed += Decimal("0.01")  # round the shortfall up: 0.001 short is still short
    missing = tuple(r for r in requirements_for(target, all_requirements) if not met(r))
    return NextStar(target, needed, missing)
