import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import SalesPoint
from tests.factories import ProductFactory, commune

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:sales_points")


def point(name, *products, **extra):
    sales_point = SalesPoint.objects.create(
        name=name, address="Số 1 Đinh Lễ", commune=commune("Phường Hoàn Kiếm"), **extra
    )
    sales_point.products.set(products)
    return sales_point


def test_the_list_shows_open_points_with_their_public_products_only(client):
    shown = ProductFactory(name="Trà sen Tây Hồ", stars=4)
    hidden = ProductFactory(name="Bún chưa công nhận", stars=2)
    point("Trung tâm OCOP Hà Nội", shown, hidden, opening_hours="8:00–21:00")
    point("Điểm đã đóng cửa", shown, is_active=False)
    body = client.get(URL).content.decode()
    assert "Trung tâm OCOP Hà Nội" in body and "8:00–21:00" in body
    assert "Trà sen Tây Hồ" in body
    assert "Bún chưa công nhận" not in body
    assert "Điểm đã đóng cửa" not in body


def test_the_product_page_says_where_to_buy(client):
    product = ProductFactory(stars=4)
    point("Showroom OCOP Bát Tràng", product)
    body = client.get(reverse("catalogue:product", args=[product.slug])).content.decode()
    assert "Showroom OCOP Bát Tràng" in body


def queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_runs_the_same_queries_for_2_and_20_points(client):
    products = [ProductFactory(stars=3) for _ in range(5)]
    for n in range(2):
        point(f"Điểm {n}", *products)
    small = queries(client)
    for n in range(2, 20):
        point(f"Điểm {n}", *products)
    assert queries(client) == small
