from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import presenters, scoring
from evaluation.access import dossier_access
from evaluation.forms import CommentForm, EliminationForm, RejectionForm, ReopenForm, TickForm
from evaluation.models import EliminationNote, Scorecard
from evaluation.presenters import sheet_tree


def _own_card(request, pk, kind):
    """The card the user fills on this dossier: member card or producer self-assessment."""
    access = dossier_access(request.user, pk)
    try:
        if kind == Scorecard.Kind.SELF:
            access.require(access.is_producer)
            return access, scoring.self_assessment(access.dossier, request.user)
        access.require(access.is_scoring_member)
        return access, scoring.member_card(access.dossier, request.user)
    except scoring.ScoringError as exc:
        messages.error(request, str(exc))
        return access, None


@login_required
def scorecard_edit(request, pk, kind=Scorecard.Kind.MEMBER):
    access, card = _own_card(request, pk, kind)
    if card is None:
        return redirect("evaluation:dossier", pk=pk)
    if request.method == "POST":  # the whole form, for browsers without JavaScript
        try:
            if card.kind == Scorecard.Kind.SELF:
                scoring.require_self_assessment_editable(card)
        except scoring.FrozenError as exc:
            messages.error(request, str(exc))
            return render(
                request, "evaluation/scorecard.html", _card_context(access, card), status=409
            )
        errors = _save_all(request, card)
        if errors:
            for error in errors:
                messages.error(request, error)
        else:
            messages.success(request, _("Your ticks are saved."))
        return redirect(request.path)
    return render(request, "evaluation/scorecard.html", _card_context(access, card))


def _card_context(access, card):
    # The form is offered only where a tick would be saved: the self-assessment while the
    # dossier is the producer's, a member's card while the council scores (after the
    # decision, a card never submitted stays as it was left).
    if card.kind == Scorecard.Kind.SELF:
        frozen = not access.may_upload
    else:
        frozen = access.dossier.status not in scoring.OPEN_STATUSES
    dossier = access.dossier
    member = card.kind == Scorecard.Kind.MEMBER
    # A member scores with the product and its papers beside the options, and the
    # producer's own answer under each criterion (Mẫu số 02, Phần III).
    tree = sheet_tree(
        dossier.sheet, card, beside=presenters.self_answers(dossier) if member else None
    )
    open_criteria, count = presenters.open_criteria(tree), presenters.criteria_count(tree)
    return {
        "access": access,
        "dossier": dossier,
        "card": card,
        "tree": tree,
        "open_criteria": open_criteria,
        "criteria_count": count,
        "answered_count": count - len(open_criteria),
        "editable": not card.is_locked and not frozen,
        "clauses": list(enumerate(dossier.sheet.rejection_clauses)),
        "comment_chars": scoring.COMMENT_CHARS,
        "product": dossier.product if member else None,
        "photos": list(dossier.product.photos.all()[:4]) if member else [],
        "documents": list(dossier.documents.all()) if member else [],
    }


def _number(text: str) -> int | None:
    """An id or a clause index from the form: plain ASCII digits that fit in 64 bits.

    str.isdigit() alone also accepts "²" (which int() refuses) and 5,000 digits (which
    int() refuses too, or SQLite cannot hold): each was a 500.
    """
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


@transaction.atomic
def _save_all(request, card):
    """Every tick and flag of the whole form (browsers without JavaScript) in one
    transaction: a fault half way leaves the card as it was, not half saved. A refused
    tick is a sentence, and the others are still saved (each in its own savepoint)."""
    errors = []
    for key, value in request.POST.items():
        if key.startswith("c") and key[1:].isdigit():
            criterion, option = _number(key[1:]), _number(value)
            try:
                if criterion is None or option is None:
                    # The same sentence the service gives for an option of another sheet,
                    # rather than Python's "invalid literal for int()".
                    raise scoring.ScoringError(_("That option does not belong to this sheet."))
                scoring.tick(card, criterion, option, request.user)
            except scoring.ScoringError as exc:
                errors.append(str(exc))
    flagged = {_number(v) for v in request.POST.getlist("rejection")} - {None}
    for clause in range(len(card.dossier.sheet.rejection_clauses)):
        try:
            scoring.flag_rejection(card, clause, clause in flagged, request.user)
        except scoring.ScoringError as exc:
            errors.append(str(exc))
    if card.kind == Scorecard.Kind.MEMBER:
        errors += _save_comments(request, card)
        noted = {_number(v) for v in request.POST.getlist("elimination")} - {None}
        card.refresh_from_db(fields=["eliminations"])
        for note in EliminationNote.objects.filter(criterion__sheet=card.dossier.sheet_id):
            if (note.pk in noted) == (note.pk in card.eliminations):
                continue
            try:
                card = scoring.flag_elimination(card, note.pk, note.pk in noted, request.user)
            except scoring.ScoringError as exc:
                errors.append(str(exc))
    return errors


def _save_comments(request, card) -> list[str]:
    """The notes typed under the criteria ("comment-<criterion id>"), each in its own
    savepoint: one too long is refused in words, the others are saved."""
    errors = []
    for key, value in request.POST.items():
        if not key.startswith("comment-"):
            continue
        criterion = _number(key.removeprefix("comment-"))
        try:
            if criterion is None:
                raise scoring.ScoringError(_("There is no such criterion on this sheet."))
            scoring.write_comment(card, criterion, value, request.user)
        except scoring.ScoringError as exc:
            errors.append(str(exc))
    return errors


@login_required
@require_POST
def scorecard_autosave(request, pk, kind=Scorecard.Kind.MEMBER):
    """One tick, rejection flag, note flag or note on a criterion, saved at once; answers
    JSON for the page's script."""
    if kind == Scorecard.Kind.MEMBER and not {"note", "clause", "comment"} & request.POST.keys():
        # The fast path for a member's tick (scoring.quick_tick); anything unusual, from
        # a refusal to an unreadable form, goes on to the full path below, which answers.
        # The two numbers are read as TickForm reads them, without building the form.
        criterion = _number(request.POST.get("criterion", ""))
        option = _number(request.POST.get("option", ""))
        if criterion is not None and option is not None:
            card = scoring.quick_tick(request.user, pk, criterion, option)
            if card is not None:
                return JsonResponse({"total": card.total, "saved_at": card.updated_at.isoformat()})
    access, card = _own_card(request, pk, kind)
    if card is None:
        return JsonResponse({"error": _("This card cannot be changed.")}, status=409)
    try:
        if "comment" in request.POST:
            form = CommentForm(request.POST)
            if not form.is_valid():
                return JsonResponse({"error": _("Unreadable request.")}, status=400)
            card = scoring.write_comment(
                card, form.cleaned_data["criterion"], form.cleaned_data["comment"], request.user
            )
        elif "note" in request.POST:
            form = EliminationForm(request.POST)
            if not form.is_valid():
                return JsonResponse({"error": _("Unreadable request.")}, status=400)
            card = scoring.flag_elimination(
                card, form.cleaned_data["note"], form.cleaned_data["flagged"], request.user
            )
        elif "clause" in request.POST:
            form = RejectionForm(request.POST)
            if not form.is_valid():
                return JsonResponse({"error": _("Unreadable request.")}, status=400)
            card = scoring.flag_rejection(
                card, form.cleaned_data["clause"], form.cleaned_data["flagged"], request.user
            )
        else:
            form = TickForm(request.POST)
            if not form.is_valid():
                return JsonResponse({"error": _("Unreadable request.")}, status=400)
            card = scoring.tick(
                card, form.cleaned_data["criterion"], form.cleaned_data["option"], request.user
            )
    except scoring.ScoringError as exc:
        return JsonResponse({"error": str(exc)}, status=409)
    return JsonResponse({"total": card.total, "saved_at": card.updated_at.isoformat()})


@login_required
def scorecard_submit(request, pk, kind=Scorecard.Kind.MEMBER):
    """GET asks for confirmation; POST locks the card. A second POST changes nothing."""
    access, card = _own_card(request, pk, kind)
    if card is None:
        return redirect("evaluation:dossier", pk=pk)
    if request.method == "POST":
        try:
            scoring.submit(card, request.user)
        except scoring.ScoringError as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
        messages.success(request, _("Your card is submitted and locked."))
        return redirect("evaluation:dossier", pk=pk)
    clauses = access.dossier.sheet.rejection_clauses
    return render(
        request,
        "evaluation/scorecard_confirm.html",
        {
            "dossier": access.dossier,
            "card": card,
            "missing": scoring.missing_criteria(card),
            # What the member flagged, read once more before the card is locked.
            "flagged": [clauses[i] for i in card.rejections if 0 <= i < len(clauses)]
            + [
                f"{note.criterion}: {note.text}"
                for note in EliminationNote.objects.filter(
                    pk__in=card.eliminations, criterion__sheet=access.dossier.sheet_id
                ).select_related("criterion")
            ],
        },
    )


@login_required
def scorecard_view(request, pk, card_pk):
    """A card read-only: the secretary any time; a member once their own card is submitted."""
    access = dossier_access(request.user, pk)
    card = get_object_or_404(access.dossier.scorecards.select_related("author"), pk=card_pk)
    # Another member's card is not even said to exist before one's own is submitted.
    if not access.may_see_card(card):
        raise Http404
    return render(
        request,
        "evaluation/scorecard.html",
        {
            "access": access,
            "dossier": access.dossier,
            "card": card,
            "editable": False,
            "tree": sheet_tree(access.dossier.sheet, card),
            "clauses": list(enumerate(access.dossier.sheet.rejection_clauses)),
        },
    )


@login_required
@require_POST
def scorecard_reopen(request, pk, card_pk):
    access = dossier_access(request.user, pk)
    card = get_object_or_404(access.dossier.scorecards, pk=card_pk)
    # A card one may not read is not said to exist here either (a 403 for it and a 404 for
    # an unknown number told a member still scoring whose cards were opened).
    if not access.may_see_card(card):
        raise Http404
    access.require(access.manages)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the reason for reopening the card."))
        return redirect("evaluation:dossier", pk=pk)
    try:
        scoring.reopen(card, request.user, form.cleaned_data["reason"])
    except scoring.ScoringError as exc:
        # Once the dossier is decided its cards are closed; the service says so (a 500 before).
        messages.error(request, str(exc))
        return redirect("evaluation:dossier", pk=pk)
    messages.success(request, _("The card of %s is open again.") % card.author)
    return redirect("evaluation:dossier", pk=pk)
