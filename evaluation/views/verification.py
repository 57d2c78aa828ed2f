from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control

from core.page_cache import public_page
from evaluation import verification


@public_page
def verify_form(request):
    """Anyone types a certificate number (or arrives from a QR code)."""
    number = verification.normalise_number(request.GET.get("so", ""))
    if number:
        return redirect("evaluation:verify", number=number)
    return render(request, "evaluation/verify.html", {"asked": False})


@public_page
def verify(request, number):
    certificate = verification.find(number)
    if certificate is None:
        return render(
            request,
            "evaluation/verify.html",
            {"asked": True, "number": verification.normalise_number(number)},
            status=404,
        )
    return render(
        request,
        "evaluation/verify.html",
        {
            "asked": True,
            "number": certificate.number,
            "v": verification.verification(certificate),
            "qr": verification.qr_svg(verification.verify_url(request, certificate.number)),
        },
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
    response = HttpResponse(
        verification.pdf_bytes(request, certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response
