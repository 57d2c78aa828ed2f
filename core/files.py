"""What the registry accepts as a photo or a document, and the thumbnails it makes.

Checks read the file's content, never trust its name: a text file called .jpg,
a decompression bomb or a PDF carrying JavaScript is refused with a sentence a
district official can act on.
"""

import re
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.template.defaultfilters import filesizeformat
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
THUMBNAIL_SIZE = (480, 360)
# Markers that make a PDF run code when opened; evidence never needs them.
PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile")
# A PDF name may spell any of its characters as #xx: /J#61vaScript is /JavaScript.
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


class PrivateStorage(FileSystemStorage):
    """Evidence and compliance papers: stored under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT,
    and never given a public URL; views that check who is asking stream them."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a checked view.")


def private_storage():
    return storages["private"]


def _check_size(upload, limit):
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Please send a smaller file.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def _open_image(upload):
    """Open and fully verify an image, refusing bombs before decoding pixels."""
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            width, height = probe.size
            if width * height > settings.MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The picture is %(w)s×%(h)s pixels, too large to process.")
                    % {"w": width, "h": height},
                    code="too_many_pixels",
                )
            image_format = probe.format
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("This file is not a picture we can read (JPEG, PNG or WebP)."), code="not_image"
        ) from exc
    finally:
        upload.seek(0)
    return image_format


def validate_photo(upload):
    _check_size(upload, settings.MAX_PHOTO_BYTES)
    image_format = _open_image(upload)
    if image_format not in PHOTO_FORMATS:
        raise ValidationError(
            _("Photos must be JPEG, PNG or WebP, not %(format)s.") % {"format": image_format},
            code="bad_format",
        )


def validate_document(upload):
    """Evidence: a PDF without active content, or a picture."""
    _check_size(upload, settings.MAX_DOCUMENT_BYTES)
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        body = upload.read()
        upload.seek(0)
        # Read names as the PDF reader will, or /J#61vaScript /J#53 (…) slips through.
        body = PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), body)
        if any(marker in body for marker in PDF_ACTIVE_CONTENT):
            raise ValidationError(
                _(
                    "This PDF contains scripts or embedded programs. "
                    "Please print it as a plain PDF."
                ),
                code="pdf_active_content",
            )
        return
    _open_image(upload)


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
