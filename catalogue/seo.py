"""What search engines read: sitemaps in both languages, robots.txt, canonical addresses."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from registry.models import Product


class StaticSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"

    def items(self):
        return [
            "catalogue:catalogue",
            "catalogue:sales_points",
            "evaluation:statistics",
            "evaluation:verify_form",
        ]

    def location(self, item):
        return reverse(item)


class ProductSitemap(Sitemap):
    """Every public product, 5,000 to a sitemap page (the protocol allows 50,000 addresses
    a file, and each product has two, Vietnamese and English)."""

    i18n = True
    alternates = True
    x_default = True
    limit = 5000
    changefreq = "weekly"

    def items(self):
        return Product.objects.public().only("slug", "updated_at").order_by("pk")

    def location(self, product):
        return reverse("catalogue:product", args=[product.slug])

    def lastmod(self, product):
        return product.updated_at


SITEMAPS = {"pages": StaticSitemap, "products": ProductSitemap}

# Private areas are closed to crawlers; the API has its own documentation.
DISALLOW = ["/admin/", "/api/", "/ho-so/", "/tai-khoan/", "/giay-chung-nhan/", "/thong-ke/can-bo/"]


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    base = settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOW)]
    lines += ["", f"Sitemap: {base}{reverse('sitemap_index')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
