from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import certificates
from evaluation.forms import RevocationForm
from evaluation.models import Certificate, OfficialRole, Rulebook


def certificates_visible_to(user):
    """Producers see their products' certificates; offices and inspectors those of their
    unit (and, for inspectors, the units below); administrators all."""
    qs = Certificate.objects.all()
    if user.is_superuser:
        return qs
    scope = Q(product__producer__users=user)
    for role in OfficialRole.objects.filter(user=user):
        if role.unit_id is None:
            scope |= Q(level=role.level) if role.kind == "office" else Q(pk__isnull=False)
        elif role.kind == "office":
            scope |= Q(level=role.level, unit=role.unit)
        else:
            scope |= (
                Q(unit=role.unit)
                | Q(unit__parent=role.unit)
                | Q(product__producer__commune__parent=role.unit)
            )
    return qs.filter(scope).distinct()


def may_revoke(user, certificate) -> bool:
    if user.is_superuser:
        return True
    return OfficialRole.objects.filter(
        user=user, kind="office", level=certificate.level, unit=certificate.unit_id
    ).exists()


@login_required
def certificate_list(request):
    today = timezone.localdate()
    rows = []
    for certificate in (
        certificates_visible_to(request.user)
        .select_related("product__producer", "rulebook", "unit", "superseded_by")
        .order_by("-issued_on", "-id")[:500]
    ):
        rulebook = certificate.rulebook
        expires = certificate.expires_on
        window = certificates.renewal_window(
            expires,
            rulebook.renewal_opens_days if rulebook else 180,
            rulebook.renewal_closes_days if rulebook else 120,
        )
        state = certificates.certificate_state(certificate, today)
        rows.append(
            {
                "certificate": certificate,
                "state": state,
                "state_label": certificates.STATE_LABELS[state],
                "window": window,
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
        certificates.revoke(
            certificate,
            ground=form.cleaned_data["ground"],
            inspection_reference=form.cleaned_data["inspection_reference"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except certificates.CertificateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Certificate %s is revoked.") % certificate.number)
    return redirect("evaluation:certificates")


@login_required
def reevaluation_list(request):
    """Four-star products certified under older criteria and holding no granted IP title."""
    if not (request.user.is_superuser or OfficialRole.objects.filter(user=request.user).exists()):
        raise Http404
    qd148 = Rulebook.objects.filter(code="qd148-2023").first()
    since = qd148.effective_from if qd148 else timezone.localdate()
    rows = certificates.needing_reevaluation(
        certificates_visible_to(request.user), since
    ).select_related("product__producer")
    return render(request, "evaluation/reevaluation_list.html", {"rows": rows, "since": since})
