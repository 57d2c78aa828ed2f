"""A product's QR code to print on its packaging: it opens the product's public page."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core import qrcodes
from registry.models import Product

FORMATS = {
    "svg": (qrcodes.print_svg, "image/svg+xml"),
    "png": (qrcodes.print_png, "image/png"),
}


def product_url(request, product) -> str:
    path = reverse("catalogue:product", args=[product.slug])
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)


@require_safe
@cache_control(max_age=3600, public=True)
def product_qr(request, slug, fmt):
    """Only a product listed today: a withdrawn one has no page for its code to open."""
    if fmt not in FORMATS:
        raise Http404
    product = Product.objects.public().filter(slug=slug).only("pk", "slug").first()
    if product is None:
        raise Http404
    draw, content_type = FORMATS[fmt]
    response = HttpResponse(draw(product_url(request, product)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{product.slug}-qr.{fmt}"'
    return response
