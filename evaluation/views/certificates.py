from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from evaluation import acts, certificates, deadlines, papers, validity
from evaluation.access import (
    certificates_visible_to,
    decisions_visible_to,
    is_official,
    may_revoke,
    revocation_checker,
)
from evaluation.forms import MAX_ID, RevocationForm
from evaluation.models import Certificate, Rulebook
from registry.models import AdministrativeUnit


@login_required
def certificate_list(request):
    today = timezone.localdate()
    rulebooks = list(Rulebook.objects.all())
    may = revocation_checker(request.user, today, rulebooks)
    rows = []
    for certificate in (
        certificates_visible_to(request.user, today)
        .select_related(
            "product__producer__commune",
            "rulebook",
            "unit",
            "superseded_by",
            "decision",
            "revocation_decision",
        )
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
                "may_revoke": state in validity.IN_FORCE and may(certificate),
            }
        )
    return render(
        request,
        "evaluation/certificate_list.html",
        {"rows": rows, "today": today, "batch_limit": papers.BATCH_LIMIT},
    )


def _revocable(request, pk, today):
    try:
        certificate = (
            certificates_visible_to(request.user, today)
            .select_related("product__producer__commune__parent", "unit", "rulebook", "decision")
            .get(pk=pk)
        )
    except (Certificate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not may_revoke(request.user, certificate, today):
        raise PermissionDenied
    return certificate


@never_cache
@login_required
def certificate_revoke(request, pk):
    """The revocation as an act: the certificate, then the decision's number, date, signer
    and authority with its ground and the inspection conclusion (Decision 26/2026, Điều 8)."""
    today = timezone.localdate()
    certificate = _revocable(request, pk, today)
    state = certificates.certificate_state(certificate, today)
    if state not in validity.IN_FORCE:
        messages.error(
            request,
            _("Certificate %(number)s is %(state)s: there is nothing to revoke.")
            % {"number": certificate.number, "state": validity.STATE_LABELS[state]},
        )
        return redirect("evaluation:certificates")
    authority = certificates.revoking_authority(certificate, today)
    unit = AdministrativeUnit.objects.filter(pk=authority.unit_id).first()
    form_kwargs = {"today": today, "earliest": certificate.issued_on}
    status = 200
    if request.method == "POST":
        form = RevocationForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                revoked = certificates.revoke(
                    certificate,
                    ground=form.cleaned_data["ground"],
                    inspection_reference=form.cleaned_data["inspection_reference"],
                    concluded_on=form.cleaned_data["inspection_concluded_on"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                    act=form.act(),
                )
            except acts.ActError as exc:
                form.add_error(exc.field, str(exc))
            except certificates.CertificateError as exc:
                messages.error(request, str(exc))
                return redirect("evaluation:certificates")
            else:
                messages.success(request, _("Certificate %s is revoked.") % certificate.number)
                _say_if_late(request, revoked)
                return redirect("evaluation:certificates")
        status = 400
    else:
        form = RevocationForm(
            initial={
                "signed_on": today,
                "authority": acts.authority_name(authority.level, unit),
                "signer_title": acts.signer_title_guess(authority.level),
            },
            **form_kwargs,
        )
    return render(
        request,
        "evaluation/certificate_revoke.html",
        {
            "certificate": certificate,
            "form": form,
            "authority": acts.authority_name(authority.level, unit),
            "state": state,
        },
        status=status,
    )


def _say_if_late(request, revoked):
    """Warn when the revocation's decision is dated after the time the rulebook gives
    from the inspection conclusion (certificates.revocation_due): a duty, not a bar."""
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


def _ids(values) -> list[int] | None:
    try:
        ids = sorted({int(v) for v in values})
    except (TypeError, ValueError):
        return None
    return ids if all(0 < i <= MAX_ID for i in ids) else None


@login_required
def certificates_pdf(request):
    """Certificates printed in one PDF: those ticked on the list (`id`, repeated) or every
    one a decision issued (`quyet-dinh`). Only certificates in the user's scope; at most
    papers.BATCH_LIMIT at a time."""
    visible = certificates_visible_to(request.user)
    decision_pk = request.GET.get("quyet-dinh")
    if decision_pk:
        ids = _ids([decision_pk])
        if ids is None or not is_official(request.user):
            raise Http404
        decision = decisions_visible_to(request.user).filter(pk=ids[0]).first()
        if decision is None:
            raise Http404
        chosen = visible.filter(decision=decision)
    else:
        ids = _ids(request.GET.getlist("id"))
        if ids is None:
            raise Http404
        if not ids:
            messages.error(request, _("Tick the certificates to print first."))
            return redirect("evaluation:certificates")
        chosen = visible.filter(pk__in=ids)
        # One certificate outside the user's scope and the whole request is refused, as if
        # it did not exist: a count would tell which numbers are someone else's.
        if chosen.count() != len(ids):
            raise Http404
    count = chosen.count()
    if count == 0:
        raise Http404
    if count > papers.BATCH_LIMIT:
        return HttpResponse(
            _(
                "%(count)s certificates asked for; at most %(limit)s are printed at a time. "
                "Tick fewer, or print them a decision at a time."
            )
            % {"count": count, "limit": papers.BATCH_LIMIT},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    pdf = papers.certificates_pdf(request, papers.certificates_for_print(chosen))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="giay-chung-nhan.pdf"'
    return response


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
