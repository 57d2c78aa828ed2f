"""The OpenAPI schema, the docs page and the rate limit (query counts: test_queries.py)."""

import json

import pytest

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
