"""Anyone checks a certificate by number or QR code; the PDF prints it in Vietnamese."""

import io
import re
import subprocess
from datetime import timedelta

import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from evaluation import certificates
from evaluation.models import Certificate
from tests.factories import ProductFactory, act, certificate_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    product = ProductFactory(name="Trà sen Tây Hồ", stars=4, producer__name="Công ty Trà sen")
    return certificate_of(product)


def verdict(client, number):
    response = client.get(reverse("evaluation:verify", args=[number]))
    return response, response.content.decode()


def test_a_valid_certificate_says_genuine_and_in_force(client, certificate):
    response, body = verdict(client, certificate.number)
    assert response.status_code == 200
    assert "Còn hiệu lực" in body or "còn hiệu lực" in body
    for text in [
        "Trà sen Tây Hồ",
        "Công ty Trà sen",
        certificate.number,
        certificate.expires_on.strftime("%d/%m/%Y"),
    ]:
        assert text in body, text


def extended(certificate):
    """Expired ten days ago, kept in force while a late re-evaluation is pending (Decision
    26/2026 Điều 12 khoản 3): as evaluation.filing leaves it."""
    today = timezone.localdate()
    certificate.expires_on = today - timedelta(days=10)
    certificate.extended_until = certificate.expires_on + timedelta(days=180)
    certificate.save()
    return certificate


def test_a_certificate_kept_in_force_past_expiry_says_so_and_until_when(client, certificate):
    extended(certificate)
    response, body = verdict(client, certificate.number)
    assert 'class="alert alert-success" id="verdict"' in body
    assert "Giấy chứng nhận thật, còn hiệu lực" in body
    assert certificate.extended_until.strftime("%d/%m/%Y") in body
    assert "Điều 12 khoản 3" in body


def test_the_product_page_shows_the_extension(client, certificate):
    extended(certificate)
    body = client.get(
        reverse("catalogue:product", args=[certificate.product.slug])
    ).content.decode()
    assert 'id="extension"' in body
    assert certificate.extended_until.strftime("%d/%m/%Y") in body


def test_an_extended_certificate_prints_until_when(client, certificate):
    extended(certificate)
    response = client.get(reverse("evaluation:certificate_pdf", args=[certificate.number]))
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Tiếp tục có hiệu lực" in text
    assert certificate.extended_until.strftime("%d/%m/%Y") in text
    assert "HẾT HIỆU LỰC" not in text


def test_numbers_are_read_without_spaces_or_case(client, certificate):
    typed = " " + certificate.number.lower().replace("-", "- ", 1) + " "
    response = client.get(reverse("evaluation:verify_form"), {"so": typed})
    assert response["Location"] == reverse("evaluation:verify", args=[certificate.number])


def test_an_unknown_number_says_so_plainly(client):
    response, body = verdict(client, "OCOP-01-2099-999999")
    assert response.status_code == 404
    assert "Không có giấy chứng nhận OCOP số OCOP-01-2099-999999" in body


def test_a_revoked_certificate_shows_ground_and_date(client, certificate, people):
    certificates.revoke(
        certificate,
        ground="mark_misuse",
        inspection_reference="KL 15/KL-TTr",
        concluded_on=timezone.localdate(),
        actor=people["inspector"],
        act=act(),
    )
    _response, body = verdict(client, certificate.number)
    assert "Đã bị thu hồi" in body or "Đã thu hồi" in body
    assert "Sử dụng sai biểu trưng OCOP" in body
    assert timezone.localdate().strftime("%d/%m/%Y") in body


def test_an_expired_certificate_says_expired(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=timezone.localdate() - timedelta(days=1200),
        expires_on=timezone.localdate() - timedelta(days=5),
    )
    _response, body = verdict(client, certificate.number)
    assert "hết hiệu lực" in body.lower()


def test_a_superseded_certificate_links_to_the_newer_one(client, certificate):
    newer = Certificate.objects.create(
        number="OCOP-01-2026-000777",
        product=certificate.product,
        level="province",
        stars=5,
        issued_on=timezone.localdate(),
        expires_on=timezone.localdate() + timedelta(days=1000),
    )
    Certificate.objects.filter(pk=certificate.pk).update(superseded_by=newer)
    _response, body = verdict(client, certificate.number)
    assert reverse("evaluation:verify", args=[newer.number]) in body


def test_the_product_page_shows_the_qr_code_of_its_certificate(client, certificate):
    product = certificate.product
    body = client.get(reverse("catalogue:product", args=[product.slug])).content.decode()
    assert reverse("evaluation:verify_qr", args=[certificate.number]) in body
    svg = client.get(reverse("evaluation:verify_qr", args=[certificate.number]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg")


def render_page(pdf: bytes, folder) -> Image.Image:
    """The first page as an image, as a person (or a phone camera) would see it."""
    (folder / "certificate.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "150",
            "-singlefile",
            folder / "certificate.pdf",
            folder / "page",
        ],
        check=True,
        timeout=60,
    )
    return Image.open(folder / "page.png")


def test_the_pdf_prints_vietnamese_text_and_a_qr_code_that_opens_the_check(
    client, certificate, tmp_path
):
    response = client.get(reverse("evaluation:certificate_pdf", args=[certificate.number]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for words in [
        "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP",
        "Trà sen Tây Hồ",
        "Công ty Trà sen",
        "Xã Hoài Đức",
        certificate.number,
        "Có giá trị đến",
    ]:
        assert words in text, words
    decoded = [
        barcode.text for barcode in zxingcpp.read_barcodes(render_page(response.content, tmp_path))
    ]
    assert decoded == [
        "http://testserver" + reverse("evaluation:verify", args=[certificate.number])
    ]


def test_the_qr_code_uses_the_public_site_address_when_set(client, certificate, settings, tmp_path):
    settings.SITE_URL = "https://ocop.hanoi.gov.vn"
    response = client.get(reverse("evaluation:certificate_pdf", args=[certificate.number]))
    decoded = [b.text for b in zxingcpp.read_barcodes(render_page(response.content, tmp_path))]
    assert decoded == [
        "https://ocop.hanoi.gov.vn" + reverse("evaluation:verify", args=[certificate.number])
    ]


def test_a_revoked_certificate_prints_as_revoked(client, certificate, people):
    certificates.revoke(
        certificate,
        ground="production_stopped",
        inspection_reference="KL 2",
        concluded_on=timezone.localdate(),
        actor=people["inspector"],
        act=act(),
    )
    response = client.get(reverse("evaluation:certificate_pdf", args=[certificate.number]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "ĐÃ THU HỒI" in text


def test_the_certificate_pdf_is_kept_until_its_state_changes(client, monkeypatch):
    """Drawing a PDF costs a worker about a second: the same certificate in the same state
    is drawn once; a revocation (a change of state and of public data) draws it anew."""
    from evaluation import verification as verification_module

    certificate = certificate_of(ProductFactory(stars=4))
    drawn = []
    real = verification_module.pdf_bytes

    def counting(request, cert):
        drawn.append(cert.pk)
        return real(request, cert)

    monkeypatch.setattr(verification_module, "pdf_bytes", counting)
    url = reverse("evaluation:certificate_pdf", args=[certificate.number])
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(drawn) == 1
    certificates.revoke(
        certificate,
        ground="mark_misuse",
        inspection_reference="KL 3/2026",
        concluded_on=timezone.localdate(),
        actor=None,
        act=act(),
    )
    assert client.get(url).status_code == 200
    assert len(drawn) == 2


def test_anonymous_pdf_printing_has_a_budget_per_address(client, settings, monkeypatch):
    from evaluation import verification as verification_module

    settings.CERTIFICATE_PDF_PER_MINUTE = 3
    monkeypatch.setattr(verification_module, "pdf_bytes", lambda request, cert: b"%PDF-1.4")
    numbers = [certificate_of(ProductFactory(stars=4)).number for _ in range(4)]
    codes = [
        client.get(reverse("evaluation:certificate_pdf", args=[n])).status_code for n in numbers
    ]
    assert codes == [200, 200, 200, 429]
    other = client.get(
        reverse("evaluation:certificate_pdf", args=[numbers[0]]), REMOTE_ADDR="127.0.0.2"
    )
    assert other.status_code == 200


def test_a_longer_string_that_starts_with_a_number_is_unknown(client, certificate):
    response, _body = verdict(client, certificate.number + "X" * 41)
    assert response.status_code == 404


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_from_the_english_check_the_pdf_is_an_english_rendering_marked_as_such(
    client, certificate, english
):
    """An English reader gets the paper in English, every word but the proper names (the
    product, its maker and places, the act's number), and is told the certificate itself
    is issued in Vietnamese; the QR code opens the English check."""
    text = _pdf_text(client.get(reverse("evaluation:certificate_pdf", args=[certificate.number])))
    for words in ["OCOP PRODUCT CERTIFICATE", "Valid until:", "Producer:", "4 stars"]:
        assert words in text, words
    assert "English rendering for information" in text
    producer = certificate.product.producer
    for name in sorted(
        [
            certificate.product.name,
            producer.name,
            producer.commune.name,
            producer.commune.parent.name,
            certificate.unit.name if certificate.unit else "",
            "QĐ-TTg",
        ],
        key=len,
        reverse=True,
    ):
        text = text.replace(name, "") if name else text
    vietnamese = re.compile(
        "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I
    )
    assert vietnamese.findall(text) == [], text


def test_an_office_printing_certificates_from_english_pages_gets_the_vietnamese_paper(
    client, certificate, english
):
    """The batch print is the paper an office signs and seals: Vietnamese whatever the
    language of the office's pages."""
    from tests.factories import office_of

    office = office_of("vp-print", "province", certificate.product.producer.commune.parent)
    client.force_login(office)
    response = client.get(reverse("evaluation:certificates_pdf"), {"id": certificate.pk})
    text = _pdf_text(response)
    assert "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP" in text and "Có giá trị đến" in text
    assert "English rendering" not in text and "Valid until" not in text
