import pytest
from django.urls import reverse

from registry.models import IntellectualPropertyTitle, ProductPhoto
from tests.factories import ProductFactory, image_upload

pytestmark = pytest.mark.django_db


def test_product_page_shows_what_a_buyer_needs(client):
    product = ProductFactory(name="Trà sen Tây Hồ", stars=5, description="Ướp gạo sen Hồ Tây.")
    ProductPhoto.objects.create(product=product, image=image_upload(), caption="Hộp trà")
    IntellectualPropertyTitle.objects.create(product=product, kind="trademark", number="4-0123")
    sibling = ProductFactory(name="Trà sen hộp thiếc", producer=product.producer, stars=3)
    response = client.get(reverse("catalogue:product", args=[product.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Trà sen Tây Hồ",
        "Ướp gạo sen Hồ Tây.",
        product.producer.name,
        "Xã Hoài Đức",
        "Huyện Hoài Đức",
        "Thành phố Hà Nội",
        "Hộp trà",
        "4-0123",
        sibling.name,
        'aria-label="5 sao"',
        'id="certificate"',
    ]:
        assert text in body, text


def test_contact_details_hidden_unless_the_producer_agrees(client):
    product = ProductFactory(producer__phone="024 3825 1234", producer__contact_public=False)
    url = reverse("catalogue:product", args=[product.slug])
    assert "3825 1234" not in client.get(url).content.decode()
    product.producer.contact_public = True
    product.producer.save()
    assert "3825 1234" in client.get(url).content.decode()


@pytest.mark.parametrize("hidden", [{"stars": 2}, {"stars": None}, {"is_published": False}])
def test_products_that_are_not_public_are_404(client, hidden):
    product = ProductFactory(**hidden)
    assert client.get(reverse("catalogue:product", args=[product.slug])).status_code == 404


def test_unknown_slug_is_404(client):
    assert client.get(reverse("catalogue:product", args=["khong-co"])).status_code == 404
