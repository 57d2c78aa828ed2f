"""Vietnamese first, English on request; both catalogues complete."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_pages_are_vietnamese_by_default(client):
    ProductFactory()
    body = client.get("/").content.decode()
    assert '<html lang="vi">' in body
    assert "Sản phẩm OCOP được công nhận" in body
    assert "Tìm kiếm" in body


def test_english_lives_under_en(client):
    product = ProductFactory()
    body = client.get("/en/").content.decode()
    assert '<html lang="en">' in body
    assert "Certified OCOP products" in body
    page = client.get(f"/en/san-pham/{product.slug}/").content.decode()
    assert "Other products of" not in page or "Producer" in page
    assert "Producer" in page


def test_switching_language_keeps_the_page(client):
    """Each language button links to this page's address in its language, query
    included: the address alone decides the language, whatever cookie the visitor has."""
    product = ProductFactory()
    path = reverse("catalogue:product", args=[product.slug])
    english = client.get(f"/en{path}?a=1&b=2").content.decode()
    assert f'href="{path}?a=1&amp;b=2" hreflang="vi"' in english
    vietnamese = client.get(path).content.decode()
    assert f'href="/en{path}" hreflang="en"' in vietnamese
    client.cookies["django_language"] = "en"
    assert '<html lang="vi">' in client.get(path).content.decode()
    assert '<html lang="en">' in client.get(f"/en{path}").content.decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_catalogues_are_complete(language):
    """Every message has a translation: an empty msgstr would show English to Vietnamese users."""
    po = Path(settings.BASE_DIR, "locale", language, "LC_MESSAGES", "django.po")
    entries = po.read_text(encoding="utf-8").split("\n\n")[1:]
    untranslated = [e for e in entries if 'msgstr ""' in e.split("\n")[-1] or 'msgstr[0] ""' in e]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert untranslated == []
    assert fuzzy == []
    assert len(entries) > 100
