from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core import spreadsheets
from evaluation import acts, certificates, deadlines, listing, papers, validity
from evaluation.access import (
    certificates_visible_to,
    decisions_visible_to,
    is_official,
    may_revoke,
    revocation_checker,
)
from evaluation.forms import MAX_ID, RevocationForm
from evaluation.models import Certificate, EvaluationRound, Rulebook
from evaluation.models.certificates import renewal_rules
from registry.models import AdministrativeUnit

CERTIFICATE_STATE_BADGES = {
    validity.State.VALID: "text-bg-success",
    validity.State.EXPIRING: "text-bg-warning",
    validity.State.EXTENDED: "text-bg-info",
    validity.State.EXPIRED: "text-bg-secondary",
    validity.State.REVOKED: "text-bg-danger",
    validity.State.SUPERSEDED: "text-bg-light border",
}


def _certificate_filters(request, visible):
    """The list's filters, with the units and rounds offered taken from the list itself."""
    units = list(AdministrativeUnit.objects.filter(pk__in=visible.values("unit")).order_by("name"))
    rounds = list(
        EvaluationRound.objects.filter(pk__in=visible.values("dossier__round")).order_by(
            "-opens_on", "name"
        )
    )
    choices = {
        "trang-thai": (_("status"), [str(state) for state in validity.State]),
        "sao": (_("number of stars"), ["3", "4", "5"]),
        "don-vi": (_("unit"), [str(unit.pk) for unit in units]),
        "dot": (_("round"), [str(round_.pk) for round_ in rounds]),
        "han": (_("time limit"), [listing.LATE]),
    }
    filters = listing.parse(
        request.GET, choices=choices, sorts=listing.CERTIFICATE_SORTS, default_sort="cap"
    )
    return filters, units, rounds


def filtered_certificates(user, filters, today):
    """The certificates `user` may see (certificates_visible_to), narrowed by `filters`,
    in the chosen order, with everything a row shows in the same query."""
    rules = renewal_rules()
    qs = certificates_visible_to(user, today)
    if filters.get("q"):
        text = filters.get("q")
        qs = qs.filter(Q(number__icontains=text) | listing.product_search_q(text))
    if filters.get("trang-thai"):
        qs = qs.filter(validity.state_q(validity.State(filters.get("trang-thai")), today, rules))
    if filters.get("sao"):
        qs = qs.filter(stars=int(filters.get("sao")))
    if filters.get("don-vi"):
        unit = int(filters.get("don-vi"))
        qs = qs.filter(Q(unit=unit) | Q(unit__parent=unit))
    if filters.get("dot"):
        qs = qs.filter(dossier__round=int(filters.get("dot")))
    if filters.get("han") == listing.LATE:
        qs = qs.filter(validity.renewal_missed_q(today, rules))
    return qs.select_related(
        "product__producer__commune",
        "rulebook",
        "unit",
        "superseded_by",
        "decision",
        "revocation_decision",
    ).order_by(*listing.order_by(filters, listing.CERTIFICATE_SORTS))


def _certificate_row(certificate, today, rulebooks, may):
    state = certificates.certificate_state(certificate, today, rulebooks)
    window = certificates.certificate_window(certificate, rulebooks)
    return {
        "certificate": certificate,
        "state": state,
        "state_label": validity.STATE_LABELS[state],
        "badge": CERTIFICATE_STATE_BADGES[state],
        "window": window,
        "renewal_late": state == validity.State.VALID and today > window.closes,
        "revocation_due": certificates.revocation_due(certificate, rulebooks)
        if certificate.revoked_on
        else None,
        "may_revoke": may is not None and state in validity.IN_FORCE and may(certificate),
        "public": certificate.product.is_published
        and certificate.product.certified_until is not None
        and certificate.product.certified_until > today,
    }


def _day(value):
    return value.strftime("%d/%m/%Y") if value else ""


def _certificate_export(request, rows_qs, today, rulebooks, kind):
    header = [
        _("Certificate number"),
        _("Product"),
        _("Producer"),
        _("Stars"),
        _("Issued on"),
        _("Expires on"),
        _("State"),
        _("Issuing level"),
        _("Issuing unit"),
        _("Decision"),
        _("Public check"),
    ]

    def rows():
        for certificate in rows_qs.iterator(chunk_size=2000):
            state = certificates.certificate_state(certificate, today, rulebooks)
            yield [
                certificate.number,
                certificate.product.name,
                certificate.product.producer.name,
                certificate.stars,
                _day(certificate.issued_on),
                _day(certificate.expires_on),
                str(validity.STATE_LABELS[state]),
                certificate.get_level_display(),
                certificate.unit.name if certificate.unit else "",
                certificate.decision.number if certificate.decision else "",
                request.build_absolute_uri(reverse("evaluation:verify", args=[certificate.number])),
            ]

    name = f"giay-chung-nhan-{today.isoformat()}"
    if kind == "csv":
        return spreadsheets.csv_response(f"{name}.csv", header, rows())
    return spreadsheets.xlsx_response(f"{name}.xlsx", str(_("Certificates")), header, rows())


@login_required
def certificate_list(request):
    """Every certificate the user may see, filtered (GET: q, trang-thai, sao, don-vi, dot,
    han), sorted (sap-xep, whitelisted), paged (page) or exported whole (xuat=csv|xlsx).
    A fixed number of queries per page, whatever the number of rows."""
    today = timezone.localdate()
    rulebooks = list(Rulebook.objects.all())
    visible = certificates_visible_to(request.user, today)
    filters, units, rounds = _certificate_filters(request, visible)
    chosen = filtered_certificates(request.user, filters, today)
    if filters.get("xuat"):
        if filters.problems:
            return _bad_filters(filters)
        return _certificate_export(request, chosen, today, rulebooks, filters.get("xuat"))
    for problem in filters.problems:
        messages.warning(request, problem)
    page = Paginator(chosen, listing.PER_PAGE).get_page(filters.get("page", 1))
    official = is_official(request.user)
    may = revocation_checker(request.user, today, rulebooks) if official else None
    rows = [_certificate_row(c, today, rulebooks, may) for c in page.object_list]
    return render(
        request,
        "evaluation/certificate_list.html",
        {
            "rows": rows,
            "page": page,
            "filters": filters,
            "params": filters.query(without=("page", "xuat")),
            "units": units,
            "rounds": rounds,
            "states": [(str(s), validity.STATE_LABELS[s]) for s in validity.State],
            "sorts": listing.CERTIFICATE_SORT_LABELS,
            "today": today,
            "batch_limit": papers.BATCH_LIMIT,
            # The decisions and the re-evaluation list are officials' pages (404 to
            # anyone else): a producer is not offered a link that leads nowhere.
            "official": official,
        },
    )


def _bad_filters(filters):
    """An export asked with filters the list does not know: a 400 that says why, rather
    than a file of something other than what was asked."""
    return HttpResponse(
        "\n".join(filters.problems),
        status=400,
        content_type="text/plain; charset=utf-8",
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
