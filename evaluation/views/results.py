from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from evaluation import council_papers
from evaluation.access import dossier_access
from evaluation.models import Council, CouncilResult, Scorecard
from evaluation.presenters import council_rules_lines


@login_required
def result_detail(request, pk):
    """The council's result with every reason: means, caps, spread, what the next star needs."""
    access = dossier_access(request.user, pk)
    dossier = access.dossier
    try:
        result = dossier.result
    except CouncilResult.DoesNotExist as exc:
        raise Http404 from exc
    # Not yet formed for this user (a member still scoring, a producer before the
    # decision, a result reopened for re-scoring): as if there were none.
    if not access.may_see_result:
        raise Http404
    cards = (
        dossier.scorecards.filter(
            kind=Scorecard.Kind.MEMBER, status=Scorecard.Status.SUBMITTED
        ).select_related("author")
        if access.sees_members
        else Scorecard.objects.none()
    )
    cards = list(cards)
    # How far each member stands from the others: for those who run, decide and inspect the
    # round, never for a member (independence) nor the producer.
    columns, deviation_rows = (
        council_papers.dossier_deviations(dossier, cards) if access.sees_deviations else ([], [])
    )
    clause = (
        dossier.sheet.rejection_clauses[result.rejection_clause]
        if result.rejection_clause is not None
        else None
    )
    return render(
        request,
        "evaluation/result.html",
        {
            "access": access,
            "dossier": dossier,
            "result": result,
            "cards": cards,
            "clause": clause,
            "council": dossier.round.council,
            "columns": columns,
            "deviation_rows": deviation_rows,
            "minutes": dossier.status in council_papers.MINUTES_STATUSES,
            # The rules the result was computed under (the council's today, for a result
            # stored before results recorded them).
            "council_rules": council_rules_lines(
                result.council_rules or dossier.round.council.rules_snapshot()
            ),
        },
    )


def scoring_help(request):
    fields = [
        Council._meta.get_field(name) for name in ("minimum_rule", "chair_rule", "spread_rule")
    ]
    settings = [(field.verbose_name, field.choices) for field in fields]
    return render(request, "evaluation/help.html", {"settings": settings})
