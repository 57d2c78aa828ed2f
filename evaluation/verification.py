"""What the public sees when checking a certificate, the QR code pointing there, and the PDF."""

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core import caching, page_cache
from core.compiled import Compiled
from evaluation import certificates, validity
from evaluation.models import Certificate
from registry.models import Product

NUMBER_LENGTH = Certificate._meta.get_field("number").max_length


def _compact(raw: str) -> str:
    return "".join((raw or "").split()).upper()


def normalise_number(raw: str) -> str:
    """Numbers are typed from paper: ignore spaces and case. The one form of a number:
    what is stored (issued, imported) and what the public check looks up."""
    return _compact(raw)[:NUMBER_LENGTH]


def number_too_long(raw: str) -> bool:
    """Longer than a certificate number can be, once normalised (normalise_number cuts it:
    fine for a lookup, wrong for a number about to be stored)."""
    return len(_compact(raw)) > NUMBER_LENGTH


def find(number: str) -> Certificate | None:
    # A longer string only starts with a number: it is no certificate's number.
    if number_too_long(number):
        return None
    return (
        Certificate.objects.select_related(
            "product__producer__commune__parent",
            "unit",
            "superseded_by__product",
            "rulebook",
            "decision__rulebook",
            "revocation_decision",
        )
        .filter(number=normalise_number(number))
        .first()
    )


_HEAD = Compiled(
    lambda number: (
        Certificate.objects.filter(number=number)  # unique
        .order_by()
        .values_list("pk", "number", "product_id", "product__producer_id")[:1]
    )
)


def find_head(number: str) -> dict | None:
    """What the check page needs before its kept body: the certificate's id, number and
    the ids its page's tags are made of. One narrow query, its SQL made once
    (core/compiled.py), where find() joins seven tables."""
    if number_too_long(number):
        return None
    number = normalise_number(number)
    # Kept per number and public data version (a kept page has read the version: no
    # query while nothing changed); a number not found is not kept.
    # Hashed: a typed number may hold any character, which no cache key should carry.
    digest = hashlib.sha1(number.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"certificate-head:{digest}:{page_cache.version()}"
    found = caching.get_fixed(key)
    if found is None:
        found = _HEAD.rows(number)
        if not found:
            return None
        caching.set_fixed(key, found, settings.PUBLIC_PAGE_SECONDS or 300)
    return dict(zip(("pk", "number", "product_id", "product__producer_id"), found[0], strict=True))


def verify_url(request, number: str) -> str:
    path = reverse("evaluation:verify", args=[number])
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)


@lru_cache(maxsize=4096)
def qr_svg_file(url: str) -> bytes:
    """The same QR code as a standalone SVG file, for an <img>: with the SVG namespace,
    without which a browser shows a broken image (svg_inline leaves it out)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", xmldecl=False, scale=4, border=2)
    return out.getvalue()


@lru_cache(maxsize=4096)
def qr_svg(url: str) -> str:
    """An SVG QR code (medium error correction, survives a crease in a printed paper).

    Kept per address: encoding costs ~15 ms, and a certificate's address never changes."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2)


@dataclass
class Verification:
    certificate: Certificate
    state: validity.State
    label: str
    public_product: bool


def verification(certificate: Certificate) -> Verification:
    state = certificates.certificate_state(certificate, timezone.localdate())
    public = Product.objects.public().filter(pk=certificate.product_id).exists()
    return Verification(certificate, state, validity.STATE_LABELS[state], public)


def certificate_page(request, check: Verification) -> dict:
    """What one certificate's page of a PDF prints: the certificate and its state, the
    act it was issued by and the rulebook applied (none invented for certificates from
    before the system), and the QR code of its public check."""
    certificate = check.certificate
    decision = certificate.decision
    url = verify_url(request, certificate.number)
    return {
        "v": check,
        "decision": decision,
        "legal_basis": certificate.rulebook or (decision.rulebook if decision else None),
        "qr": qr_svg(url),
        "url": url,
    }


def pdf_bytes(request, certificate: Certificate) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only the PDF needs.
    from weasyprint import HTML

    html = render_to_string(
        "evaluation/certificate_pdf.html",
        {"pages": [certificate_page(request, verification(certificate))]},
        request=request,
    )
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
