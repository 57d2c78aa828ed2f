"""Dossier status moves: one table of allowed moves and one function that makes them.

Views, admin actions and commands all call `transition`; it locks the dossier row,
refuses an illegal move with a sentence an official understands, and writes the
history row (who, when, note) in the same transaction.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from evaluation.models import Dossier, DossierStatusChange

S = Dossier.Status

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.CHECKED, S.RETURNED},
    S.RETURNED: {S.SUBMITTED},
    # A level that only pre-checks (the commune under Decision 26/2026) forwards at once.
    S.CHECKED: {S.SCORING, S.FORWARDED},
    S.SCORING: {S.RESULT},
    # Back to scoring when a card is reopened or totals are re-scored after discussion.
    S.RESULT: {S.RECOGNISED, S.FORWARDED, S.NOT_RECOGNISED, S.SCORING},
    S.RECOGNISED: set(),
    S.FORWARDED: set(),
    S.NOT_RECOGNISED: set(),
}
# Where a dossier ends: no move leads out. Any other status is an evaluation under way.
FINAL = {status for status, moves in TRANSITIONS.items() if not moves}
NOTE_REQUIRED = {S.RETURNED, S.NOT_RECOGNISED}
DECISIONS = {S.RECOGNISED, S.FORWARDED, S.NOT_RECOGNISED}
# The council's own moves: scoring reaches its result when the last card the quorum needs is
# submitted (that card's author is recorded as the mover), and goes back when a card is
# reopened or the members' totals are too far apart (the note says by how much).
COUNCIL_MOVES = {(S.SCORING, S.RESULT), (S.RESULT, S.SCORING)}

# Who may ask for which move. The producer files; the council's secretary (or the level's
# office, which runs the commune pre-check) checks, returns and opens scoring; the
# level's office decides. Whether the move can happen now is TRANSITIONS' business.
PRODUCER_MOVES = {S.SUBMITTED}
MANAGER_MOVES = {S.CHECKED, S.RETURNED, S.SCORING}
DECISION_MOVES = DECISIONS
# The producer may add documents only while the dossier is in its hands.
PRODUCER_EDITS = {S.DRAFT, S.RETURNED}


def role_moves(*, producer: bool, manager: bool, decider: bool) -> set[str]:
    """The moves these roles may ask for, whatever the dossier's status."""
    mine = set()
    if producer:
        mine |= PRODUCER_MOVES
    if manager:
        mine |= MANAGER_MOVES
    if decider:
        mine |= DECISION_MOVES
    return mine


def moves_now(status: str, roles: set[str]) -> list[str]:
    """The moves offered on a dossier in `status` to someone who may ask for `roles`."""
    return sorted(TRANSITIONS.get(status, set()) & roles)


def moves_offered(dossier: Dossier, roles: set[str], result=None) -> list[str]:
    """moves_now, less the moves `transition` would refuse whatever the note: scoring at a
    level that does not score, and the decisions the rulebook does not let this level take
    on this result (`result`, a CouncilResult or None): a scoring level forwards only a
    final result of enough points, recognises only a star it may give."""
    rulebook = dossier.round.rulebook
    level = rulebook.level(dossier.round.level) or {}
    return [
        move
        for move in moves_now(dossier.status, roles)
        if not (move == S.SCORING and not level.get("scores", True))
        and decision_error(move, level, rulebook.certified_min_stars, result) is None
    ]


class TransitionError(Exception):
    pass


def check_move(current: str, target: str) -> None:
    if current == target:
        # A double click, a second tab or a colleague who was quicker: the move is already
        # made, so say that rather than "a forwarded dossier cannot become forwarded".
        raise TransitionError(
            _("The dossier is already “%(status)s”: nothing was changed.")
            % {"status": S(current).label}
        )
    if target not in TRANSITIONS.get(current, set()):
        raise TransitionError(
            _("A dossier that is “%(current)s” cannot become “%(target)s”.")
            % {"current": S(current).label, "target": S(target).label}
        )


def decision_error(target: str, level: dict | None, certified_min: int, result) -> str | None:
    """Why the rulebook does not let this level take this decision on this result, or None.

    `level` is the rulebook's entry for the round's level; `result` a CouncilResult.
    """
    if target not in DECISIONS:
        return None
    level = level or {}
    if target == S.FORWARDED and level.get("prechecks") and not level.get("scores"):
        return None if level.get("forwards_to") else _("This level forwards to no other level.")
    if result is None or result.outcome not in ("final", "rejected"):
        return _("The council has no final result yet.")
    if target == S.NOT_RECOGNISED:
        return None
    if result.outcome == "rejected":
        return _("The dossier was rejected outright; it can only be not recognised.")
    if target == S.RECOGNISED:
        if recognised_stars(level, result.stars, certified_min) is None:
            return _("This level cannot recognise a %(stars)s-star result.") % {
                "stars": result.stars
            }
        return None
    if target == S.FORWARDED:
        threshold = level.get("forward_min_score")
        if not level.get("forwards_to") or threshold is None:
            return _("This level does not forward products to another level.")
        if result.mean is None or result.mean < threshold:
            return _("Only products scoring %(min)s or more are forwarded.") % {"min": threshold}
    return None


def recognised_stars(level: dict, stars: int | None, certified_min: int) -> int | None:
    """The star this level recognises for a result: the highest it may give, not above the
    result. A 4★ result at a district that recognises only 3★ is recognised as 3★."""
    if stars is None or stars < certified_min:
        return None
    possible = [s for s in level.get("recognises", []) if s <= stars]
    return max(possible) if possible else None


@transaction.atomic
def transition(dossier: Dossier, target: str, actor, note: str = "", *, level=None, result=None):
    """Move `dossier` to `target`, or raise TransitionError; returns the updated dossier."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    check_move(locked.status, target)
    rulebook = locked.round.rulebook
    level = level or rulebook.level(locked.round.level) or {}
    if target == S.SCORING and not level.get("scores", True):
        raise TransitionError(_("Dossiers are not scored at this level; forward them instead."))
    if target in NOTE_REQUIRED and not note.strip():
        raise TransitionError(_("Please write the reasons: the producer will read them."))
    if target in DECISIONS:
        error = decision_error(
            target,
            level,
            rulebook.certified_min_stars,
            result if result is not None else getattr(locked, "result", None),
        )
        if error:
            raise TransitionError(error)
    previous = locked.status
    locked.status = target
    if target == S.RETURNED:
        locked.return_reasons = note
    locked.save(update_fields=["status", "return_reasons", "updated_at"])
    DossierStatusChange.objects.create(
        dossier=locked, from_status=previous, to_status=target, actor=actor, note=note
    )
    dossier.status = locked.status
    dossier.return_reasons = locked.return_reasons
    return locked
