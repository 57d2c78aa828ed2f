"""Photos and evidence: real files through the real validators and storage."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from core.files import validate_document, validate_photo
from registry.models import EvidenceDocument, ProductPhoto
from tests import pdfs
from tests.factories import PDF, ProductFactory, image_upload, pdf_upload

pytestmark = pytest.mark.django_db


def test_a_photo_gets_a_thumbnail_once(media_dirs):
    product = ProductFactory()
    photo = ProductPhoto(product=product, image=image_upload(size=(1600, 1200)))
    photo.full_clean()
    photo.save()
    first = photo.thumbnail.name
    with Image.open(photo.thumbnail.path) as thumb:
        assert thumb.size == (480, 360)
    photo.caption = "Mặt trước"
    photo.save()
    assert photo.thumbnail.name == first  # not remade on every save
    assert str(media_dirs / "media") in photo.image.path


def test_text_named_jpg_is_not_a_photo():
    fake = SimpleUploadedFile("photo.jpg", b"this is not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        validate_photo(fake)
    assert error.value.code == "not_image"


def test_gif_is_refused_with_the_formats_we_take():
    with pytest.raises(ValidationError) as error:
        validate_photo(image_upload("a.gif", fmt="GIF"))
    assert error.value.code == "bad_format"


def test_oversized_photo_is_refused(settings):
    settings.MAX_PHOTO_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        validate_photo(image_upload(size=(800, 800)))
    assert error.value.code == "too_large"
    assert "1000" in str(error.value) or "KB" in str(error.value) or "byte" in str(error.value)


def test_decompression_bomb_is_refused(settings):
    settings.MAX_IMAGE_PIXELS = 1_000_000
    with pytest.raises(ValidationError) as error:
        validate_photo(image_upload("big.png", size=(2000, 2000), fmt="PNG"))
    assert error.value.code == "too_many_pixels"


def test_plain_pdf_evidence_is_kept_in_private_storage_as_sent(media_dirs):
    product = ProductFactory()
    doc = EvidenceDocument(product=product, title="Giấy ATTP", file=pdf_upload("gcn.pdf"))
    doc.full_clean()
    doc.save()
    assert str(media_dirs / "private") in doc.file.path
    assert str(media_dirs / "media") not in doc.file.path
    with doc.file.open("rb") as stored:
        assert stored.read() == PDF  # a PDF is checked, not rewritten


def test_pdf_with_javascript_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_document(pdf_upload("x.pdf", pdfs.classic(pdfs.JAVASCRIPT)))
    assert error.value.code == "pdf_active_content"


def test_evidence_may_be_a_picture_but_not_random_bytes():
    validate_document(image_upload())
    with pytest.raises(ValidationError):
        validate_document(SimpleUploadedFile("x.docx", b"PK\x03\x04 not allowed"))


# ------------------------------------------------------------------ any path that stores
def test_a_file_stored_without_a_form_is_checked_all_the_same(media_dirs):
    """The shell, a loader, a test: create() runs no validator, the field checks on save."""
    product = ProductFactory()
    with pytest.raises(ValidationError) as error, transaction.atomic():
        EvidenceDocument.objects.create(
            product=product, title="Hợp đồng", file=pdf_upload("hd.pdf", pdfs.launching())
        )
    assert error.value.code == "pdf_active_content"
    assert not EvidenceDocument.objects.exists()
    assert not list((media_dirs / "private").rglob("*.pdf"))


def test_a_picture_stored_without_a_form_is_re_encoded_all_the_same(media_dirs):
    raw = image_upload().read() + b"<script>alert(1)</script>"
    photo = ProductPhoto.objects.create(
        product=ProductFactory(), image=SimpleUploadedFile("anh.jpg", raw)
    )
    with photo.image.open("rb") as stored:
        assert b"<script" not in stored.read()


def test_a_file_saved_straight_into_its_field_is_checked_and_cleaned(media_dirs):
    """instance.field.save(name, content), as a loader writes a file: the same checks."""
    product = ProductFactory()
    photo = ProductPhoto(product=product)
    photo.image.save("anh.jpg", ContentFile(image_upload().read() + b"<script>"), save=False)
    with photo.image.open("rb") as stored:
        assert b"<script" not in stored.read()
    evidence = EvidenceDocument(product=product, title="Hợp đồng")
    with pytest.raises(ValidationError) as error:
        evidence.file.save("hd.pdf", ContentFile(pdfs.launching()), save=False)
    assert error.value.code == "pdf_active_content"
    with pytest.raises(ValidationError) as error:
        evidence.file.save("hd.pdf", ContentFile(image_upload().read()), save=False)
    assert error.value.code == "name_mismatch"


def test_a_file_checked_by_its_form_is_not_parsed_again_when_stored(monkeypatch, media_dirs):
    doc = EvidenceDocument(product=ProductFactory(), title="Giấy ATTP", file=pdf_upload())
    doc.full_clean()
    calls = []
    monkeypatch.setattr("core.files.check_pdf", calls.append)
    doc.save()
    assert calls == []


def test_a_stored_file_is_not_read_again_when_its_row_is_saved(monkeypatch, media_dirs):
    """Changing an evidence's title does not parse its PDF again: it was checked when stored."""
    doc = EvidenceDocument(product=ProductFactory(), title="Giấy ATTP", file=pdf_upload())
    doc.full_clean()
    doc.save()
    doc = EvidenceDocument.objects.get(pk=doc.pk)
    monkeypatch.setattr("core.files.check_pdf", lambda data: pytest.fail("parsed again"))
    doc.title = "Giấy chứng nhận an toàn thực phẩm"
    doc.full_clean()
    doc.save()


def test_a_thumbnail_is_made_only_from_the_kinds_kept(media_dirs):
    """The thumbnail is drawn before the photo is stored: it opens JPEG, PNG and WebP only,
    so no other decoder (GIF, EPS, …) ever reads an unchecked upload."""
    with pytest.raises(ValidationError):
        ProductPhoto.objects.create(
            product=ProductFactory(), image=image_upload("a.gif", fmt="GIF")
        )
