"""A visitor reports a suspected fake; the office it goes to reads and handles it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import throttle
from core.client_address import client_ip
from evaluation import fake_reports, verification
from evaluation.access import fake_reports_visible_to
from evaluation.forms import FakeReportForm, HandleReportForm
from evaluation.models import FakeReport, OfficialRole


@require_http_methods(["GET", "HEAD", "POST"])
def report_form(request):
    """The form, with the number of the check page it came from. Not a kept page: it
    carries a CSRF token, so the check page links here rather than holding the form."""
    number = verification.normalise_number(request.GET.get("so", ""))
    form = FakeReportForm(
        request.POST if request.method == "POST" else None, initial={"number": number}
    )
    status = 200
    if request.method == "POST":
        status = 400
        # Only a report that would be stored counts against the address's budget: someone
        # correcting a missing field is not flooding.
        if form.is_valid() and not throttle.allow(
            f"fake-report:{client_ip(request)}", settings.FAKE_REPORTS_PER_HOUR, 3600
        ):
            form.add_error(
                None,
                _(
                    "Too many reports were sent from this address in the last hour. What you "
                    "typed is kept below: please send it again later, or call the office in "
                    "the footer."
                ),
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            if not data["website"]:
                fake_reports.receive(
                    number=data["number"],
                    seen=data["seen"],
                    place=data["place"],
                    contact=data["contact"],
                )
            messages.success(
                request,
                _(
                    "Thank you. Your report was sent to the office responsible; it will look "
                    "into it."
                ),
            )
            return redirect("evaluation:report")
    certificate = verification.find(number) if number else None
    return render(
        request,
        "evaluation/report_form.html",
        {"form": form, "certificate": certificate, "number": number},
        status=status,
    )


def _office_or_404(user):
    if not (
        user.is_superuser
        or OfficialRole.objects.filter(user=user, kind=OfficialRole.Kind.OFFICE).exists()
    ):
        raise Http404


@login_required
def report_list(request):
    """The reports an office reads: unhandled first, newest first."""
    _office_or_404(request.user)
    reports = (
        fake_reports_visible_to(request.user)
        .select_related("certificate__product", "unit", "handled_by")
        .order_by("handled_at", "-created_at", "-id")
    )
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(request, "evaluation/report_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_detail(request, pk):
    try:
        report = (
            fake_reports_visible_to(request.user)
            .select_related("certificate__product__producer", "unit", "handled_by")
            .get(pk=pk)
        )
    except (FakeReport.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc
    form = HandleReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            error = fake_reports.handle(report, request.user, form.cleaned_data["note"])
            if error is None:
                messages.success(request, _("The report is marked handled."))
                return redirect("evaluation:report_detail", pk=report.pk)
            form.add_error(None, error)
        status = 400
    return render(
        request, "evaluation/report_detail.html", {"report": report, "form": form}, status=status
    )
