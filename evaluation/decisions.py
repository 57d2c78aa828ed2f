"""Decisions on a council's result: recognise, forward to the next level, not recognise.

Which level may recognise which star and when a product goes up come from the
rulebook (levels of Decision 148: district 3★ → city 4★ → central 5★; of 26/2026:
commune pre-check → province 3★/4★ → central 5★). One function takes every
decision: it locks the dossier, checks the rulebook, moves the status, issues the
certificate and opens the next level's dossier in one transaction, so two officials
approving at once leave one decision and one certificate.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import certificates, filing, workflow
from evaluation.models import CouncilResult, Dossier, EvaluationRound

S = Dossier.Status


def next_round(dossier: Dossier, level: dict) -> EvaluationRound:
    """The latest round of the next level for this product's province (or the centre)."""
    target = level.get("forwards_to")
    rounds = EvaluationRound.objects.filter(rulebook=dossier.round.rulebook, level=target)
    if target != "central":
        province = dossier.product.producer.commune.parent
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


@transaction.atomic
def decide(dossier: Dossier, target: str, actor, note: str = "", today=None) -> Dossier:
    # Lock the dossier row only: PostgreSQL refuses FOR UPDATE on the outer join to the
    # commune's parent, and locking the rulebook and unit rows would serialise unrelated work.
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("round__rulebook", "product__producer__commune__parent")
        .get(pk=dossier.pk)
    )
    rulebook = locked.round.rulebook
    level = rulebook.level(locked.round.level) or {}
    result = CouncilResult.objects.filter(dossier=locked).first()
    updated = workflow.transition(locked, target, actor, note, level=level, result=result)
    stars = None
    if target in (S.RECOGNISED, S.FORWARDED) and result is not None:
        stars = workflow.recognised_stars(level, result.stars, rulebook.certified_min_stars)
    if stars is not None:
        certificates.issue(updated, stars, actor, today=today)
    elif target == S.NOT_RECOGNISED and filing.root(updated).kind == Dossier.Kind.REEVALUATION:
        # The result a certificate kept in force past expiry was waiting for.
        certificates.end_extension(updated.product, today or timezone.localdate(), actor)
    if target == S.FORWARDED:
        destination = next_round(updated, level)
        upper = Dossier.objects.create(
            round=destination,
            product=updated.product,
            sheet=updated.sheet,
            kind=Dossier.Kind.UPGRADE,
            forwarded_from=updated,
        )
        workflow.transition(
            upper,
            S.SUBMITTED,
            actor,
            _("Forwarded from %(round)s with a mean of %(mean)s.")
            % {"round": updated.round.name, "mean": result.mean if result else "—"},
        )
    dossier.status = updated.status
    return updated
