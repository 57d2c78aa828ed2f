"""Taking a decision as the legal act it is: a confirmation page that shows the council's
result and the proposed stars and asks for the act's number, date, signer and authority;
then the acts themselves, listed and printable.

Nothing here decides in one click: the dossier page links to the confirmation (GET), and
only its form (POST) records the act and applies it (evaluation.decisions.decide_many).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from evaluation import acts, decisions, papers, workflow
from evaluation.access import decisions_visible_to, dossier_access, is_official
from evaluation.forms import DecisionForm
from evaluation.models import Decision, Dossier

S = Dossier.Status

#: The address part of each decision, in Vietnamese as the site's addresses are.
ACTIONS = {
    "cong-nhan": S.RECOGNISED,
    "chuyen-len": S.FORWARDED,
    "khong-cong-nhan": S.NOT_RECOGNISED,
}
SLUGS = {target: slug for slug, target in ACTIONS.items()}


def _companions(dossier, target, level):
    """Other dossiers of the same round, in the same status, on which the same decision is
    possible now: an office decides a round's products in one act. Only dossiers deciding
    on their own result (not a dossier sent up, whose basis is another level's result)."""
    if dossier.status == S.FORWARDED:
        return []
    rulebook = dossier.round.rulebook
    rows = []
    for other in (
        Dossier.objects.filter(round=dossier.round, status=dossier.status)
        .exclude(pk=dossier.pk)
        .select_related("product__producer", "result")
        .order_by("product__name", "pk")
    ):
        result = getattr(other, "result", None)
        if target in workflow.NOTE_REQUIRED:
            # Reasons are written for one product: a refusal is not copied to others.
            continue
        if workflow.decision_error(target, level, rulebook.certified_min_stars, result):
            continue
        stars = workflow.certified_stars(target, level, rulebook.certified_min_stars, result)
        rows.append((other, result, stars))
    return rows


def _initial(dossier):
    """The act's fields as the office usually fills them: today, its authority, and the
    signer of its last act (the same chair signs a season's decisions)."""
    round_ = dossier.round
    last = (
        Decision.objects.filter(level=round_.level, unit=round_.unit)
        .order_by("-created_at", "-pk")
        .first()
    )
    return {
        "signed_on": timezone.localdate(),
        "authority": last.authority if last else acts.authority_name(round_.level, round_.unit),
        "signer_name": last.signer_name if last else "",
        "signer_title": last.signer_title if last else acts.signer_title_guess(round_.level),
    }


@never_cache
@login_required
def decision_confirm(request, pk, action):
    target = ACTIONS.get(action)
    if target is None:
        raise Http404
    access = dossier_access(request.user, pk)
    access.require(access.decides and target in access.moves)
    dossier = access.dossier
    error, stars, result = decisions.proposal(dossier, target)
    if error:
        # Decided meanwhile, or not this decision: the dossier page says what is possible.
        messages.error(request, error)
        return redirect("evaluation:dossier", pk=pk)
    rulebook = dossier.round.rulebook
    level = rulebook.level(dossier.round.level) or {}
    forwarded = dossier.status == S.FORWARDED
    companions = _companions(dossier, target, level)
    choices = [
        (
            other.pk,
            f"{other.product.name} — {other.product.producer.name}"
            + (f" — {result.mean}" if result is not None and result.mean is not None else ""),
        )
        for other, result, _stars in companions
    ]
    form_kwargs = {
        "today": timezone.localdate(),
        "earliest": dossier.round.opens_on,
        "others": choices,
        "note_required": target in workflow.NOTE_REQUIRED,
    }
    status = 200
    if request.method == "POST":
        form = DecisionForm(request.POST, **form_kwargs)
        if form.is_valid():
            by_pk = {other.pk: other for other, _result, _stars in companions}
            chosen = [dossier] + [by_pk[p] for p in form.cleaned_data["also"] if p in by_pk]
            try:
                record = decisions.decide_many(
                    chosen, target, request.user, form.cleaned_data["note"], act=form.act()
                )
            except acts.ActError as exc:
                form.add_error(exc.field, str(exc))
            except workflow.TransitionError as exc:
                messages.error(request, str(exc))
                return redirect("evaluation:dossier", pk=pk)
            else:
                messages.success(request, papers.recorded_message(record, len(chosen), target))
                return redirect("evaluation:dossier", pk=pk)
        status = 400
    else:
        form = DecisionForm(initial=_initial(dossier), **form_kwargs)
    upper = workflow.upper_of(dossier) if forwarded else None
    return render(
        request,
        "evaluation/decision_confirm.html",
        {
            "access": access,
            "dossier": dossier,
            "target": target,
            "action": action,
            "verb": workflow.verb(target, level=level, stars=stars, forwarded=forwarded),
            "kind": Decision.Kind(workflow.decision_kind(target, level)),
            "stars": stars,
            "result": result,
            "upper": upper,
            "level": level,
            "must_forward": target == S.FORWARDED
            and workflow.must_forward(level, getattr(result, "mean", None)),
            "next_level": rulebook.level_name(level["forwards_to"])
            if level.get("forwards_to")
            else "",
            "companions": companions,
            "form": form,
        },
        status=status,
    )


@login_required
def decision_list(request):
    """The acts an official may open, latest first, with what each covers."""
    if not is_official(request.user):
        raise Http404
    rows = papers.decision_list(decisions_visible_to(request.user))
    return render(request, "evaluation/decision_list.html", {"rows": rows})


def _decision(request, pk) -> Decision:
    try:
        return (
            decisions_visible_to(request.user)
            .select_related("rulebook", "unit", "created_by")
            .get(pk=pk)
        )
    except (Decision.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@login_required
def decision_detail(request, pk):
    """The act as a printable page: its head, legal basis, every product it covers, the
    signature, and where it came from (recorded by whom, when, and every change since)."""
    decision = _decision(request, pk)
    return render(
        request,
        "evaluation/decision_detail.html",
        {
            "decision": decision,
            "rows": papers.decision_rows(decision),
            "changes": papers.decision_changes(decision),
            "certificates_pdf": reverse("evaluation:certificates_pdf")
            + f"?quyet-dinh={decision.pk}",
        },
    )


@login_required
def decision_pdf(request, pk):
    decision = _decision(request, pk)
    pdf = papers.decision_pdf(request, decision)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="quyet-dinh-{decision.pk}.pdf"'
    return response
