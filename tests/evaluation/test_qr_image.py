"""The QR code served as an image (the product page's <img>) is a standalone SVG file."""

from xml.etree import ElementTree

from django.urls import reverse

from tests.factories import ProductFactory, certificate_of


def test_the_qr_image_is_an_svg_document_a_browser_can_draw(client, db):
    # Without the SVG namespace a browser shows a broken image in an <img>.
    certificate = certificate_of(ProductFactory(stars=4))
    response = client.get(reverse("evaluation:verify_qr", args=[certificate.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert int(root.get("width")) > 0
