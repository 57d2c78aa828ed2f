"""The public catalogue: facets, accent-insensitive search, sorting, a product page's
queries (the listing's query counts: test_catalogue_queries.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.caching import forget_local
from registry.models import AdministrativeUnit, ProductPhoto, ProductSet
from tests.factories import ProducerFactory, ProductFactory, commune, district, image_upload

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:catalogue")


def names(response):
    return [p.name for p in response.context["page"].object_list]


@pytest.fixture
def hanoi_products():
    hoai_duc = ProducerFactory(
        name="HTX Bún Minh Dương", commune=commune("Xã Sơn Đồng"), district=district("274")
    )
    tay_ho = ProducerFactory(
        name="Công ty Trà sen", commune=commune("Phường Tây Hồ"), district=district("003")
    )
    return {
        "bun": ProductFactory(
            name="Bún khô Minh Dương",
            producer=hoai_duc,
            stars=4,
            product_set=ProductSet.objects.get(number=6),
        ),
        "tra": ProductFactory(
            name="Trà sen Tây Hồ",
            producer=tay_ho,
            stars=5,
            product_set=ProductSet.objects.get(number=11),
        ),
        "rau": ProductFactory(
            name="Rau Đông Anh",
            stars=3,
            producer__commune=commune("Xã Đông Anh"),
            producer__district=district("017"),
        ),
        "hidden": ProductFactory(name="Bún chưa công nhận", producer=hoai_duc, stars=2),
    }


def test_lists_only_public_products(client, hanoi_products):
    response = client.get(URL)
    assert response.status_code == 200
    assert set(names(response)) == {"Bún khô Minh Dương", "Trà sen Tây Hồ", "Rau Đông Anh"}


@pytest.mark.parametrize("query", ["hoai duc", "Hoai Duc", "Hoài Đức", "HOÀI ĐỨC", "hoài đuc"])
def test_search_ignores_accents_and_case_in_place_names(client, hanoi_products, query):
    assert names(client.get(URL, {"q": query})) == ["Bún khô Minh Dương"]


@pytest.mark.parametrize("query", ["dong anh", "Đông Anh", "ĐÔNG ANH"])
def test_d_with_stroke_folds_to_d(client, hanoi_products, query):
    assert names(client.get(URL, {"q": query})) == ["Rau Đông Anh"]


def test_search_finds_producer_names_without_accents(client, hanoi_products):
    assert names(client.get(URL, {"q": "minh duong"})) == ["Bún khô Minh Dương"]


def test_exact_accent_matches_rank_first(client, hanoi_products):
    ProductFactory(name="Bưn kho đặc sản", stars=3)  # folds to "bun kho" too
    ProductFactory(name="Bún khô đặc sản", stars=3)
    ranked = names(client.get(URL, {"q": "Bún khô"}))
    assert ranked[:2] == ["Bún khô Minh Dương", "Bún khô đặc sản"]
    assert ranked[2] == "Bưn kho đặc sản"


def test_words_match_at_their_start_only(client, hanoi_products):
    # "anh" is inside "Thành phố" of every Hanoi product; only Đông Anh starts a word with it.
    assert names(client.get(URL, {"q": "anh"})) == ["Rau Đông Anh"]
    assert names(client.get(URL, {"q": "tra se"})) == ["Trà sen Tây Hồ"]


def test_every_word_must_match(client, hanoi_products):
    assert names(client.get(URL, {"q": "tra hoai"})) == []


def test_search_never_reaches_unpublished_products(client, hanoi_products):
    assert names(client.get(URL, {"q": "chua cong nhan"})) == []


def test_filter_by_stars(client, hanoi_products):
    assert names(client.get(URL, {"stars": "5"})) == ["Trà sen Tây Hồ"]


def test_filter_by_group_and_set(client, hanoi_products):
    assert names(client.get(URL, {"product_set": ProductSet.objects.get(number=6).pk})) == [
        "Bún khô Minh Dương"
    ]
    food = ProductSet.objects.get(number=6).group
    assert set(names(client.get(URL, {"group": food.pk}))) == {
        "Bún khô Minh Dương",
        "Trà sen Tây Hồ",
        "Rau Đông Anh",
    }


def test_filter_by_province_district_and_commune(client, hanoi_products):
    hanoi = AdministrativeUnit.objects.get(level="province", code="01")
    other = AdministrativeUnit.objects.get(level="province", code="33")
    ProductFactory(
        name="Nhãn lồng Hưng Yên",
        stars=4,
        producer__commune=other.children.first(),
        producer__district=None,
    )
    assert "Nhãn lồng Hưng Yên" not in names(client.get(URL, {"province": hanoi.pk}))
    assert names(client.get(URL, {"province": other.pk})) == ["Nhãn lồng Hưng Yên"]
    assert names(client.get(URL, {"district": district("003").pk})) == ["Trà sen Tây Hồ"]
    response = client.get(URL, {"province": hanoi.pk, "commune": commune("Xã Đông Anh").pk})
    assert names(response) == ["Rau Đông Anh"]


def test_commune_choices_appear_only_inside_a_province(client, hanoi_products):
    form = client.get(URL).context["filter"].form
    assert list(form.fields["commune"].queryset) == []
    hanoi = AdministrativeUnit.objects.get(level="province", code="01")
    form = client.get(URL, {"province": hanoi.pk}).context["filter"].form
    assert form.fields["commune"].queryset.count() == 126


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Bún khô Minh Dương", "Rau Đông Anh", "Trà sen Tây Hồ"]),
        ("stars", ["Trà sen Tây Hồ", "Bún khô Minh Dương", "Rau Đông Anh"]),
    ],
)
def test_sorting(client, hanoi_products, sort, expected):
    assert names(client.get(URL, {"sort": sort})) == expected


def test_newest_first(client, hanoi_products):
    newest = ProductFactory(name="Sản phẩm mới nhất", stars=3)
    assert names(client.get(URL, {"sort": "newest"}))[0] == newest.name


def test_a_bad_filter_value_is_explained_not_a_500(client, hanoi_products):
    response = client.get(URL, {"stars": "9", "province": "abc"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_pagination_keeps_the_filters(client, settings):
    settings.CATALOGUE_PAGE_SIZE = 2
    for n in range(5):
        ProductFactory(name=f"Gốm {n}", stars=4)
    response = client.get(URL, {"q": "gom", "page": 2})
    assert names(response) == ["Gốm 2", "Gốm 3"]
    assert "q=gom&amp;page=3" in response.content.decode()


def _queries(client, url, params=None):
    cache.clear()  # measure the uncached request: counts and figures are cached
    forget_local()  # and what this process keeps (core/caching.py)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_product_page_query_count_does_not_grow_with_siblings(client):
    product = ProductFactory(stars=4)
    ProductPhoto.objects.create(product=product, image=image_upload(size=(64, 48)))
    url = reverse("catalogue:product", args=[product.slug])
    for _ in range(2):
        ProductFactory(producer=product.producer)
    small = _queries(client, url)
    for _ in range(30):
        ProductFactory(producer=product.producer)
    assert _queries(client, url) == small
