"""/api/producers/: producers with at least one public product, public fields only."""

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/producers/"


def by_name(response):
    assert response.status_code == 200, response.content
    return {p["name"]: p for p in response.json()["results"]}


def test_lists_producers_with_a_public_product(client, products):
    producers = by_name(client.get(URL))
    assert set(producers) == {
        "HTX Bún Minh Dương",
        "Công ty Trà sen",
        products["rau"].producer.name,
    }
    # Five products, one of them public: hidden ones are not counted.
    assert producers["HTX Bún Minh Dương"]["public_product_count"] == 1
    assert producers["Công ty Trà sen"]["public_product_count"] == 1


def test_a_producer_as_data(client, products):
    producer = products["bun"].producer
    item = by_name(client.get(URL))["HTX Bún Minh Dương"]
    assert item["id"] == producer.pk
    assert item["kind"] == "cooperative"
    assert item["place"]["commune"]["name"] == "Xã Sơn Đồng"
    assert item["place"]["district"]["code"] == "274"
    assert item["place"]["province"]["code"] == "01"
    assert (item["phone"], item["email"]) == ("024 3825 1234", "bun@minhduong.vn")
    assert item["products_url"] == f"http://testserver/api/products/?producer={producer.pk}"
    assert client.get(item["products_url"]).json()["count"] == 1


def test_private_contact_details_are_null(client, products):
    item = by_name(client.get(URL))["Công ty Trà sen"]
    assert (item["phone"], item["email"], item["website"]) == (None, None, None)


def test_detail_lists_only_public_products(client, products):
    producer = products["bun"].producer
    data = client.get(f"{URL}{producer.pk}/").json()
    assert data["name"] == "HTX Bún Minh Dương"
    assert [p["name"] for p in data["products"]] == ["Bún khô Minh Dương"]
    assert data["products"][0]["url"].endswith(f"/san-pham/{products['bun'].slug}/")


def test_a_producer_without_public_products_is_hidden(client, products):
    hidden = products["withdrawn_only"].producer
    assert hidden.name not in client.get(URL).content.decode()
    assert client.get(f"{URL}{hidden.pk}/").status_code == 404


def test_filters_by_kind_and_place(client, products):
    assert set(by_name(client.get(URL, {"district": "003"}))) == {"Công ty Trà sen"}
    assert set(by_name(client.get(URL, {"province": "33"}))) == set()
    assert len(by_name(client.get(URL, {"kind": "cooperative"}))) == 3
    assert client.get(URL, {"kind": "bank"}).status_code == 400
