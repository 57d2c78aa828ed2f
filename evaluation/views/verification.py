from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from core import caching, page_cache, throttle
from core.client_address import client_ip
from core.page_cache import public_page
from evaluation import verification


def _shown(certificate) -> tuple[str, str]:
    """The tags of what a certificate's check page and PDF show."""
    return (
        page_cache.product_tag(certificate.product_id),
        page_cache.producer_tag(certificate.product.producer_id),
    )


@public_page
def verify_form(request):
    """Anyone types a certificate number (or arrives from a QR code)."""
    number = verification.normalise_number(request.GET.get("so", ""))
    if number:
        return redirect("evaluation:verify", number=number)
    return render(request, "evaluation/verify.html", {"asked": False})


@public_page
def verify(request, number):
    head = verification.find_head(number)
    if head is None:
        # Kept until a certificate changes anywhere (the lists): this number may be issued.
        return render(
            request,
            "evaluation/verify.html",
            {"asked": True, "number": verification.normalise_number(number)},
            status=404,
        )
    # Every certificate of a product, and the acts behind them, announce the product's
    # tag; the page also names the producer.
    tags = (
        page_cache.product_tag(head["product_id"]),
        page_cache.producer_tag(head["product__producer_id"]),
    )
    page_cache.depends_on(*tags)
    # The verdict, facts and QR code are kept apart, per certificate, language, day (the
    # state turns with the date) and the version of what they show, as the product page's
    # body is: a check the whole-page cache does not serve skips the seven-table query,
    # the state's rulebook and the template.
    today = timezone.localdate()
    key = (
        f"certificate-check:{head['pk']}:{get_language()}:{today}:{request.get_host()}:"
        f"{page_cache.version(*tags)}"
    )
    body = caching.get_or_make_fixed(
        key, lambda: _verification_body(request, head["number"]), settings.PUBLIC_PAGE_SECONDS
    )
    return render(
        request,
        "evaluation/verify.html",
        {"asked": True, "number": head["number"], "body": mark_safe(body)},
    )


def _verification_body(request, number) -> str:
    certificate = verification.find(number)
    return render_to_string(
        "evaluation/includes/verification.html",
        {
            "v": verification.verification(certificate),
            "qr": verification.qr_svg(verification.verify_url(request, certificate.number)),
        },
        request,
    )


@cache_control(max_age=86400, public=True)
def verify_qr(request, number):
    certificate = verification.find(number)
    if certificate is None:
        return HttpResponse(status=404)
    svg = verification.qr_svg_file(verification.verify_url(request, certificate.number))
    return HttpResponse(svg, content_type="image/svg+xml")


def certificate_pdf(request, number):
    certificate = verification.find(number)
    if certificate is None:
        return render(
            request, "evaluation/verify.html", {"asked": True, "number": number}, status=404
        )
    # Drawing a PDF costs a second of a worker: anonymous visitors have a budget per
    # address, and each certificate's PDF is kept until its state or the public data change.
    if not request.user.is_authenticated and not throttle.allow(
        f"certificate-pdf:{client_ip(request)}",
        settings.CERTIFICATE_PDF_PER_MINUTE,
        60,
    ):
        return HttpResponse(
            _("Too many certificates printed from this address; please wait a minute."),
            status=429,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": "60"},
        )
    state = verification.verification(certificate).state
    key = (
        f"certificate-pdf:{certificate.pk}:{state}:{timezone.localdate()}:{get_language()}:"
        f"{request.get_host()}:{page_cache.version(*_shown(certificate))}"
    )
    pdf = caching.get_or_make(
        key, lambda: verification.pdf_bytes(request, certificate), settings.CERTIFICATE_PDF_SECONDS
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response
