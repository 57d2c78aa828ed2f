"""The catalogue's first page says what OCOP is and what each star means, with its legal
source, in Vietnamese and in English; a filtered page goes straight to the products."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def section(body: str) -> str:
    start = body.index('id="about-ocop"')
    return body[start : body.index("</section>", start)]


def test_the_first_page_explains_ocop_and_the_five_tiers_with_their_source(client):
    body = client.get(reverse("catalogue:catalogue")).content.decode()
    about = section(body)
    for words in [
        "OCOP là gì?",
        "Mỗi xã một sản phẩm",
        "Từ 90 đến 100 điểm · cấp quốc gia",
        "Từ 70 đến dưới 90 điểm · cấp tỉnh",
        "Từ 50 đến dưới 70 điểm · cấp tỉnh",
        "Từ 30 đến dưới 50 điểm · không cấp giấy chứng nhận",
        "Dưới 30 điểm · không cấp giấy chứng nhận",
        "36 tháng",
        "Quyết định số 26/2026/QĐ-TTg",
        "Quyết định số 148/QĐ-TTg",
    ]:
        assert words in about, words
    for stars in range(1, 6):
        assert f'aria-label="{stars} sao"' in about
    assert 'href="#about-ocop"' in body


def test_in_english_too(client):
    with_english = client.get("/en/").content.decode()
    about = section(with_english)
    for words in ["What is OCOP?", "90 to 100 points · national level", "Decision 26/2026/QĐ-TTg"]:
        assert words in about, words
    assert "Hạng" not in about and "điểm" not in about


def test_a_filtered_or_searched_page_leaves_it_out(client):
    for query in ("?stars=4", "?q=tra", "?page=2"):
        body = client.get(reverse("catalogue:catalogue") + query).content.decode()
        assert 'id="about-ocop"' not in body, query
