"""/api/products/: the public catalogue as data, with the catalogue's search and facets."""

import pytest
from django.urls import reverse

from registry.models import AdministrativeUnit, ProductPhoto, ProductSet
from tests.factories import (
    ProducerFactory,
    ProductFactory,
    certificate_of,
    commune,
    district,
    image_upload,
)
from tests.opendata.helpers import PUBLIC

pytestmark = pytest.mark.django_db
URL = "/api/products/"


def names(response):
    assert response.status_code == 200, response.content
    return [p["name"] for p in response.json()["results"]]


def test_lists_only_public_products(client, products):
    response = client.get(URL)
    assert set(names(response)) == PUBLIC
    assert response.json()["count"] == 3


def test_a_product_as_data(client, products):
    ProductPhoto.objects.create(
        product=products["bun"], image=image_upload(size=(64, 48)), position=1
    )
    [item] = client.get(URL, {"q": "bun kho"}).json()["results"]
    bun = products["bun"]
    assert item["id"] == bun.pk
    assert item["slug"] == bun.slug
    assert item["stars"] == 4
    assert item["product_set"]["number"] == 6
    assert item["group"]["code"] == bun.product_set.group.code
    assert item["producer"] == {
        "id": bun.producer_id,
        "name": "HTX Bún Minh Dương",
        "kind": "cooperative",
        "phone": "024 3825 1234",
        "email": "bun@minhduong.vn",
        "website": "https://minhduong.vn",
    }
    assert item["place"]["commune"]["name"] == "Xã Sơn Đồng"
    assert item["place"]["district"] == {"code": "274", "name": district("274").name}
    assert item["place"]["province"]["code"] == "01"
    assert item["certificate"]["number"] == certificate_of(bun).number
    assert item["certificate"]["stars"] == 4
    assert item["certificate"]["level"] == "province"
    assert item["certificate"]["expires_on"] == certificate_of(bun).expires_on.isoformat()
    assert item["url"] == "http://testserver" + reverse("catalogue:product", args=[bun.slug])
    assert item["thumbnail_url"].startswith("http://testserver/media/thumbnails/")


def test_urls_follow_site_url_and_not_the_clients_language(client, products, settings):
    settings.SITE_URL = "https://ocop.example.vn"
    item = client.get(URL, {"q": "tra sen"}, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert item["url"] == f"https://ocop.example.vn/san-pham/{products['tra'].slug}/"
    assert item["thumbnail_url"] is None


def test_detail_of_a_public_product(client, products):
    bun = products["bun"]
    bun.description = "Bún làm từ gạo Khang Dân."
    bun.save()
    ProductPhoto.objects.create(product=bun, image=image_upload(size=(64, 48)), caption="Gói")
    data = client.get(f"{URL}{bun.slug}/").json()
    assert data["name"] == "Bún khô Minh Dương"
    assert data["description"] == "Bún làm từ gạo Khang Dân."
    assert [p["caption"] for p in data["photos"]] == ["Gói"]
    assert data["photos"][0]["image_url"].startswith("http://testserver/media/products/")


@pytest.mark.parametrize(
    "key", ["two_stars", "unpublished", "expired", "revoked", "withdrawn_only"]
)
def test_hidden_products_never_appear(client, products, key):
    product = products[key]
    assert client.get(f"{URL}{product.slug}/").status_code == 404
    assert product.name not in client.get(URL, {"q": product.name}).content.decode()
    assert product.name not in client.get(URL, {"format": "csv"}).content.decode("utf-8-sig")


@pytest.mark.parametrize("query", ["hoai duc", "Hoai Duc", "Hoài Đức", "HOÀI ĐỨC", "hoài đuc"])
def test_search_ignores_accents_and_case(client, products, query):
    assert names(client.get(URL, {"q": query})) == ["Bún khô Minh Dương"]


def test_search_never_reaches_hidden_products(client, products):
    assert names(client.get(URL, {"q": "bun"})) == ["Bún khô Minh Dương"]


def test_exact_accent_matches_rank_first(client, products):
    ProductFactory(name="Bưn kho đặc sản", stars=3)
    ProductFactory(name="Bún khô đặc sản", stars=3)
    assert names(client.get(URL, {"q": "Bún khô"})) == [
        "Bún khô Minh Dương",
        "Bún khô đặc sản",
        "Bưn kho đặc sản",
    ]


def test_filters_by_stars_group_and_set(client, products):
    assert names(client.get(URL, {"stars": "5"})) == ["Trà sen Tây Hồ"]
    assert names(client.get(URL, {"product_set": 6})) == ["Bún khô Minh Dương"]
    group = ProductSet.objects.get(number=11).group.code
    assert "Trà sen Tây Hồ" in names(client.get(URL, {"group": group}))
    assert names(client.get(URL, {"group": "no-such-group"})) == []


def test_filters_by_official_place_codes(client, products):
    other = AdministrativeUnit.objects.get(level="province", code="33")
    ProductFactory(
        name="Nhãn lồng Hưng Yên",
        stars=4,
        producer__commune=other.children.first(),
        producer__district=None,
    )
    assert set(names(client.get(URL, {"province": "01"}))) == PUBLIC
    assert names(client.get(URL, {"province": "33"})) == ["Nhãn lồng Hưng Yên"]
    assert names(client.get(URL, {"district": "003"})) == ["Trà sen Tây Hồ"]
    assert names(client.get(URL, {"commune": commune("Xã Đông Anh").code})) == ["Rau Đông Anh"]


def test_filter_by_producer(client, products):
    producer = products["tra"].producer
    assert names(client.get(URL, {"producer": producer.pk})) == ["Trà sen Tây Hồ"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Bún khô Minh Dương", "Rau Đông Anh", "Trà sen Tây Hồ"]),
        ("stars", ["Trà sen Tây Hồ", "Bún khô Minh Dương", "Rau Đông Anh"]),
    ],
)
def test_sorting(client, products, sort, expected):
    assert names(client.get(URL, {"sort": sort})) == expected


def test_newest_first(client, products):
    newest = ProductFactory(name="Sản phẩm mới nhất", stars=3)
    assert names(client.get(URL, {"sort": "newest"}))[0] == newest.name


def test_a_bad_filter_value_is_a_400_that_says_why(client, products):
    response = client.get(URL, {"stars": "9", "sort": "price"})
    assert response.status_code == 400
    assert set(response.json()) == {"stars", "sort"}


def test_pages_and_a_capped_page_size(client):
    producer = ProducerFactory()
    for n in range(103):
        ProductFactory(name=f"Gốm {n:03d}", producer=producer, stars=4)
    first = client.get(URL, {"page_size": 2}).json()
    assert first["count"] == 103
    assert [p["name"] for p in first["results"]] == ["Gốm 000", "Gốm 001"]
    assert "page=2" in first["next"]
    assert len(client.get(URL).json()["results"]) == 50
    assert len(client.get(URL, {"page_size": 1000}).json()["results"]) == 100
    assert client.get(URL, {"page": 99}).status_code == 404


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "", "*/*"])
def test_a_browser_or_any_client_gets_json_people_read_the_docs_page(client, products, accept):
    """No browsable HTML pages (opendata/negotiation.py): JSON whatever the Accept header,
    under the strict Content-Security-Policy; the docs page is where people read the API."""
    response = client.get(URL, {"q": "hoai duc"}, HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "Bún khô Minh Dương" in {item["name"] for item in response.json()["results"]}
    assert "unsafe-inline" not in response.headers.get("Content-Security-Policy", "")
    assert client.get(URL, {"format": "xml"}).status_code == 404  # an unknown format named


def test_writing_is_not_allowed(client, products):
    assert client.post(URL, {"name": "x"}).status_code in (403, 405)
    assert client.delete(f"{URL}{products['bun'].slug}/").status_code in (403, 405)
