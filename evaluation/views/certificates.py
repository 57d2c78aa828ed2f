from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import certificates, deadlines, validity
from evaluation.access import certificates_visible_to, is_official, may_revoke
from evaluation.forms import RevocationForm
from evaluation.models import Certificate, Rulebook


@login_required
def certificate_list(request):
    today = timezone.localdate()
    rulebooks = list(Rulebook.objects.all())
    rows = []
    for certificate in (
        certificates_visible_to(request.user)
        .select_related("product__producer", "rulebook", "unit", "superseded_by")
        .order_by("-issued_on", "-id")[:500]
    ):
        window = certificates.certificate_window(certificate, rulebooks)
        state = certificates.certificate_state(certificate, today, rulebooks)
        rows.append(
            {
                "certificate": certificate,
                "state": state,
                "state_label": validity.STATE_LABELS[state],
                "window": window,
                "revocation_due": certificates.revocation_due(certificate, rulebooks)
                if certificate.revoked_on
                else None,
                "may_revoke": state not in ("revoked",) and may_revoke(request.user, certificate),
            }
        )
    return render(
        request,
        "evaluation/certificate_list.html",
        {"rows": rows, "today": today, "form": RevocationForm()},
    )


@login_required
@require_POST
def certificate_revoke(request, pk):
    try:
        certificate = certificates_visible_to(request.user).get(pk=pk)
    except Certificate.DoesNotExist as exc:
        raise Http404 from exc
    if not may_revoke(request.user, certificate):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    form = RevocationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("evaluation:certificates")
    try:
        revoked = certificates.revoke(
            certificate,
            ground=form.cleaned_data["ground"],
            inspection_reference=form.cleaned_data["inspection_reference"],
            concluded_on=form.cleaned_data["inspection_concluded_on"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except certificates.CertificateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Certificate %s is revoked.") % certificate.number)
        due = certificates.revocation_due(revoked)
        if due is not None and due.late:
            messages.warning(
                request,
                _(
                    "The revocation was due by %(due)s, within %(days)s days of the "
                    "conclusion (%(article)s): it is recorded %(late)s days late."
                )
                % {
                    "due": formats.date_format(due.due, "SHORT_DATE_FORMAT"),
                    "days": due.days,
                    "article": due.article,
                    "late": deadlines.days_late(due.due, revoked.revoked_on),
                },
            )
    return redirect("evaluation:certificates")


@login_required
def reevaluation_list(request):
    """Four-star products certified under older criteria and holding no granted IP title."""
    if not is_official(request.user):
        raise Http404
    # IP titles became mandatory for four stars with the earliest rulebook held (Decision
    # 148 of 2023, after 1048 of 2019): certificates issued before it were not held to it.
    oldest = Rulebook.objects.order_by("effective_from").first()
    since = oldest.effective_from if oldest else timezone.localdate()
    rows = certificates.needing_reevaluation(
        certificates_visible_to(request.user), since
    ).select_related("product__producer")
    return render(request, "evaluation/reevaluation_list.html", {"rows": rows, "since": since})
