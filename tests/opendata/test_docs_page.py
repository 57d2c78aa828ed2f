"""The API's documentation page: a page of the site in each language, Swagger UI served
from the site itself, the schema in the page's language."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_page_is_in_vietnamese_at_the_api_address(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "API dữ liệu mở" in html and "Địa chỉ truy cập" in html
    # The site's page: its menu and footer, and the footer's link back here.
    assert 'class="navbar' in html and 'id="footer-api" href="/api/docs/"' not in html
    assert 'href="/api/docs/" id="footer-api"' in html
    assert 'data-schema="/api/schema/?format=json&amp;lang=vi"' in html


def test_the_page_is_in_english_under_en(client):
    response = client.get("/en/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Open data API" in html and "Good to know" in html
    assert "Địa chỉ truy cập" not in html
    assert 'data-schema="/api/schema/?format=json&amp;lang=en"' in html
    # The language switch leads to the other language's page.
    assert 'href="/api/docs/" hreflang="vi"' in html


def test_every_asset_is_served_by_the_site(client):
    html = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert any("swagger-ui-bundle.js" in a for a in assets)
    assert any("swagger-ui.css" in a for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
    # No address outside the site (its own canonical links aside): no CDN, no font
    # service, no validator badge.
    addresses = re.findall(r'(?:src|href|action)="((?:https?:)?//[^"]*)"', html)
    assert addresses and all(a.startswith("http://testserver/") for a in addresses), addresses
    assert "cdn" not in html.lower()
    # And no inline script: the policy stays script-src 'self' (data blocks aside).
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


def test_the_page_keeps_the_strict_policy(client):
    policy = client.get("/en/api/docs/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"


@pytest.mark.parametrize(
    ("lang", "title", "summary"),
    [
        ("vi", "Dữ liệu mở của hệ thống OCOP", "Sổ đăng ký giấy chứng nhận"),
        ("en", "OCOP registry open data", "Certificate registry"),
    ],
)
def test_the_schema_speaks_the_language_asked_for(client, lang, title, summary):
    response = client.get(reverse("api:schema"), {"format": "json", "lang": lang})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == title
    assert schema["paths"]["/api/certificates/"]["get"]["summary"] == summary
    # Anyone reads it: no sign-in scheme to suggest otherwise.
    assert schema["paths"]["/api/products/"]["get"].get("security", [{}]) == [{}]
    assert "securitySchemes" not in schema.get("components", {})
    params = {
        p["name"]: p.get("description", "")
        for p in schema["paths"]["/api/products/"]["get"]["parameters"]
    }
    assert params["province"] == (
        "Mã chính thức của tỉnh/thành phố, ví dụ 01."
        if lang == "vi"
        else "Official province code, e.g. 01."
    )


def test_the_schema_is_valid_openapi(client):
    from drf_spectacular.validation import validate_schema

    schema = json.loads(client.get(reverse("api:schema"), {"format": "json"}).content)
    validate_schema(schema)  # raises on an invalid document


def test_the_api_root_points_to_the_page(client):
    assert client.get("/api/").json()["docs"] == "http://testserver/api/docs/"
