"""A member's card printed for signature, a dossier's minutes (biên bản) as PDF, and a
council's members beside each other. Who may see what is evaluation.access's answer;
the shapes are evaluation.council_papers'."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from evaluation import council_papers, deviation
from evaluation.access import dossier_access
from evaluation.models import CouncilResult, Scorecard


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@never_cache
@login_required
def card_pdf(request, pk, card_pk):
    """A member's card for signature: to exactly those who may read the card's page."""
    access = dossier_access(request.user, pk)
    card = get_object_or_404(
        access.dossier.scorecards.select_related("author"), pk=card_pk, kind=Scorecard.Kind.MEMBER
    )
    if not access.may_see_card(card):
        raise Http404
    return _pdf(
        council_papers.card_pdf(request, access.dossier, card),
        f"phieu-cham-{access.dossier.pk}-{card.pk}.pdf",
    )


@never_cache
@login_required
def minutes_pdf(request, pk):
    """The council's minutes once its result stands. They name the members and their
    totals, so they go to those who see the result beside the members (the council once
    its own card is in, the secretary, the office, the inspector, an administrator), not to
    the producer, who sees the outcome alone."""
    access = dossier_access(request.user, pk)
    dossier = access.dossier
    try:
        result = dossier.result
    except CouncilResult.DoesNotExist as exc:
        raise Http404 from exc
    if dossier.status not in council_papers.MINUTES_STATUSES:
        raise Http404
    if not (access.may_see_result and access.sees_members):
        raise Http404
    cards = list(
        dossier.scorecards.filter(
            kind=Scorecard.Kind.MEMBER, status=Scorecard.Status.SUBMITTED
        ).select_related("author")
    )
    return _pdf(
        council_papers.minutes_pdf(request, dossier, result, cards), f"bien-ban-{dossier.pk}.pdf"
    )


@login_required
def council_standing(request, pk):
    """Each member's average signed deviation from the others over the council's dossiers,
    for the secretary, the office, the inspector and administrators; a 404 to anyone else."""
    council = get_object_or_404(
        council_papers.councils_standing_visible_to(request.user).select_related("unit"), pk=pk
    )
    return render(
        request,
        "evaluation/council_standing.html",
        {
            "council": council,
            "rows": council_papers.council_standings(council),
            "flag_points": deviation.FLAG_POINTS,
            "flag_dossiers": deviation.FLAG_MIN_DOSSIERS,
        },
    )
