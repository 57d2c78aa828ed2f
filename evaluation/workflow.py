"""Dossier status moves: one table of allowed moves and one function that makes them.

Views, admin actions and commands all call `transition`; it locks the dossier row,
refuses an illegal move with a sentence an official understands, and writes the
history row (who, when, note) in the same transaction.
"""

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    # Decision 26/2026, Điều 7 khoản 4 điểm g: a product the province sent up that the
    # central council scores under 90 may then be recognised 3★ or 4★ by the province, on
    # the central result. Whether this level may, and whether the centre has so decided,
    # is decision_error's business.
    S.FORWARDED: {S.RECOGNISED},
    S.NOT_RECOGNISED: set(),
}
# Where a dossier ends: no move leads out.
FINAL = {status for status, moves in TRANSITIONS.items() if not moves}
# Where the evaluation at the dossier's level has ended: FINAL, or sent up, where the upper
# level's own dossier carries the evaluation on (the one move left, forwarded → recognised,
# rests on that dossier's result). Any other status is an evaluation under way.
ENDED = FINAL | {S.FORWARDED}
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


# What the button asking for a move says: the thing done, a verb (the status then says
# what the dossier is). Decisions' verbs depend on the level and the star: see verb().
VERBS = {
    S.SUBMITTED: gettext_lazy("File the dossier"),
    S.CHECKED: gettext_lazy("Accept the dossier as complete"),
    S.RETURNED: gettext_lazy("Return the dossier"),
    S.SCORING: gettext_lazy("Open scoring"),
    S.RESULT: gettext_lazy("Close scoring"),
    S.FORWARDED: gettext_lazy("Send up to the next level"),
    S.NOT_RECOGNISED: gettext_lazy("Refuse recognition"),
    S.RECOGNISED: gettext_lazy("Recognise"),
}


def verb(
    target: str,
    *,
    level: dict | None = None,
    stars: int | None = None,
    forwarded=False,
    current: str | None = None,
):
    """The words on the button asking for `target`: "Recognise 4 stars", "Approve the
    result and send it up", "Recognise 3 stars and send up to the next level"."""
    level = level or {}
    if target == S.SCORING and current == S.RESULT:
        return _("Reopen scoring")
    if target == S.RECOGNISED and stars is not None:
        if forwarded:
            return _("Recognise %(stars)s stars on the upper council's result") % {"stars": stars}
        return _("Recognise %(stars)s stars") % {"stars": stars}
    if target == S.FORWARDED and level.get("scores", True):
        if stars is not None:
            return _("Recognise %(stars)s stars and send up to the next level") % {"stars": stars}
        return _("Approve the result and send it up to the next level")
    return str(VERBS[target])


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


def decision_error(
    target: str,
    level: dict | None,
    certified_min: int,
    result,
    *,
    forwarded: bool = False,
    upper_status: str | None = None,
) -> str | None:
    """Why the rulebook does not let this level take this decision on this result, or None.

    `level` is the rulebook's entry for the round's level; `result` a CouncilResult (or
    anything with `outcome`, `stars`, `mean`). For a dossier this level has already sent
    up (`forwarded`), `result` is the upper council's and `upper_status` the upper
    dossier's status: see `upper_result_error`.
    """
    if target not in DECISIONS:
        return None
    level = level or {}
    if forwarded:
        return upper_result_error(target, level, certified_min, result, upper_status)
    if target == S.FORWARDED and level.get("prechecks") and not level.get("scores"):
        return None if level.get("forwards_to") else _("This level forwards to no other level.")
    if result is None or result.outcome not in ("final", "rejected"):
        return _("The council has no final result yet.")
    if target == S.NOT_RECOGNISED:
        return None
    if result.outcome == "rejected":
        return _("The dossier was rejected outright; it can only be not recognised.")
    threshold = level.get("forward_min_score")
    if target == S.RECOGNISED:
        if must_forward(level, result.mean):
            return _(
                "A result of %(min)s points or more is a potential five-star product: the "
                "result is approved and the dossier sent to the next level, without a "
                "certificate here. This level recognises three or four stars only if the "
                "upper council then scores it under %(min)s."
            ) % {"min": threshold}
        if recognised_stars(level, result.stars, certified_min) is None:
            return _("This level cannot recognise a %(stars)s-star result.") % {
                "stars": result.stars
            }
        return None
    if target == S.FORWARDED:
        if not level.get("forwards_to") or threshold is None:
            return _("This level does not forward products to another level.")
        if result.mean is None or result.mean < threshold:
            return _("Only products scoring %(min)s or more are forwarded.") % {"min": threshold}
    return None


def must_forward(level: dict, mean) -> bool:
    """A result this level may not recognise itself: at or above the score that sends a
    product up, where the rulebook says such a product is approved and sent up, not
    recognised (26/2026, Điều 7 khoản 3 điểm e)."""
    threshold = level.get("forward_min_score")
    return (
        threshold is not None
        and mean is not None
        and mean >= threshold
        and not level.get("recognises_at_forward_score", True)
    )


def upper_result_error(target, level, certified_min, upper_result, upper_status) -> str | None:
    """Why this level may not recognise a product it sent up, on the upper council's result.

    26/2026, Điều 7 khoản 4 điểm g: "Trường hợp sản phẩm không đạt 90 điểm, Chủ tịch UBND
    cấp tỉnh có thể căn cứ vào kết quả đánh giá của Hội đồng cấp trung ương để xem xét,
    quyết định công nhận … 3 sao, 4 sao". So: the upper level has decided not to recognise
    (the ministry notifies its result, điểm g), its council's result is final and under the
    score that sent the product up, and its star is one this level recognises.
    """
    if target != S.RECOGNISED or not level.get("recognises_after_upper_below"):
        return _("The dossier is “%(status)s”: the upper level decides on it.") % {
            "status": S.FORWARDED.label
        }
    if upper_status == S.RECOGNISED:
        return _(
            "The upper level recognised the product itself: there is nothing to recognise here."
        )
    if upper_status != S.NOT_RECOGNISED:
        return _(
            "The upper level has not decided yet: this level may recognise the product on the "
            "upper council's result only once the upper level has not recognised it."
        )
    if upper_result is None or upper_result.outcome != "final" or upper_result.mean is None:
        return _("The upper council has no final score to recognise the product on.")
    threshold = level.get("forward_min_score")
    if threshold is not None and upper_result.mean >= threshold:
        return _(
            "The upper council scored %(mean)s, not under %(min)s: the product is the upper "
            "level's to recognise."
        ) % {"mean": number_format(upper_result.mean, 2), "min": number_format(threshold)}
    if recognised_stars(level, upper_result.stars, certified_min) is None:
        return _("This level cannot recognise a %(stars)s-star result.") % {
            "stars": upper_result.stars
        }
    return None


def recognised_stars(level: dict, stars: int | None, certified_min: int) -> int | None:
    """The star this level recognises for a result: the highest it may give, not above the
    result. A 4★ result at a district that recognises only 3★ is recognised as 3★."""
    if stars is None or stars < certified_min:
        return None
    possible = [s for s in level.get("recognises", []) if s <= stars]
    return max(possible) if possible else None


def certified_stars(target: str, level: dict, certified_min: int, result) -> int | None:
    """The star a decision certifies (a certificate is issued), or None.

    Recognising certifies the star this level gives the result. Forwarding certifies only
    where the rulebook says sending up also recognises this level's star (`certificate_on_
    forward`: Decision 148 as run here); under 26/2026 the province approves a 90+ result
    and sends it to the ministry without a certificate (Điều 7 khoản 3 điểm e).
    """
    if result is None or target not in (S.RECOGNISED, S.FORWARDED):
        return None
    if target == S.FORWARDED and not level.get("certificate_on_forward", False):
        return None
    return recognised_stars(level, result.stars, certified_min)


def decision_kind(target: str, level: dict) -> str:
    """What the act taking this decision is, for its record (models.Decision.Kind):
    recognising is a decision to recognise; sending up is the approval of the result with
    the letter proposing the next level's evaluation (26/2026, Điều 7 khoản 3 điểm e; the
    commune's proposal, khoản 2 điểm b); not recognising is the written notice of the result
    (khoản 3 điểm g), since no decision is issued for a product under three stars (Điều 4
    khoản 1 điểm a)."""
    return {
        S.RECOGNISED: "recognition",
        S.FORWARDED: "forwarding",
        S.NOT_RECOGNISED: "refusal",
    }[target]


def upper_of(dossier: Dossier) -> Dossier | None:
    """The dossier this one was sent up as, if any."""
    return dossier.forwarded_to.select_related("result").order_by("-pk").first()


@transaction.atomic
def transition(
    dossier: Dossier,
    target: str,
    actor,
    note: str = "",
    *,
    level=None,
    result=None,
    upper_status=None,
    decision=None,
):
    """Move `dossier` to `target`, or raise TransitionError; returns the updated dossier.

    `decision` is the recorded act (models.Decision) a decision move rests on; it is
    written on the history row.
    """
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    check_move(locked.status, target)
    rulebook = locked.round.rulebook
    level = level or rulebook.level(locked.round.level) or {}
    if target == S.SCORING and not level.get("scores", True):
        raise TransitionError(_("Dossiers are not scored at this level; forward them instead."))
    if target in NOTE_REQUIRED and not note.strip():
        raise TransitionError(_("Please write the reasons: the producer will read them."))
    if target in DECISIONS:
        forwarded = locked.status == S.FORWARDED
        if forwarded and (result is None or upper_status is None):
            upper = upper_of(locked)
            upper_status = upper.status if upper else None
            result = getattr(upper, "result", None) if upper else None
        error = decision_error(
            target,
            level,
            rulebook.certified_min_stars,
            result if result is not None else getattr(locked, "result", None),
            forwarded=forwarded,
            upper_status=upper_status,
        )
        if error:
            raise TransitionError(error)
    previous = locked.status
    locked.status = target
    if target == S.RETURNED:
        locked.return_reasons = note
    locked.save(update_fields=["status", "return_reasons", "updated_at"])
    DossierStatusChange.objects.create(
        dossier=locked,
        from_status=previous,
        to_status=target,
        actor=actor,
        note=note,
        decision=decision,
    )
    dossier.status = locked.status
    dossier.return_reasons = locked.return_reasons
    return locked
