"""The papers offices print and read: recorded acts (what each covers, its history in
sentences, its printable form) and certificates in batches.

Query shapes are built here in a fixed number of queries; the views stay thin. PDFs are
drawn by WeasyPrint from the same templates as the pages, with the print stylesheet
inlined (the site's Content-Security-Policy forbids inline styles on pages, not in PDFs).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.staticfiles import finders
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluation import audit, certificates, validity, verification, workflow
from evaluation.models import (
    Certificate,
    CouncilResult,
    Decision,
    Dossier,
    DossierStatusChange,
    Rulebook,
)

S = Dossier.Status

#: At most this many certificates in one PDF: WeasyPrint draws about three a second, and
#: a request should end before a proxy's timeout. More are printed a decision at a time.
BATCH_LIMIT = 50


def print_css() -> str:
    with open(finders.find("css/print.css"), encoding="utf-8") as handle:
        return handle.read()


# ---------------------------------------------------------------- what an act covers
@dataclass
class Row:
    """One product a decision covers, as the decision's list prints it."""

    product: object
    dossier: Dossier | None
    certificate: Certificate | None
    stars: int | None
    mean: Decimal | None
    on_upper_result: bool = False
    ground: str = ""


def decision_rows(decision: Decision) -> list[Row]:
    """Every product the act covers: the dossiers it moved (recognised, sent up, not
    recognised) with the certificate each received, or the certificates it revoked."""
    if decision.kind == Decision.Kind.REVOCATION:
        revoked = decision.revoked_certificates.select_related(
            "product__producer__commune", "dossier"
        ).order_by("product__name", "pk")
        return [
            Row(c.product, c.dossier, c, c.stars, None, ground=c.get_revocation_ground_display())
            for c in revoked
        ]
    moves = (
        DossierStatusChange.objects.filter(decision=decision, to_status__in=workflow.DECISIONS)
        .select_related("dossier__product__producer__commune", "dossier__result")
        .order_by("dossier__product__name", "pk")
    )
    issued = {c.dossier_id: c for c in decision.certificates.all()}
    rows = []
    for move in moves:
        dossier = move.dossier
        on_upper = move.from_status == S.FORWARDED
        result = getattr(dossier, "result", None)
        if on_upper:
            upper = workflow.upper_of(dossier)
            result = CouncilResult.objects.filter(dossier=upper).first() if upper else None
        certificate = issued.get(dossier.pk)
        rows.append(
            Row(
                dossier.product,
                dossier,
                certificate,
                certificate.stars if certificate else None,
                result.mean if result is not None else None,
                on_upper,
            )
        )
    return rows


def dossier_acts(dossier) -> list[Decision]:
    """The acts that moved this dossier or issued or revoked its certificate, oldest first."""
    return list(
        Decision.objects.filter(
            Q(moves__dossier=dossier)
            | Q(certificates__dossier=dossier)
            | Q(revoked_certificates__dossier=dossier)
        )
        .distinct()
        .order_by("signed_on", "pk")
    )


def decision_list(queryset, limit=300):
    """The latest acts of `queryset`, each with how many products it covers, in two
    queries whatever their number."""
    return list(
        queryset.select_related("rulebook")
        .annotate(
            moved=Count("moves", filter=Q(moves__to_status__in=workflow.DECISIONS), distinct=True),
            revoked=Count("revoked_certificates", distinct=True),
            issued=Count("certificates", distinct=True),
        )
        .order_by("-signed_on", "-pk")[:limit]
    )


def recorded_message(decision: Decision, count: int, target: str) -> str:
    what = {
        S.RECOGNISED: ngettext(
            "%(count)s product recognised", "%(count)s products recognised", count
        ),
        S.FORWARDED: ngettext(
            "%(count)s product sent up to the next level",
            "%(count)s products sent up to the next level",
            count,
        ),
        S.NOT_RECOGNISED: ngettext(
            "%(count)s product not recognised", "%(count)s products not recognised", count
        ),
    }[target] % {"count": count}
    return _("%(kind)s no. %(number)s of %(date)s is recorded: %(what)s.") % {
        "kind": decision.get_kind_display(),
        "number": decision.number,
        "date": decision.signed_on.strftime("%d/%m/%Y"),
        "what": what,
    }


def decision_changes(decision: Decision) -> list[audit.Change]:
    return audit.history_sentences(
        Decision.history.filter(id=decision.pk).select_related("history_user")
    )


# ---------------------------------------------------------------- PDFs
def decision_pdf(request, decision: Decision) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only the PDF needs.
    from weasyprint import HTML

    html = render_to_string(
        "evaluation/decision_print.html",
        {
            "decision": decision,
            "rows": decision_rows(decision),
            "inline_css": print_css(),
            "pdf": True,
        },
        request=request,
    )
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()


def certificates_for_print(queryset):
    """The certificates of a batch with what their pages print, in a few queries."""
    return queryset.select_related(
        "product__producer__commune__parent",
        "unit",
        "rulebook",
        "decision__rulebook",
        "superseded_by",
        "revocation_decision",
    ).order_by("product__name", "pk")


def certificates_pdf(request, certificate_list) -> bytes:
    """Many certificates in one PDF, one page each, as each prints alone: in Vietnamese
    whatever the office's page language, for these are the papers it signs and seals
    (the public check's copy follows its reader's language: verification.pdf_bytes)."""
    from weasyprint import HTML

    today = timezone.localdate()
    rulebooks = list(Rulebook.objects.all())
    pages = []
    with translation.override("vi"):
        for certificate in certificate_list:
            state = certificates.certificate_state(certificate, today, rulebooks)
            check = verification.Verification(
                certificate, state, validity.STATE_LABELS[state], public_product=False
            )
            pages.append(verification.certificate_page(request, check))
        html = render_to_string(
            "evaluation/certificate_pdf.html", {"pages": pages}, request=request
        )
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
