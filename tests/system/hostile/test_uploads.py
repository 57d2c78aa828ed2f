"""Hostile files through the real views: the dossier's document upload, the product photo
in the admin, and the import. tests/core/test_files.py checks the validators on their
own; here each file goes the whole way (multipart parsing, temporary file, form, model
validation, storage) and must be refused with a message, leaving no row and no file.

The files are made for real: a text file named .jpg, a 6 KB PNG that decodes to 48
million pixels, a 50 MB file written to disk and streamed, PDFs whose opening action runs
JavaScript (spelled plainly, with the name escapes PDF readers also accept, and packed in a
compressed object stream) or that carry a program, a web page and a drawing with a script,
and a JPEG named .pdf."""

import io
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.files import validate_document, validate_photo
from imports.reading import FileRefused, check_size, read_file
from registry.models import ProductPhoto
from tests import pdfs
from tests.system.hostile.checks import (
    Snapshot,
    messages_of,
    no_error_logged,
    says_something,
)

pytestmark = pytest.mark.django_db

FIFTY_MB = 50 * 1024 * 1024


def small_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def decompression_bomb() -> bytes:
    """A 6 KB PNG of 8000×6000 pixels (48 million; the limit is 40): small on the wire,
    144 MB once decoded as RGB."""
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def pdf(open_action: bytes) -> bytes:
    """A one-page PDF whose catalogue runs `open_action` as soon as it is opened."""
    return pdfs.classic(open_action)


HOSTILE_FILES = {
    "text named .jpg": lambda tmp: ("anh-san-pham.jpg", b"Day khong phai la mot buc anh.\n" * 40),
    "decompression bomb": lambda tmp: ("anh-san-pham.png", decompression_bomb()),
    "50 MB file": lambda tmp: ("anh-san-pham.jpg", _fifty_megabytes(tmp)),
    "PDF running JavaScript": lambda tmp: (
        "giay-chung-nhan.pdf",
        pdf(b"<< /Type /Action /S /JavaScript /JS (app.alert('OCOP');) >>"),
    ),
    "PDF running escaped JavaScript": lambda tmp: (
        "giay-chung-nhan.pdf",
        # /J#61vaScript and /J#53 are /JavaScript and /JS to every PDF reader.
        pdf(b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert('OCOP');) >>"),
    ),
    # Packed in a compressed object stream: no byte of the file spells the script.
    "PDF running packed JavaScript": lambda tmp: ("giay-chung-nhan.pdf", pdfs.packed()),
    "PDF carrying a program": lambda tmp: ("giay-chung-nhan.pdf", pdfs.with_attachment()),
    "web page named .pdf": lambda tmp: (
        "giay-chung-nhan.pdf",
        b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
    ),
    "drawing with a script": lambda tmp: (
        "anh-san-pham.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
    ),
    "JPEG named .pdf": lambda tmp: ("giay-chung-nhan.pdf", small_jpeg()),
}


def _fifty_megabytes(tmp_path):
    """A real 50 MB file on disk (a JPEG with 50 MB of padding after it), opened for
    reading: the test client reads it from the file; the site refuses the request by its
    declared length (413) before reading it, so no temporary file is written."""
    path = tmp_path / "anh-san-pham.jpg"
    with path.open("wb") as out:
        out.write(small_jpeg())
        chunk = bytes(range(256)) * 4096  # 1 MB that does not compress to nothing
        for _ in range(50):
            out.write(chunk)
    assert path.stat().st_size > FIFTY_MB
    return path


@contextmanager
def upload(name, content):
    """The file as the test client sends it: a path on disk is opened and read from there."""
    if isinstance(content, bytes):
        yield SimpleUploadedFile(name, content)
    else:
        with content.open("rb") as handle:
            yield handle


@pytest.fixture(autouse=True)
def temporary_uploads(settings, tmp_path):
    """Large uploads go to a temporary file first: in a folder of this test, so that the
    test can see none is left behind."""
    folder = tmp_path / "upload-tmp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


def validator_message(content, name, validator=validate_document) -> str:
    """What the project's validator says about this file, in the page's language."""
    source = SimpleUploadedFile(name, content) if isinstance(content, bytes) else None
    if source is None:  # the 50 MB file: its size decides before any byte is read
        source = SimpleUploadedFile(name, b"")
        source.size = content.stat().st_size
    with pytest.raises(ValidationError) as refused:
        validator(source)
    return refused.value.messages[0]


def assert_too_large(response):
    """Over MAX_REQUEST_BYTES: refused in words before the body is read (no temporary file)."""
    assert response.status_code == 413
    assert says_something(response.content.decode())


def assert_refused(before, temporary_uploads):
    before.assert_unchanged()
    assert not list(temporary_uploads.iterdir()), "a temporary upload was left behind"


# ------------------------------------------------------------------ the dossier's documents
@pytest.mark.parametrize("kind", HOSTILE_FILES)
def test_a_hostile_document_is_refused_by_the_dossier_upload_with_the_reason(
    world, browser_like, tmp_path, temporary_uploads, kind
):
    name, content = HOSTILE_FILES[kind](tmp_path)
    url = reverse("evaluation:upload", args=[world["draft"].pk])
    before = Snapshot()
    with no_error_logged(), upload(name, content) as file:
        response = browser_like(world["owner"]).post(
            url, {"title": "Giấy chứng nhận ATTP", "file": file}
        )
    if kind == "50 MB file":
        assert_too_large(response)
    else:
        assert response.status_code == 302
        assert messages_of(response, "error") == [validator_message(content, name)]
    assert_refused(before, temporary_uploads)


# ------------------------------------------------------------------ the product photo (admin)
def admin_photo_post(client, product, image):
    """The product's change page as it stands, plus one new photo row."""
    url = reverse("admin:registry_product_change", args=[product.pk])
    page = client.get(url)
    data = {}
    for bound in page.context["adminform"].form:
        value = bound.value()
        if value not in (None, False):
            data[bound.html_name] = "on" if value is True else str(value)
    for inline in page.context["inline_admin_formsets"]:
        for bound in inline.formset.management_form:
            data[bound.html_name] = str(bound.value())
        if inline.formset.model is ProductPhoto:
            prefix = inline.formset.prefix
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-image": image,
            f"{prefix}-0-caption": "Mặt trước",
            f"{prefix}-0-position": "0",
            f"{prefix}-0-product": str(product.pk),
        }
    )
    return client.post(url, data)


@pytest.mark.parametrize("kind", HOSTILE_FILES)
def test_a_hostile_photo_is_refused_by_the_admin_with_the_reason(
    world, browser_like, tmp_path, temporary_uploads, kind
):
    name, content = HOSTILE_FILES[kind](tmp_path)
    product = world["certificate"].product
    client = browser_like(world["admin"])
    before = Snapshot()
    with no_error_logged(), upload(name, content) as file:
        response = admin_photo_post(client, product, file)
    if kind == "50 MB file":
        assert_too_large(response)
        assert_refused(before, temporary_uploads)
        return
    assert response.status_code == 200  # the form again, with its errors
    errors = [str(e) for group in response.context["errors"] for e in group]
    assert errors and all(says_something(e) for e in errors), errors
    if kind == "decompression bomb":
        # Django's own image check lets it through; the project's validator says why.
        assert validator_message(content, name, validate_photo) in errors
    assert_refused(before, temporary_uploads)


# ------------------------------------------------------------------ the import
def import_refusal(content) -> str | None:
    """What the import's reader says about this file, if it refuses it outright."""
    try:
        if isinstance(content, bytes):
            read_file(content)
        else:
            check_size(content.stat().st_size)
    except FileRefused as refused:
        return refused.message
    return None


@pytest.mark.parametrize("kind", HOSTILE_FILES)
def test_a_hostile_file_is_refused_by_the_import_with_the_reason(
    world, browser_like, tmp_path, temporary_uploads, kind
):
    name, content = HOSTILE_FILES[kind](tmp_path)
    before = Snapshot()
    with no_error_logged(), upload(name, content) as file:
        response = browser_like(world["district_office"]).post(
            reverse("imports:upload"), {"file": file}
        )
    if kind == "50 MB file":
        assert_too_large(response)
        assert_refused(before, temporary_uploads)
        return
    errors = response.context["form"].errors.get("file", [])
    expected = import_refusal(content)
    if expected is None:
        # The text named .jpg reads as a table, just not one of ours: the columns it lacks
        # are listed, and nothing can be confirmed.
        assert response.status_code in (200, 400)
        assert 'id="confirm-form"' not in response.content.decode()
        assert says_something(response.content.decode())
    else:
        assert response.status_code == 400
        assert errors == [expected]
    assert_refused(before, temporary_uploads)
