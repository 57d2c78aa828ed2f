"""How far each member stands from the rest of the council: a rule as data and plain functions.

Review systems watch their referees: one who always scores far above or below the others
is talked to, not overruled. The same is done here, for the secretary and the office, never
for members while they score (independence) nor for producers.

A member's deviation on a dossier is their total minus the mean of the *other* members'
totals on that dossier (leave-one-out): with four members, a mean that included the
member would pull a quarter of their own gap towards them and hide it. The same for a
criterion: their points minus the mean of the others' points.

The flag: a member whose signed deviation averages FLAG_POINTS or more (above or below)
over at least FLAG_MIN_DOSSIERS dossiers is listed "for discussion". Why these figures:
the sheet has 100 points and the star bands are 20 points wide, so 5 points is
a quarter of a band, enough to move a product across a band's edge on its own in a
four-member council (5 ÷ 4 ≈ 1.25 points of the mean), yet below the spread councils
tolerate between members (the default spread limit, 10 points). Fewer than three
dossiers is chance, not a habit.
Averaging the signed deviation (not its size) is what "consistently above or below"
means: a member who is generous once and strict once evens out and is not flagged.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FLAG_POINTS = Decimal(5)
FLAG_MIN_DOSSIERS = 3
TWO_PLACES = Decimal("0.01")


def _mean(values: Iterable) -> Decimal | None:
    values = [Decimal(v) for v in values]
    if not values:
        return None
    return (sum(values) / len(values)).quantize(TWO_PLACES, ROUND_HALF_UP)


def leave_one_out(values: Mapping[Hashable, int | Decimal]) -> dict[Hashable, Decimal]:
    """Each key's value minus the mean of the others' (no entry when it stands alone)."""
    out = {}
    for key, value in values.items():
        others = _mean(v for k, v in values.items() if k != key)
        if others is not None:
            out[key] = (Decimal(value) - others).quantize(TWO_PLACES, ROUND_HALF_UP)
    return out


def others_mean(values: Mapping[Hashable, int | Decimal], key) -> Decimal | None:
    return _mean(v for k, v in values.items() if k != key)


@dataclass(frozen=True)
class Standing:
    """A member's place beside the council over a number of dossiers."""

    dossiers: int
    mean_deviation: Decimal | None  # signed: above the others when positive

    @property
    def flagged(self) -> bool:
        return flag(self.dossiers, self.mean_deviation)

    @property
    def direction(self) -> str:
        if self.mean_deviation is None or self.mean_deviation == 0:
            return "level"
        return "above" if self.mean_deviation > 0 else "below"


def flag(dossiers: int, mean_deviation: Decimal | None) -> bool:
    """For discussion: far from the others on average, over enough dossiers to be a habit."""
    return (
        mean_deviation is not None
        and dossiers >= FLAG_MIN_DOSSIERS
        and abs(mean_deviation) >= FLAG_POINTS
    )


def standing(deviations: Iterable[Decimal]) -> Standing:
    deviations = list(deviations)
    return Standing(len(deviations), _mean(deviations))


def standings(dossier_totals: Iterable[Mapping[Hashable, int]]) -> dict[Hashable, Standing]:
    """Every member's standing over dossiers, each given as member → total on that dossier.
    A dossier with a single card has no council to compare with and counts for no one."""
    per_member: dict[Hashable, list[Decimal]] = {}
    for totals in dossier_totals:
        for member, deviation in leave_one_out(totals).items():
            per_member.setdefault(member, []).append(deviation)
    return {member: standing(devs) for member, devs in per_member.items()}
