"""A producer's side of a dossier: starting one for their own product, attaching,
replacing and removing its papers until it is filed, and filing it through a page that
lists what is still missing (evaluation.checklist, evaluation.filing)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import checklist, filing, workflow
from evaluation.access import dossier_access
from evaluation.forms import ReplaceDocumentForm, StartDossierForm
from evaluation.models import Dossier, EvaluationRound
from registry.models import Product

S = Dossier.Status


def _own_products(user):
    return (
        Product.objects.filter(producer__users=user)
        .select_related("producer__commune__parent__parent", "product_set")
        .order_by("name")
    )


@login_required
def dossier_start(request):
    """The producer's products, each with the rounds it may enter today and what is
    under way; a POST starts a draft dossier. Anyone without a producer gets a 404."""
    products = list(_own_products(request.user))
    if not products:
        raise Http404
    if request.method == "POST":
        form = StartDossierForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the product, the round and the kind of dossier."))
            return redirect("evaluation:start")
        product = next((p for p in products if p.pk == form.cleaned_data["product"]), None)
        round_ = EvaluationRound.objects.filter(pk=form.cleaned_data["round"]).first()
        if product is None or round_ is None:
            raise Http404
        try:
            dossier = filing.start_dossier(product, round_, form.cleaned_data["kind"])
        except filing.StartRefused as refused:
            messages.error(request, str(refused))
            return redirect("evaluation:start")
        messages.success(
            request,
            _("The dossier is started. Attach the papers on the list, then file it."),
        )
        return redirect("evaluation:dossier", pk=dossier.pk)
    today = timezone.localdate()
    rounds = filing.open_entry_rounds(today)
    current = filing.under_way(products)
    rows = [
        {
            "product": product,
            "rounds": filing.rounds_for(product, rounds),
            "under_way": current.get(product.pk),
            "kind": filing.suggested_kind(product, today),
        }
        for product in products
    ]
    return render(
        request, "evaluation/dossier_start.html", {"rows": rows, "kinds": Dossier.Kind.choices}
    )


def _editable_document(request, pk, document_pk):
    access = dossier_access(request.user, pk)
    access.require(access.is_producer)
    document = get_object_or_404(access.dossier.documents, pk=document_pk)
    return access, document


def _filed_refusal(request, pk):
    messages.error(
        request,
        _("The dossier is filed: its papers can be changed again only if it is returned to you."),
    )
    return redirect("evaluation:dossier", pk=pk)


@login_required
@require_POST
def document_remove(request, pk, document_pk):
    access, document = _editable_document(request, pk, document_pk)
    with transaction.atomic():
        # The status is read again under the row lock: a dossier filed in another tab a
        # moment ago keeps every paper it was filed with.
        locked = Dossier.objects.select_for_update().get(pk=pk)
        if locked.status not in workflow.PRODUCER_EDITS:
            return _filed_refusal(request, pk)
        stored, storage = document.file.name, document.file.storage
        document.delete()
        transaction.on_commit(lambda: storage.delete(stored))
    messages.success(request, _("“%(title)s” is removed.") % {"title": document.title})
    return redirect("evaluation:dossier", pk=pk)


@login_required
@require_POST
def document_replace(request, pk, document_pk):
    access, document = _editable_document(request, pk, document_pk)
    old, storage = document.file.name, document.file.storage
    form = ReplaceDocumentForm(request.POST, request.FILES, instance=document)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("evaluation:dossier", pk=pk)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=pk)
        if locked.status not in workflow.PRODUCER_EDITS:
            return _filed_refusal(request, pk)
        form.save()
        transaction.on_commit(lambda: storage.delete(old))
    messages.success(request, _("The file of “%(title)s” is replaced.") % {"title": document.title})
    return redirect("evaluation:dossier", pk=pk)


@login_required
def dossier_file(request, pk):
    """The filing page: the checklist, what is missing, and the button; a POST files
    (filing.file_dossier refuses, in words, what this page shows as missing)."""
    access = dossier_access(request.user, pk)
    access.require(access.is_producer)
    dossier = access.dossier
    if S.SUBMITTED not in access.moves or dossier.status not in workflow.PRODUCER_EDITS:
        messages.info(request, _("The dossier is already filed."))
        return redirect("evaluation:dossier", pk=pk)
    if request.method == "POST":
        try:
            filed = filing.file_dossier(dossier, request.user, request.POST.get("note", "")[:4000])
        except workflow.TransitionError as exc:
            messages.error(request, str(exc))
            return redirect("evaluation:file", pk=pk)
        messages.success(request, _("The dossier is filed. The office will check it."))
        if filed.extended_until is not None:
            messages.info(
                request,
                _(
                    "Certificate %(number)s stays in force while this re-evaluation is "
                    "pending, until %(until)s at the latest (Decision 26/2026, Điều 12 "
                    "khoản 3)."
                )
                % {
                    "number": filed.certificate.number,
                    "until": formats.date_format(filed.extended_until, "SHORT_DATE_FORMAT"),
                },
            )
        return redirect("evaluation:dossier", pk=pk)
    return render(
        request,
        "evaluation/dossier_file.html",
        {
            "dossier": dossier,
            "checklist": checklist.for_dossier(dossier),
            "time_refusal": filing.time_refusal(dossier),
        },
    )
