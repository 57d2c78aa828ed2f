"""A visitor on a phone finds a product by typing without accents, opens it, sees its QR
code drawn, and checks its certificate, first through the product page's link, then by
typing the number."""

import pytest
from playwright.sync_api import expect

from tests.factories import ProductFactory, certificate_of, commune, district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lotus_tea(reference_data):
    product = ProductFactory(
        name="Trà sen Tây Hồ",
        stars=5,
        producer__name="Hợp tác xã Trà sen Quảng An",
        producer__commune=commune("Phường Tây Hồ"),
        producer__district=district("003"),
    )
    ProductFactory(name="Trà xanh Thái Nguyên", stars=4)  # must not match the search
    return product


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def test_visitor_searches_without_accents_opens_the_product_and_verifies_it(
    page, live_server, lotus_tea, snap
):
    certificate = certificate_of(lotus_tea)
    page.goto(live_server.url)
    page.fill("input[name=q]", "tra sen tay ho")
    page.keyboard.press("Enter")
    results = page.locator("#results")
    expect(results).to_contain_text("Trà sen Tây Hồ")
    expect(results).not_to_contain_text("Trà xanh Thái Nguyên")
    snap("search")

    page.click("text=Trà sen Tây Hồ")
    expect(page.locator("h1")).to_have_text("Trà sen Tây Hồ")
    expect(page.locator("#certificate")).to_contain_text(certificate.number)
    # The QR code to print on the packaging: drawn by the browser (an SVG without its
    # namespace is not), and leading to this certificate's check page.
    qr = page.get_by_role("img", name="Mã QR")
    expect(qr).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    drawn = page.request.get(qr.evaluate("img => img.src"))
    assert drawn.ok and drawn.headers["content-type"].startswith("image/svg+xml")
    snap("product")

    page.click("#certificate-heading ~ * a[href*='/xac-thuc/']:not([href$='.pdf'])")
    expect(page.locator("#verdict")).to_contain_text("Giấy chứng nhận thật, còn hiệu lực")
    expect(page.locator("#certificate-facts")).to_contain_text("Hợp tác xã Trà sen Quảng An")
    expect(page.locator("#state")).to_contain_text("Còn hiệu lực")
    snap("verified")

    # The number typed as a buyer reads it off the paper: lower case, extra spaces.
    page.goto(f"{live_server.url}/xac-thuc/")
    page.fill("#so", f"  {certificate.number.lower()} ")
    page.keyboard.press("Enter")
    expect(page.locator("#verdict")).to_contain_text("Giấy chứng nhận thật, còn hiệu lực")
    expect(page.locator("#certificate-facts")).to_contain_text(certificate.number)
    page.fill("#so", "OCOP-01-2020-999999")
    page.keyboard.press("Enter")
    expect(page.locator("#verdict")).to_contain_text("Không có giấy chứng nhận OCOP")
    snap("unknown-number")
