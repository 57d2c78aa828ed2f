"""CSV exports, and what no response may ever contain."""

import csv
import io

import pytest

from evaluation.models import Certificate
from registry.models import Producer
from tests.factories import ProductFactory, certificate_of
from tests.opendata.helpers import PUBLIC

pytestmark = pytest.mark.django_db
BOM = "\ufeff"


def read_csv(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_products_csv_has_a_header_a_bom_and_vietnamese_intact(client, products):
    response = client.get("/api/products/", {"format": "csv"})
    rows = read_csv(response)
    assert response["Content-Disposition"] == 'attachment; filename="ocop-products.csv"'
    assert {row["name"] for row in rows} == PUBLIC
    bun = next(row for row in rows if row["name"] == "Bún khô Minh Dương")
    assert bun["producer.name"] == "HTX Bún Minh Dương"
    assert bun["place.commune.name"] == "Xã Sơn Đồng"
    assert bun["place.province.code"] == "01"
    assert bun["certificate.number"] == certificate_of(products["bun"]).number
    assert bun["producer.email"] == "bun@minhduong.vn"
    # Accented letters are stored as UTF-8, not as escapes or question marks.
    assert "Bún khô Minh Dương".encode() in response.content


def test_csv_takes_the_same_filters_and_is_not_paged(client, products):
    for n in range(3):
        ProductFactory(name=f"Gốm Bát Tràng {n}", stars=4)
    rows = read_csv(client.get("/api/products/", {"format": "csv", "q": "son dong"}))
    assert [row["name"] for row in rows] == ["Bún khô Minh Dương"]
    rows = read_csv(client.get("/api/products/", {"format": "csv", "page_size": 2}))
    assert len(rows) == 6


def test_an_empty_csv_still_has_its_header(client):
    response = client.get("/api/products/", {"format": "csv", "q": "nothing at all"})
    text = response.content.decode("utf-8")
    header = text[1:].splitlines()[0].split(",")
    assert header[:4] == ["id", "slug", "name", "stars"]
    assert "place.district.code" in header
    assert len(text[1:].splitlines()) == 1


def test_producer_and_certificate_csv(client, products):
    rows = read_csv(client.get("/api/producers/", {"format": "csv"}))
    assert "Công ty Trà sen" in {row["name"] for row in rows}
    rows = read_csv(client.get("/api/certificates/", {"format": "csv", "state": "revoked"}))
    assert [row["product.name"] for row in rows] == ["Bún bị thu hồi"]
    assert rows[0]["revocation_ground"] == "criteria_not_met"


def test_a_bad_filter_in_csv_is_a_400(client, products):
    response = client.get("/api/products/", {"format": "csv", "stars": "9"})
    assert response.status_code == 400
    assert "stars" in response.content.decode("utf-8")


def test_detail_has_no_csv(client, products):
    response = client.get(f"/api/products/{products['bun'].slug}/", {"format": "csv"})
    assert response.status_code == 404


def test_formulas_are_neutralised_in_csv(client):
    ProductFactory(name='=HYPERLINK("http://evil.example","x")', stars=4)
    rows = read_csv(client.get("/api/products/", {"format": "csv"}))
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil.example","x")'


def every_body(client, products):
    """Every list and detail, as JSON and CSV, of every kind the API has."""
    urls = ["/api/products/", "/api/producers/", "/api/certificates/", "/api/schema/"]
    urls += [f"/api/products/{p.slug}/" for p in products.values()]
    urls += [f"/api/producers/{p.pk}/" for p in Producer.objects.all()]
    urls += [f"/api/certificates/{c.number}/" for c in Certificate.objects.all()]
    bodies = []
    for url in urls:
        bodies.append(client.get(url).content.decode("utf-8"))
        if url.count("/") == 3 and "schema" not in url:
            bodies.append(client.get(url, {"format": "csv"}).content.decode("utf-8"))
    return bodies


def test_private_fields_never_appear_in_any_response(client, products):
    secrets = [
        "registration_number",
        "representative",
        "search_text",
        "search_exact",
        "search_more",
    ]
    secrets += ["is_published", "contact_public", "inspection_reference", "dossier"]
    for producer in Producer.objects.all():
        secrets += [producer.registration_number, producer.representative_name]
    # The producer who keeps its contact details private.
    secrets += ["0912 345 678", "secret@trasen.vn", "trasen-private.vn"]
    for body in every_body(client, products):
        for secret in secrets:
            assert secret not in body
