"""A file is what its first bytes say (core.filetypes), and its name must say the same; web
pages, drawings and files that are two things at once are refused with a sentence."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.files import validate_document, validate_photo
from core.filetypes import content_type_of
from tests.factories import PDF


def picture(fmt) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (20, 120, 60)).save(out, format=fmt)
    return out.getvalue()


def refused(validator, name, content) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        validator(SimpleUploadedFile(name, content))
    return error.value


# ------------------------------------------------------------------ the name says the kind
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", picture("JPEG")),
        ("anh.jpg", picture("PNG")),
        ("anh.png", picture("WEBP")),
        ("anh.webp", picture("JPEG")),
        ("giay-chung-nhan.jpg", PDF),
        ("giay-chung-nhan", PDF),
    ],
    ids=[
        "jpeg named pdf",
        "png named jpg",
        "webp named png",
        "jpeg named webp",
        "pdf named jpg",
        "no extension",
    ],
)
def test_a_name_that_says_another_kind_is_refused(english, name, content):
    error = refused(validate_document, name, content)
    assert error.code == "name_mismatch"
    assert name in error.messages[0] and "should end in" in error.messages[0]


def test_the_message_names_the_kind_and_the_ending_in_vietnamese():
    message = refused(validate_document, "bao-cao.pdf", picture("JPEG")).messages[0]
    assert "bao-cao.pdf" in message and "JPEG" in message and ".jpg" in message
    assert "tệp" in message.lower()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("anh.jpg", "JPEG"), ("ANH.JPEG", "JPEG"), ("anh.png", "PNG"), ("anh.webp", "WEBP")],
)
def test_a_picture_named_as_what_it_is_is_accepted(name, fmt):
    validate_photo(SimpleUploadedFile(name, picture(fmt)))
    validate_document(SimpleUploadedFile(name, picture(fmt)))


def test_a_pdf_is_evidence_but_not_a_photo():
    validate_document(SimpleUploadedFile("giay.pdf", PDF))
    assert refused(validate_photo, "giay.pdf", PDF).code == "bad_format"


# ------------------------------------------------------------------ files that run code
MARKUP = {
    "html": b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
    "svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "hta": b'<HTA:APPLICATION ID="x"><script language="VBScript">CreateObject("WScript.Shell")'
    b'.Run "calc"</script>',
    "html with a byte-order mark": b"\xef\xbb\xbf  \n<html><script>alert(1)</script></html>",
}


@pytest.mark.parametrize("kind", MARKUP)
@pytest.mark.parametrize("name", ["trang.html", "giay.pdf", "anh.jpg", "anh.svg", "x.hta"])
def test_web_pages_drawings_and_html_applications_are_refused(english, kind, name):
    for validator in (validate_document, validate_photo):
        error = refused(validator, name, MARKUP[kind])
        assert error.code == "markup"
        assert "web page" in error.messages[0]


def test_a_pdf_that_is_also_a_web_page_is_refused(english):
    polyglot = PDF.replace(b"%%EOF", b"<html><script>alert(1)</script></html>\n%%EOF")
    error = refused(validate_document, "giay.pdf", polyglot)
    assert error.code == "polyglot"
    assert "something else" in error.messages[0]


def test_a_pdf_with_an_archive_after_it_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("META-INF/MANIFEST.MF", "Main-Class: Evil\n")
        z.writestr("Evil.class", b"\xca\xfe\xba\xbe")
    assert refused(validate_document, "giay.pdf", PDF + archive.getvalue()).code == "polyglot"


def test_a_gifar_is_refused():
    """A GIF with a Java archive after it: GIF is not a kind the registry keeps at all."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Evil.class", b"\xca\xfe\xba\xbe")
    gifar = picture("GIF") + archive.getvalue()
    for validator, name in ((validate_photo, "anh.gif"), (validate_document, "anh.gif")):
        assert refused(validator, name, gifar).code == "bad_format"
    assert refused(validate_photo, "anh.jpg", gifar).code == "bad_format"


def test_an_iphone_photo_is_refused_with_how_to_send_it(english):
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)
    message = refused(validate_photo, "IMG_0001.HEIC", heic).messages[0]
    assert "HEIC" in message and "JPEG" in message


# ------------------------------------------------------------------ what a download is sent as
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, "application/pdf"),
        (picture("JPEG"), "image/jpeg"),
        (picture("PNG"), "image/png"),
        (picture("WEBP"), "image/webp"),
        (MARKUP["html"], "application/octet-stream"),
        (b"anything else", "application/octet-stream"),
    ],
)
def test_the_content_type_comes_from_the_bytes(content, expected):
    assert content_type_of(content[:64]) == expected
