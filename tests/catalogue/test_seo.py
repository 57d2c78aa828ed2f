import pytest
from django.urls import reverse

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_robots_txt_closes_private_areas_and_names_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    for line in [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /ho-so/",
        "Sitemap: http://testserver/sitemap.xml",
    ]:
        assert line in text


def test_robots_txt_uses_the_public_address(client, settings):
    settings.SITE_URL = "https://ocop.hanoi.gov.vn"
    assert (
        "Sitemap: https://ocop.hanoi.gov.vn/sitemap.xml"
        in client.get("/robots.txt").content.decode()
    )


def test_the_sitemap_lists_public_products_in_both_languages(client):
    shown = ProductFactory(stars=4)
    hidden = ProductFactory(stars=4, is_published=False)
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-products.xml" in index and "sitemap-pages.xml" in index
    products = client.get("/sitemap-products.xml").content.decode()
    assert f"http://testserver/san-pham/{shown.slug}/" in products
    assert f'hreflang="en" href="http://testserver/en/san-pham/{shown.slug}/"' in products
    assert hidden.slug not in products


def test_pages_name_their_canonical_address_and_their_other_language(client):
    product = ProductFactory(name="Trà sen Tây Hồ", stars=5, description="Trà ướp sen Hồ Tây.")
    path = reverse("catalogue:product", args=[product.slug])
    body = client.get(path).content.decode()
    assert f'<link rel="canonical" href="http://testserver{path}">' in body
    assert f'hreflang="en" href="http://testserver/en{path}"' in body
    assert "<title>Trà sen Tây Hồ" in body
    assert '<meta name="description" content="Trà ướp sen Hồ Tây.">' in body
    english = client.get(f"/en{path}").content.decode()
    assert f'<link rel="canonical" href="http://testserver/en{path}">' in english
