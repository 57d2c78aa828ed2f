"""The product page's body is kept per product, language and data version: a visit the
whole-page cache does not serve (signed in, a new query string) renders only the frame."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ProductFactory, make_user

pytestmark = pytest.mark.django_db


def visit(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def body(page):
    return page[page.index('<nav aria-label="breadcrumb">') : page.index("</main>")]


def test_the_body_is_kept_and_the_page_is_the_same(client):
    product = ProductFactory(name="Trà sen Tây Hồ", stars=5)
    ProductFactory(name="Trà sen bách diệp", producer=product.producer, stars=4)
    url = reverse("catalogue:product", args=[product.slug])
    first, first_queries = visit(client, url + "?from=qr")
    second, second_queries = visit(client, url + "?from=sitemap")
    assert body(second) == body(first)
    assert "Trà sen bách diệp" in second and "OCOP" in second
    assert second_queries < first_queries


def test_the_body_follows_a_change_to_the_product_or_its_producer(client):
    product = ProductFactory(name="Trà sen Tây Hồ", stars=5)
    url = reverse("catalogue:product", args=[product.slug])
    visit(client, url + "?a=1")
    product.description = "Ướp bằng sen Hồ Tây."
    product.save()
    assert "Ướp bằng sen Hồ Tây." in visit(client, url + "?a=2")[0]
    product.producer.name = "HTX Quảng An"
    product.producer.save()
    assert "HTX Quảng An" in visit(client, url + "?a=3")[0]


def test_each_language_has_its_own_body(client):
    product = ProductFactory(name="Trà sen Tây Hồ", stars=5)
    vi = visit(client, reverse("catalogue:product", args=[product.slug]))[0]
    client.cookies["django_language"] = "en"
    en = visit(client, "/en" + reverse("catalogue:product", args=[product.slug]))[0]
    assert "Giấy chứng nhận OCOP" in vi and "OCOP certificate" in en


def test_a_signed_in_visitor_gets_the_same_body(client):
    product = ProductFactory(name="Trà sen Tây Hồ", stars=5)
    url = reverse("catalogue:product", args=[product.slug])
    anonymous = visit(client, url)[0]
    client.force_login(make_user("khach"))
    signed_in, _queries = visit(client, url)
    assert body(anonymous) == body(signed_in)


def _product_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "registry_product"' in q["sql"]]


def test_the_head_is_kept_too_until_public_data_change(client):
    """A new query string reads no product row while nothing changed (the head is kept
    per slug, day and version); a rename is a new version, and the new name shows."""
    product = ProductFactory(name="Trà sen Tây Hồ", stars=5)
    url = reverse("catalogue:product", args=[product.slug])
    visit(client, url + "?a=1")
    with CaptureQueriesContext(connection) as again:
        assert client.get(url + "?a=2").status_code == 200
    assert _product_reads(again.captured_queries) == []
    product.name = "Trà sen Hồ Tây"
    product.save()
    assert "Trà sen Hồ Tây" in client.get(url + "?a=3").content.decode()


def test_a_made_up_slug_is_not_kept(client):
    from django.core.cache import cache

    from core import caching

    url = reverse("catalogue:product", args=["khong-co-san-pham-nay"])
    assert client.get(url).status_code == 404
    assert not [key for key in caching._local if key.startswith("product-head:")]
    assert cache.get("product-head:khong-co-san-pham-nay") is None
