"""Pictures: checked before anything decodes their pixels; the thumbnails of photos."""

from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

THUMBNAIL_SIZE = (480, 360)
# What Pillow calls each kind kept (core.filetypes keys).
PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
_DECODE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
)


def _unreadable():
    return ValidationError(
        _("This file is not a picture we can read (JPEG, PNG or WebP)."), code="not_image"
    )


def check_image(upload, kind_key: str):
    """Open and verify a picture whose signature is `kind_key`, refusing bombs before any
    pixel is decoded."""
    upload.seek(0)
    try:
        with Image.open(upload, formats=[PIL_FORMATS[kind_key]]) as probe:
            width, height = probe.size
            if width * height > settings.MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The picture is %(w)s×%(h)s pixels, too large to process.")
                    % {"w": width, "h": height},
                    code="too_many_pixels",
                )
            probe.verify()
    except _DECODE_ERRORS as exc:
        raise _unreadable() from exc
    finally:
        upload.seek(0)


def make_thumbnail(source) -> ContentFile:
    """A JPEG no larger than THUMBNAIL_SIZE, made once when the photo is stored."""
    source.seek(0)
    with Image.open(source) as image:
        image = image.convert("RGB")
        image.thumbnail(THUMBNAIL_SIZE)
        out = BytesIO()
        image.save(out, format="JPEG", quality=82, optimize=True)
    source.seek(0)
    return ContentFile(out.getvalue())
