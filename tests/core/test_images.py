"""Pictures are stored re-encoded (core.images): the pixels, upright, and nothing else; a
phone's GPS position and whatever was hidden in or after the picture are gone."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageCms, PngImagePlugin

from evaluation.models import DossierDocument
from registry.models import EvidenceDocument, ProductPhoto
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

GPS_OF_A_HOUSE = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 50.0, 0.0)}
SCRIPT = b"<script>fetch('/admin/').then(r => r.text())</script>"


def phone_photo(fmt="JPEG", *, orientation=1, size=(60, 40)) -> bytes:
    """A picture as a phone writes it: GPS and camera in EXIF, a colour profile, a comment,
    stored sideways with an orientation tag; left half red, right half blue."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = GPS_OF_A_HOUSE
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    options = {"exif": exif, "icc_profile": profile}
    if fmt == "JPEG":
        options["comment"] = b"Nha ong Nguyen Van A, xom 3"
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", SCRIPT.decode())
        options["pnginfo"] = text
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def assert_only_pixels(data: bytes, fmt: str):
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == fmt
        assert dict(stored.getexif()) == {}
        assert not {"exif", "icc_profile", "comment", "Comment", "xmp", "XML:com.adobe.xmp"} & set(
            stored.info
        )
    for hidden in (b"<script", b"PhoneMaker", b"Nguyen", b"PK\x03\x04"):
        assert hidden not in data


def stored_bytes(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def test_a_jpeg_with_gps_and_a_script_after_it_is_stored_without_either(media_dirs):
    raw = phone_photo() + SCRIPT
    with Image.open(io.BytesIO(raw)) as sent:  # what was sent carried both
        assert sent.getexif().get_ifd(0x8825)
    assert SCRIPT in raw
    photo = ProductPhoto(product=ProductFactory(), image=SimpleUploadedFile("anh.jpg", raw))
    photo.full_clean()
    photo.save()
    assert_only_pixels(stored_bytes(photo.image), "JPEG")


def test_evidence_uploaded_by_the_producer_is_stored_without_gps_or_script(
    as_user, cast, media_dirs
):
    dossier = cast["dossier"]
    dossier.status = dossier.Status.DRAFT
    dossier.save()
    raw = phone_photo() + SCRIPT
    response = as_user(cast["owner"]).post(
        reverse("evaluation:upload", args=[dossier.pk]),
        {"title": "Ảnh cơ sở sản xuất", "file": SimpleUploadedFile("co-so.jpg", raw)},
    )
    assert response.status_code == 302
    document = DossierDocument.objects.get(title="Ảnh cơ sở sản xuất")
    assert_only_pixels(stored_bytes(document.file), "JPEG")


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "anh.png"), ("WEBP", "anh.webp")])
def test_png_and_webp_keep_their_format_and_lose_their_metadata(media_dirs, fmt, name):
    raw = phone_photo(fmt) + b"PK\x03\x04" + SCRIPT
    doc = EvidenceDocument(
        product=ProductFactory(), title="Nhãn", file=SimpleUploadedFile(name, raw)
    )
    doc.full_clean()
    doc.save()
    assert doc.file.name.endswith(name.rsplit(".", 1)[1])
    assert_only_pixels(stored_bytes(doc.file), fmt)


def test_a_photo_taken_sideways_is_stored_upright(media_dirs):
    """Orientation 6: the camera stored it turned; the viewer is told to turn it 90°
    clockwise. The tag is dropped with the rest, so the pixels are turned first."""
    raw = phone_photo(orientation=6, size=(60, 40))
    photo = ProductPhoto(product=ProductFactory(), image=SimpleUploadedFile("anh.jpg", raw))
    photo.full_clean()
    photo.save()
    with Image.open(io.BytesIO(stored_bytes(photo.image))) as stored:
        assert stored.size == (40, 60)
        top, bottom = stored.getpixel((20, 5)), stored.getpixel((20, 55))
    assert top[0] > 200 and top[2] < 80  # the red half is now on top
    assert bottom[2] > 200 and bottom[0] < 80
    with Image.open(photo.thumbnail.path) as thumbnail:
        assert thumbnail.height > thumbnail.width


def test_a_re_encoded_jpeg_keeps_its_quality(media_dirs):
    """The picture's own quantisation tables are reused: no visible loss, about the same size."""
    image = Image.effect_mandelbrot((400, 300), (-2, -1.2, 1, 1.2), 60).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=75)
    raw = out.getvalue()
    photo = ProductPhoto(product=ProductFactory(), image=SimpleUploadedFile("a.jpg", raw))
    photo.full_clean()
    photo.save()
    stored = stored_bytes(photo.image)
    assert 0.8 < len(stored) / len(raw) < 1.25
