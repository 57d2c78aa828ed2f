"""Pictures: checked before anything decodes their pixels, re-encoded before they are stored.

Only the pixels are kept. A picture is decoded, turned upright as its EXIF orientation says
(a phone stores portraits sideways and a tag saying so), converted to sRGB when it carries a
colour profile, and encoded again in its own format (JPEG, PNG or WebP) with no metadata:
no EXIF (a phone's GPS position of the producer's house), no XMP, no text comments, no
profile. Whatever was hidden after the picture or in its chunks (a web page, a script, a ZIP
archive) is not pixels, so it is not in the stored file either.
"""

from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, JpegImagePlugin, UnidentifiedImageError

THUMBNAIL_SIZE = (480, 360)
# What Pillow calls each kind kept (core.filetypes keys).
PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
JPEG_QUALITY = 90
WEBP_QUALITY = 90
_SRGB = ImageCms.createProfile("sRGB")
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


def reencode(upload, kind_key: str) -> bytes:
    """The picture's pixels, upright, in sRGB, in the same format, without metadata."""
    upload.seek(0)
    try:
        with Image.open(upload, formats=[PIL_FORMATS[kind_key]]) as original:
            if original.width * original.height > settings.MAX_IMAGE_PIXELS:
                raise _unreadable()
            original.load()
            options = _options(original, kind_key)
            image = ImageOps.exif_transpose(original)
            image = _in_srgb(image, original.info.get("icc_profile"))
            kept = {k: v for k, v in original.info.items() if k in ("transparency",)}
            image.info = kept
            if kind_key == "jpeg" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
                options.pop("qtables", None)
                options.pop("subsampling", None)
                options["quality"] = JPEG_QUALITY
            out = BytesIO()
            image.save(out, format=PIL_FORMATS[kind_key], **options)
    except _DECODE_ERRORS as exc:
        raise _unreadable() from exc
    finally:
        upload.seek(0)
    return out.getvalue()


def _options(original, kind_key) -> dict:
    if kind_key == "jpeg":
        # The picture's own quantisation and subsampling, as Pillow's quality="keep" would:
        # no visible loss from a second encoding, and about the same size.
        try:
            return {
                "qtables": original.quantization,
                "subsampling": JpegImagePlugin.get_sampling(original),
            }
        except (AttributeError, TypeError):
            return {"quality": JPEG_QUALITY}
    if kind_key == "webp":
        return {"quality": WEBP_QUALITY}
    return {}


def _in_srgb(image, icc_profile):
    """Colours as the profile meant them, in sRGB, so the profile can be dropped."""
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(BytesIO(icc_profile))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the pixels as they are


def make_thumbnail(source) -> ContentFile:
    """A JPEG no larger than THUMBNAIL_SIZE, upright, made once when the photo is stored."""
    source.seek(0)
    with Image.open(source, formats=list(PIL_FORMATS.values())) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail(THUMBNAIL_SIZE)
        out = BytesIO()
        image.save(out, format="JPEG", quality=82, optimize=True)
    source.seek(0)
    return ContentFile(out.getvalue())
