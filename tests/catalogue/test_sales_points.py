from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import AdministrativeUnit, SalesPoint
from tests.factories import ProductFactory, commune, province

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:sales_points")


def point(name, *products, **extra):
    sales_point = SalesPoint.objects.create(
        name=name, address="Số 1 Đinh Lễ", commune=commune("Phường Hoàn Kiếm"), **extra
    )
    sales_point.products.set(products)
    return sales_point


def test_the_list_shows_open_points_with_their_public_products_only(client):
    shown = ProductFactory(name="Trà sen Tây Hồ", stars=4)
    hidden = ProductFactory(name="Bún chưa công nhận", stars=2)
    point("Trung tâm OCOP Hà Nội", shown, hidden, opening_hours="8:00–21:00")
    point("Điểm đã đóng cửa", shown, is_active=False)
    body = client.get(URL).content.decode()
    assert "Trung tâm OCOP Hà Nội" in body and "8:00–21:00" in body
    assert "Trà sen Tây Hồ" in body
    assert "Bún chưa công nhận" not in body
    assert "Điểm đã đóng cửa" not in body


def test_the_product_page_says_where_to_buy(client):
    product = ProductFactory(stars=4)
    point("Showroom OCOP Bát Tràng", product)
    body = client.get(reverse("catalogue:product", args=[product.slug])).content.decode()
    assert "Showroom OCOP Bát Tràng" in body


def queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_runs_the_same_queries_for_2_and_20_points(client):
    products = [ProductFactory(stars=3) for _ in range(5)]
    for n in range(2):
        point(f"Điểm {n}", *products)
    small = queries(client)
    for n in range(2, 20):
        point(f"Điểm {n}", *products)
    assert queries(client) == small


# ------------------------------------------------------------ by place, and on the map
HOAN_KIEM = (Decimal("21.028765"), Decimal("105.852345"))


def elsewhere():
    """A commune of Hưng Yên (33): another province than Hà Nội's points."""
    return AdministrativeUnit.objects.communes().filter(parent__code="33").order_by("pk").first()


def cards(response) -> dict[str, str]:
    """Each listed point's card, by name: the HTML between its id and the next card."""
    html = response.content.decode()
    parts = html.split('<div class="col" id="point-')[1:]
    return {SalesPoint.objects.get(pk=int(p.split('"', 1)[0])).name: p for p in parts}


@pytest.fixture
def places():
    tea = ProductFactory(name="Trà sen Tây Hồ", stars=4)
    rice = ProductFactory(name="Gạo nếp cái hoa vàng", stars=3)
    lat, lng = HOAN_KIEM
    return {
        "centre": point("Trung tâm OCOP Hà Nội", tea, latitude=lat, longitude=lng),
        "hoai_duc": SalesPoint.objects.create(
            name="Điểm bán Hoài Đức", address="Khu hành chính", commune=commune("Xã Hoài Đức")
        ),
        "hung_yen": SalesPoint.objects.create(
            name="Điểm bán Hưng Yên",
            address="Chợ",
            commune=elsewhere(),
            latitude=Decimal("20.646"),
            longitude=Decimal("106.051"),
        ),
        "rice": rice,
    }


def test_points_filter_by_province_then_commune(client, places):
    hanoi = province("01")
    assert set(cards(client.get(URL))) == {
        "Trung tâm OCOP Hà Nội",
        "Điểm bán Hoài Đức",
        "Điểm bán Hưng Yên",
    }
    by_province = client.get(URL, {"province": hanoi.pk})
    assert set(cards(by_province)) == {"Trung tâm OCOP Hà Nội", "Điểm bán Hoài Đức"}
    # The province's communes with a point are offered, and only those.
    html = by_province.content.decode()
    commune_select = html.split('name="commune"', 1)[1].split("</select>", 1)[0]
    assert "Xã Hoài Đức" in commune_select and "Phường Hoàn Kiếm" in commune_select
    assert commune_select.count("<option") == 3  # "all communes" and the two
    by_commune = client.get(URL, {"province": hanoi.pk, "commune": commune("Xã Hoài Đức").pk})
    assert set(cards(by_commune)) == {"Điểm bán Hoài Đức"}
    assert "2 điểm bán" in by_province.content.decode()


def test_only_provinces_with_an_open_point_are_offered(client, places):
    places["hung_yen"].is_active = False
    places["hung_yen"].save()
    html = client.get(URL).content.decode()
    province_select = html.split('name="province"', 1)[1].split("</select>", 1)[0]
    assert "Thành phố Hà Nội" in province_select and "Hưng Yên" not in province_select
    # Without a province there is no commune to choose, and the list says why.
    assert "Chọn tỉnh/thành phố trước" in html


@pytest.mark.parametrize(
    "params",
    [
        {"province": "x"},
        {"province": "²"},
        {"province": "9" * 5000},
        {"province": "-1"},
        {"province": "1 OR 1=1"},
        {"commune": "1"},  # a commune without its province
        {"province": "PROVINCE", "commune": "<script>alert(1)</script>"},
        {"province": ["1", "2"]},
    ],
    ids=["word", "superscript", "5000 digits", "negative", "sql", "commune alone", "script", "two"],
)
def test_a_place_that_is_not_offered_says_so_and_shows_every_point(client, places, params):
    if params.get("province") == "PROVINCE":
        params = {**params, "province": province("01").pk}
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="place-invalid"' in html
    assert len(cards(response)) == 3
    assert "<script>alert(1)</script>" not in html


def test_a_place_without_any_point_is_not_offered(client, places):
    # Hưng Yên's point closes: an old link to that province is told, not shown an empty page.
    hung_yen = places["hung_yen"].commune.parent_id
    places["hung_yen"].is_active = False
    places["hung_yen"].save()
    response = client.get(URL, {"province": hung_yen})
    assert 'id="place-invalid"' in response.content.decode()
    assert set(cards(response)) == {"Trung tâm OCOP Hà Nội", "Điểm bán Hoài Đức"}


def test_without_a_tile_server_there_is_no_map_and_no_tile_host(client, places, settings):
    settings.MAP_TILE_URL = ""
    response = client.get(URL)
    html = response.content.decode()
    assert 'id="sales-map"' not in html and "leaflet" not in html
    assert "img-src 'self' data:;" in response["Content-Security-Policy"] + ";"
    assert "tiles" not in response["Content-Security-Policy"]
    # The list and the filter are the page.
    assert len(cards(response)) == 3 and 'name="province"' in html


def test_a_tile_server_adds_the_map_and_only_its_origin_to_the_policy(client, places, settings):
    settings.MAP_TILE_URL = "https://{s}.tiles.example.vn/osm/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© OpenStreetMap <contributors>"
    response = client.get(URL)
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["img-src"].split() == ["'self'", "data:", "https://*.tiles.example.vn"]
    assert policy["script-src"] == "'self'" and policy["connect-src"] == "'self'"
    html = response.content.decode()
    assert 'data-tiles="https://{s}.tiles.example.vn/osm/{z}/{x}/{y}.png"' in html
    assert 'data-attribution="© OpenStreetMap &lt;contributors&gt;"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    # Only this page: other pages keep the strict image policy.
    other = client.get(reverse("catalogue:catalogue"))["Content-Security-Policy"]
    assert "tiles.example.vn" not in other


def test_the_policy_names_the_tile_host_on_a_kept_page_too(client, places, settings):
    settings.MAP_TILE_URL = "https://tile.example.org/{z}/{x}/{y}.png"
    first = client.get(URL)
    second = client.get(URL)
    assert second["X-Page-Cache"] == "hit"
    for response in (first, second):
        assert "https://tile.example.org" in response["Content-Security-Policy"]


def test_pins_are_the_listed_points_with_a_place_and_public_products_only(client, places, settings):
    settings.MAP_TILE_URL = "https://tile.example.org/{z}/{x}/{y}.png"
    hidden = ProductFactory(name="Bún chưa công nhận", stars=2)
    places["centre"].products.add(hidden)
    listed = cards(client.get(URL))
    centre = listed["Trung tâm OCOP Hà Nội"]
    # Coordinates unlocalized (a Vietnamese page writes 21,028765 for numbers).
    assert 'data-lat="21.028765" data-lng="105.852345"' in centre
    assert "data-lat" not in listed["Điểm bán Hoài Đức"]
    assert "Trà sen Tây Hồ" in centre and "Bún chưa công nhận" not in centre
    # Filtered by place, the pins are that place's only.
    only_hanoi = client.get(URL, {"province": province("01").pk}).content.decode()
    assert only_hanoi.count("data-lat=") == 1 and "20.646" not in only_hanoi


def test_no_pin_at_all_means_no_map(client, settings):
    settings.MAP_TILE_URL = "https://tile.example.org/{z}/{x}/{y}.png"
    point("Không có tọa độ")
    html = client.get(URL).content.decode()
    assert 'id="sales-map"' not in html and "Không có tọa độ" in html


def test_the_english_page_filters_too(client, places):
    response = client.get("/en/diem-ban/", {"province": province("01").pk})
    html = response.content.decode()
    assert "2 sales points" in html and "All communes" in html


def test_filtered_lists_run_the_same_queries_for_2_and_20_points(client, settings):
    settings.MAP_TILE_URL = "https://tile.example.org/{z}/{x}/{y}.png"
    products = [ProductFactory(stars=3) for _ in range(5)]
    hoai_duc = commune("Xã Hoài Đức")
    params = {"province": province("01").pk, "commune": hoai_duc.pk}

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, params).status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        point(f"Điểm {n}", *products).__class__.objects.filter(name=f"Điểm {n}").update(
            commune=hoai_duc, latitude=HOAN_KIEM[0], longitude=HOAN_KIEM[1]
        )
    small = count()
    for n in range(2, 20):
        SalesPoint.objects.create(
            name=f"Điểm {n}", address="x", commune=hoai_duc, latitude=1, longitude=2
        ).products.set(products)
    assert count() == small


# ------------------------------------------------------------ coordinates
@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        (Decimal("90.000001"), Decimal("105"), "latitude"),
        (Decimal("-91"), Decimal("105"), "latitude"),
        (Decimal("21"), Decimal("180.5"), "longitude"),
        (Decimal("21"), None, "longitude"),
        (None, Decimal("105"), "latitude"),
    ],
)
def test_coordinates_out_of_range_or_alone_are_refused_in_words(latitude, longitude, field):
    sales_point = SalesPoint(
        name="Điểm", address="x", commune=commune(), latitude=latitude, longitude=longitude
    )
    with pytest.raises(ValidationError) as error:
        sales_point.full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize(
    "values", [{"latitude": 95, "longitude": 105}, {"latitude": 21, "longitude": None}]
)
def test_the_database_holds_the_coordinate_rules_too(values):
    with pytest.raises(IntegrityError), transaction.atomic():
        SalesPoint.objects.create(name="Điểm", address="x", commune=commune(), **values)


def test_the_admin_edits_the_coordinates(people, as_user):
    client = as_user(people["admin"])
    sales_point = point("Trung tâm OCOP Hà Nội")
    url = reverse("admin:registry_salespoint_change", args=[sales_point.pk])
    assert 'name="latitude"' in client.get(url).content.decode()
    data = {
        "name": sales_point.name,
        "address": sales_point.address,
        "commune": sales_point.commune_id,
        "opening_hours": "",
        "phone": "",
        "is_active": "on",
        "latitude": "21.028765",
        "longitude": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Hãy nhập cả vĩ độ và kinh độ" in refused.content.decode()
    assert client.post(url, {**data, "longitude": "105.852345"}).status_code == 302
    sales_point.refresh_from_db()
    assert (sales_point.latitude, sales_point.longitude) == HOAN_KIEM
