"""Decisions on a council's result: recognise, forward to the next level, not recognise.

Which level may recognise which star and when a product goes up come from the rulebook
(levels of Decision 148: district 3★ → city 4★ → central 5★; of 26/2026: commune pre-check
→ province 3★/4★, a 90+ result approved and sent to the ministry without a certificate →
central 5★, and back to the province for 3★/4★ if the ministry's council scores under 90).
The rules are pure functions in evaluation.workflow; this module applies them.

Every decision is a legal act (evaluation.acts): one function takes it for one dossier or
many. It locks the dossiers, checks every move before writing anything, records the act,
moves the statuses, issues the certificates and opens the next level's dossiers in one
transaction, so two officials approving at once leave one act, one decision and one
certificate per product.
"""

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from evaluation import acts, certificates, filing, workflow
from evaluation.acts import Act
from evaluation.models import CouncilResult, Dossier, EvaluationRound

S = Dossier.Status

__all__ = ["Act", "basis", "decide", "decide_many", "next_round", "proposal"]


def next_round(dossier: Dossier, level: dict) -> EvaluationRound:
    """The latest round of the next level for this product's province (or the centre)."""
    target = level.get("forwards_to")
    rounds = EvaluationRound.objects.filter(rulebook=dossier.round.rulebook, level=target)
    if target != "central":
        province = dossier.product.producer.province_unit  # commune's, or kept (import)
        rounds = rounds.filter(unit=province)
    found = rounds.order_by("-opens_on").first()
    if found is None:
        raise workflow.TransitionError(
            _(
                "There is no evaluation round at the “%(level)s” level to send this product to; "
                "ask the administrator to open one."
            )
            % {"level": dossier.round.rulebook.level_name(target)}
        )
    return found


def basis(dossier: Dossier):
    """(the council result a decision on this dossier rests on, the upper dossier's status):
    the dossier's own result, or for a dossier this level sent up, the upper council's
    (Decision 26/2026, Điều 7 khoản 4 điểm g)."""
    if dossier.status == S.FORWARDED:
        upper = workflow.upper_of(dossier)
        if upper is None:
            return None, None
        return CouncilResult.objects.filter(dossier=upper).first(), upper.status
    return CouncilResult.objects.filter(dossier=dossier).first(), None


def proposal(dossier: Dossier, target: str):
    """What deciding `target` on this dossier would do now: (error or None, stars certified
    or None, the result it rests on). For the confirmation page and the dossier's buttons."""
    rulebook = dossier.round.rulebook
    level = rulebook.level(dossier.round.level) or {}
    result, upper_status = basis(dossier)
    try:
        workflow.check_move(dossier.status, target)
    except workflow.TransitionError as refused:  # decided meanwhile, or not at this stage
        return str(refused), None, result
    error = workflow.decision_error(
        target,
        level,
        rulebook.certified_min_stars,
        result,
        forwarded=dossier.status == S.FORWARDED,
        upper_status=upper_status,
    )
    stars = workflow.certified_stars(target, level, rulebook.certified_min_stars, result)
    return error, (None if error else stars), result


def decide(dossier: Dossier, target: str, actor, note: str = "", *, act: Act) -> Dossier:
    """One dossier's decision (see decide_many); returns the dossier as updated."""
    decide_many([dossier], target, actor, note, act=act)
    dossier.refresh_from_db(fields=["status"])
    return dossier


@transaction.atomic
def decide_many(dossiers, target: str, actor, note: str = "", *, act: Act):
    """Take one decision, recorded as `act`, on every dossier given; all or none.

    Returns the recorded models.Decision. Raises workflow.TransitionError (a move not
    possible now, named per product when there are several) or acts.ActError (the number
    is already recorded by this authority this year).
    """
    pks = sorted({d.pk for d in dossiers})
    if not pks:
        raise workflow.TransitionError(_("Choose at least one dossier."))
    # Lock the dossier rows only, in one order (two officials picking overlapping lists
    # cannot deadlock): PostgreSQL refuses FOR UPDATE on the outer join to the commune's
    # parent, and locking the rulebook and unit rows would serialise unrelated work.
    locked = list(
        Dossier.objects.select_for_update(of=("self",))
        .select_related("round__rulebook", "round__unit", "product__producer__commune__parent")
        .filter(pk__in=pks)
        .order_by("pk")
    )
    first = locked[0]
    authority = (first.round.level, first.round.unit_id, first.round.rulebook_id)
    if len(locked) != len(pks) or any(
        (d.round.level, d.round.unit_id, d.round.rulebook_id) != authority for d in locked
    ):
        raise workflow.TransitionError(
            _("One decision covers dossiers of one level, unit and rulebook only.")
        )
    rulebook = first.round.rulebook
    level = rulebook.level(first.round.level) or {}

    # Every move is checked before anything is written: the act covers all or none.
    plans = []
    for dossier in locked:
        result, upper_status = basis(dossier)
        try:
            workflow.check_move(dossier.status, target)
            if target in workflow.NOTE_REQUIRED and not note.strip():
                raise workflow.TransitionError(
                    _("Please write the reasons: the producer will read them.")
                )
            error = workflow.decision_error(
                target,
                level,
                rulebook.certified_min_stars,
                result,
                forwarded=dossier.status == S.FORWARDED,
                upper_status=upper_status,
            )
            if error:
                raise workflow.TransitionError(error)
        except workflow.TransitionError as exc:
            if len(locked) == 1:
                raise
            raise workflow.TransitionError(f"{dossier.product.name}: {exc}") from exc
        plans.append((dossier, result, upper_status))

    decision = acts.record(
        act,
        kind=workflow.decision_kind(target, level),
        level=first.round.level,
        unit=first.round.unit,
        rulebook=rulebook,
        actor=actor,
        note=note,
    )
    for dossier, result, upper_status in plans:
        updated = workflow.transition(
            dossier,
            target,
            actor,
            note,
            level=level,
            result=result,
            upper_status=upper_status,
            decision=decision,
        )
        stars = workflow.certified_stars(target, level, rulebook.certified_min_stars, result)
        if stars is not None:
            certificates.issue(updated, stars, actor, decision=decision)
        elif target == S.NOT_RECOGNISED and filing.root(updated).kind == Dossier.Kind.REEVALUATION:
            # The result a certificate kept in force past expiry was waiting for, given on
            # the notice's date.
            certificates.end_extension(updated.product, decision.signed_on, actor)
        if target == S.FORWARDED:
            _send_up(updated, level, result, actor, decision)
    return decision


def _send_up(dossier: Dossier, level: dict, result, actor, decision):
    destination = next_round(dossier, level)
    # The producer's application carried on, of the same kind: not a new "upgrade"
    # application of the producer's (Decision 26/2026, Điều 6 khoản 1 điểm b).
    upper = Dossier.objects.create(
        round=destination,
        product=dossier.product,
        sheet=dossier.sheet,
        kind=dossier.kind,
        forwarded_from=dossier,
    )
    workflow.transition(
        upper,
        S.SUBMITTED,
        actor,
        _("Forwarded from %(round)s with a mean of %(mean)s, by %(act)s.")
        % {
            "round": dossier.round.name,
            # In the actor's language's style (82,00), like every number the site shows.
            "mean": (
                number_format(result.mean, 2)
                if result is not None and result.mean is not None
                else "—"
            ),
            "act": decision.number,
        },
        decision=decision,
    )
