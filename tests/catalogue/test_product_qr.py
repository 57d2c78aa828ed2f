"""Every product page's QR code renders, and a print-size code of the page can be
downloaded for the packaging: both read back by a real decoder (zxing-cpp)."""

import io
import re
from xml.etree import ElementTree

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from core import qrcodes
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def rasterise(svg: bytes) -> Image.Image:
    """Draw segno's SVG as a camera would see it: the <svg> must be an SVG document (the
    namespace, a size), its <path> horizontal runs of dark modules."""
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    path = root.find(f"{SVG}path")
    assert path is not None
    extent = float((root.get("viewBox") or f"0 0 {root.get('width')}").split()[2])
    scale = re.search(r"scale\(([\d.]+)\)", path.get("transform") or "")
    modules = round(extent / (float(scale.group(1)) if scale else 1))
    dark = set()
    x = y = 0.0
    for command, numbers in re.findall(r"([MmHh])([-\d.\s]+)", path.get("d")):
        values = [float(v) for v in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            end = values[0] if command == "H" else x + values[0]
            dark.update((col, int(y)) for col in range(int(x), int(end)))
            x = end
    size = 8
    image = Image.new("L", (modules * size, modules * size), 255)
    for col, row in dark:
        image.paste(0, (col * size, row * size, (col + 1) * size, (row + 1) * size))
    return image


def decoded(image) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(image)]


@pytest.fixture
def product():
    return ProductFactory(name="Mật ong bạc hà", stars=4)


def test_the_svg_to_print_is_a_standalone_svg_of_the_product_address(client, product):
    response = client.get(reverse("catalogue:product_qr", args=[product.slug, "svg"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == f'attachment; filename="{product.slug}-qr.svg"'
    root = ElementTree.fromstring(response.content)
    assert root.get("width") == root.get("height")
    assert float(root.get("width").removesuffix("mm")) == qrcodes.PRINT_MM
    address = "http://testserver" + reverse("catalogue:product", args=[product.slug])
    assert decoded(rasterise(response.content)) == [address]


def test_the_png_to_print_is_three_centimetres_at_300_dpi(client, product, settings):
    settings.SITE_URL = "https://ocop.hanoi.gov.vn"
    response = client.get(reverse("catalogue:product_qr", args=[product.slug, "png"]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'attachment; filename="{product.slug}-qr.png"'
    image = Image.open(io.BytesIO(response.content))
    assert image.width == image.height >= 354  # 30 mm at 300 dpi
    assert round(image.info["dpi"][0]) == qrcodes.PRINT_DPI
    address = "https://ocop.hanoi.gov.vn" + reverse("catalogue:product", args=[product.slug])
    assert decoded(image.convert("L")) == [address]


def test_a_product_not_listed_has_no_code_to_print(client):
    hidden = ProductFactory(stars=4, is_published=False)
    uncertified = ProductFactory(stars=None, certified=False)
    for slug in (hidden.slug, uncertified.slug, "khong-co-san-pham-nay"):
        for fmt in ("svg", "png"):
            url = reverse("catalogue:product_qr", args=[slug, fmt])
            assert client.get(url).status_code == 404, url


def test_only_svg_and_png_are_drawn(client, product):
    pdf = reverse("catalogue:product_qr", args=[product.slug, "pdf"])
    assert client.get(pdf).status_code == 404
    url = reverse("catalogue:product_qr", args=[product.slug, "svg"])
    assert client.post(url).status_code == 405


def test_the_product_page_shows_a_qr_image_that_decodes_and_links_the_downloads(client, product):
    body = client.get(reverse("catalogue:product", args=[product.slug])).content.decode()
    image_url = re.search(r'<img src="([^"]+/qr\.svg)"', body).group(1)
    image = client.get(image_url)
    certificate = product.certificates.get()
    check = "http://testserver" + reverse("evaluation:verify", args=[certificate.number])
    assert decoded(rasterise(image.content)) == [check]
    for fmt in ("svg", "png"):
        assert reverse("catalogue:product_qr", args=[product.slug, fmt]) in body
