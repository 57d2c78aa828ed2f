"""A visitor on a phone sees the product page's QR code drawn (Chromium refuses an SVG
without its namespace in an <img>), reads it back, and reports a suspected fake from the
certificate check; the office that issued the certificate finds it in its notices."""

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from evaluation.models import FakeReport
from notifications.models import Notification
from tests.factories import ProductFactory, certificate_of, office_of, province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def test_the_qr_code_draws_and_a_suspected_fake_reaches_the_office(
    page, live_server, reference_data, snap, tmp_path
):
    product = ProductFactory(name="Miến dong Cự Đà", stars=4)
    certificate = certificate_of(product)
    office = office_of("vp.test", certificate.level, certificate.unit or province("01"))
    page.goto(live_server.url + reverse("catalogue:product", args=[product.slug]))
    image = page.locator("img[src$='qr.svg']")
    expect(image).to_be_visible()
    assert image.evaluate("i => i.complete && i.naturalWidth") > 0
    image.screenshot(path=tmp_path / "qr.png")
    decoded = [code.text for code in zxingcpp.read_barcodes(Image.open(tmp_path / "qr.png"))]
    assert decoded == [live_server.url + reverse("evaluation:verify", args=[certificate.number])]
    snap("product")

    page.goto(decoded[0])
    page.click("#report-fake a")
    expect(page.locator("#reported-certificate")).to_contain_text("Miến dong Cự Đà")
    page.fill("#id_seen", "Tem OCOP in mờ, mã QR không quét được")
    page.fill("#id_place", "Sạp 12, chợ Hà Đông")
    page.click("#report-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("Cảm ơn bạn")
    snap("report-sent")
    assert FakeReport.objects.get().certificate == certificate
    assert Notification.objects.filter(recipient=office, kind="fake_reported").exists()
