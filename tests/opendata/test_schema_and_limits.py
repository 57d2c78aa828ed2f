"""The OpenAPI schema, the docs page, the rate limit and the query counts."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import Product, ProductPhoto
from tests.factories import ProducerFactory, ProductFactory, image_upload

pytestmark = pytest.mark.django_db
PATHS = [
    "/api/products/",
    "/api/products/{slug}/",
    "/api/producers/",
    "/api/producers/{id}/",
    "/api/certificates/",
    "/api/certificates/{number}/",
]


def test_schema_as_yaml_and_json(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    text = response.content.decode()
    assert text.startswith("openapi: 3")
    assert all(f"{path}:" in text for path in PATHS)
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    assert set(PATHS) <= set(schema["paths"])
    params = {p["name"] for p in schema["paths"]["/api/products/"]["get"]["parameters"]}
    expected = {"q", "stars", "group", "product_set", "province", "district", "commune"}
    assert expected | {"sort", "page", "page_size", "format"} <= params
    assert "title: OCOP stars" in client.get("/api/schema/", {"lang": "en"}).content.decode()


def test_docs_page_needs_no_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "/api/products/" in html
    assert "/api/schema/" in html
    assert "cdn" not in html.lower()
    assert 'src="http' not in html and 'href="http' not in html.replace(
        'href="http://testserver', ""
    ).replace('href="https://www.django-rest-framework.org', "")


def test_root_lists_the_endpoints(client):
    data = client.get("/api/").json()
    assert data["products"] == "http://testserver/api/products/"
    assert data["schema"] == "http://testserver/api/schema/"


def test_anonymous_clients_are_throttled(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "100/minute"},
    }
    for _ in range(3):
        assert client.get("/api/products/").status_code == 200
    response = client.get("/api/products/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # Per address: another client is not affected.
    assert client.get("/api/products/", REMOTE_ADDR="10.0.0.7").status_code == 200


def _make_products(count):
    producers = [ProducerFactory() for _ in range(max(1, count // 5))]
    for n in range(count):
        product = ProductFactory(producer=producers[n % len(producers)], stars=3 + n % 3)
        if n % 2 == 0:
            ProductPhoto.objects.create(product=product, image=image_upload(size=(64, 48)))
        if n % 7 == 0:
            ProductFactory(producer=product.producer, stars=2)  # never public


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/api/products/", "/api/certificates/", "/api/producers/"])
@pytest.mark.parametrize(
    "params",
    [{}, {"q": "san pham", "stars": "4", "province": "01"}, {"format": "csv"}],
    ids=["plain", "filtered", "csv"],
)
def test_query_count_does_not_grow_with_products(client, url, params):
    if url != "/api/products/":
        params = {k: v for k, v in params.items() if k == "format"}
    if url == "/api/certificates/":
        params = {**params, "state": "valid"}
    _make_products(5)
    small = _queries(client, url, params)
    _make_products(55)
    assert Product.objects.public().count() == 60
    assert _queries(client, url, params) == small
    assert small <= 6
