"""The sales points' map in Chromium: pins from the list, tiles from the configured
server (answered here by the browser's own router: no network), a tile server that does
not answer, a browser without scripts, at office and phone widths; and the API docs
page's Swagger UI, served by the site, under the same strict policy."""

import io
from decimal import Decimal

import pytest
from PIL import Image
from playwright.sync_api import expect

from registry.models import SalesPoint
from tests.factories import ProductFactory, commune, province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TILES = "https://tiles.example.test/{z}/{x}/{y}.png"
WIDTHS = [pytest.param(1366, id="office"), pytest.param(390, id="phone")]


def tile_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (226, 232, 222)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def points(reference_data, settings):
    settings.MAP_TILE_URL = TILES
    settings.MAP_TILE_ATTRIBUTION = "© OpenStreetMap contributors"
    tea = ProductFactory(name="Trà sen Tây Hồ", stars=4)
    made = []
    for name, place, at in [
        ("Trung tâm OCOP Hà Nội", "Phường Hoàn Kiếm", ("21.028765", "105.852345")),
        ("Showroom OCOP Bát Tràng", "Xã Bát Tràng", ("20.976112", "105.912904")),
        ("Điểm bán Hoài Đức", "Xã Hoài Đức", None),
    ]:
        point = SalesPoint.objects.create(
            name=name,
            address="Số 1",
            commune=commune(place),
            latitude=Decimal(at[0]) if at else None,
            longitude=Decimal(at[1]) if at else None,
        )
        point.products.add(tea)
        made.append(point)
    return made


@pytest.fixture
def violations(page):
    seen = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and seen.append(f"{page.url}: {m.text}"),
    )
    page.on("pageerror", lambda error: seen.append(f"{page.url}: script error: {error}"))
    return seen


@pytest.mark.parametrize("width", WIDTHS)
def test_the_map_pins_the_listed_points_and_the_filter_narrows_both(
    page, live_server, points, violations, snap, width
):
    page.set_viewport_size({"width": width, "height": 900})
    body = tile_png()
    page.route("https://tiles.example.test/**", lambda route: route.fulfill(body=body))
    page.goto(f"{live_server.url}/diem-ban/")
    expect(page.locator("#sales-map")).to_be_visible()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(2)
    expect(page.locator(".leaflet-tile-loaded").first).to_be_visible()
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("OpenStreetMap")
    expect(page.locator("#map-unavailable")).to_be_hidden()
    # A pin's popup names its point and leads to its card.
    page.locator(".leaflet-marker-icon[title='Showroom OCOP Bát Tràng']").click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Showroom OCOP Bát Tràng")
    snap("map")
    # Choosing a province reloads the page with its communes (the script submits).
    page.select_option("select[name=province]", str(province("01").pk))
    page.wait_for_url("**province=*")
    page.select_option("select[name=commune]", str(commune("Xã Bát Tràng").pk))
    page.click("#place-filter button[type=submit]")
    expect(page.locator("#points .sales-point")).to_have_count(1)
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    # No sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    snap("filtered")
    assert violations == []


def test_a_tile_server_that_does_not_answer_leaves_pins_and_list(
    page, live_server, points, violations
):
    page.route("https://tiles.example.test/**", lambda route: route.abort())
    page.goto(f"{live_server.url}/diem-ban/")
    expect(page.locator("#map-unavailable")).to_be_visible()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(2)
    expect(page.locator("#points .sales-point")).to_have_count(3)
    assert [v for v in violations if "script error" in v] == []


def test_without_scripts_the_list_and_filter_are_the_page(browser, live_server, points):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/diem-ban/")
        expect(page.locator("#sales-map")).to_be_hidden()
        expect(page.locator("#points .sales-point")).to_have_count(3)
        page.select_option("select[name=province]", str(province("01").pk))
        page.click("#place-filter button[type=submit]")
        page.select_option("select[name=commune]", str(commune("Xã Hoài Đức").pk))
        page.click("#place-filter button[type=submit]")
        expect(page.locator("#points .sales-point")).to_have_count(1)
        expect(page.locator("#points")).to_contain_text("Điểm bán Hoài Đức")
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_api_docs_page_runs_swagger_ui_from_the_site(
    page, live_server, reference_data, violations, snap, width
):
    ProductFactory(name="Trà sen Tây Hồ", stars=4)
    page.set_viewport_size({"width": width, "height": 900})
    outside = []
    page.on(
        "request",
        lambda request: (
            request.url.startswith(live_server.url)
            or request.url.startswith("data:")
            or outside.append(request.url)
        ),
    )
    page.goto(f"{live_server.url}/en/api/docs/")
    expect(page.locator("#swagger-ui .opblock")).to_have_count(6)
    expect(page.locator("#swagger-ui")).to_contain_text("Certificate registry")
    # Try the product list: the answer comes back in the page.
    block = page.locator("#operations-products-products_list")
    block.locator(".opblock-summary").click()
    block.get_by_role("button", name="Try it out").click()
    block.get_by_role("button", name="Execute").click()
    expect(block.locator(".responses-wrapper .live-responses-table")).to_contain_text("200")
    expect(block.locator(".responses-wrapper")).to_contain_text("Trà sen Tây Hồ")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    snap("tried")
    # The Vietnamese page reads the schema in Vietnamese.
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator("#swagger-ui")).to_contain_text("Sổ đăng ký giấy chứng nhận")
    assert outside == []
    assert violations == []
