"""What the registry accepts as a photo or a document, and how it stores them.

Checks read the file's content, never trust its name: a text file called .jpg, a PDF named
.jpg, a web page, a decompression bomb or a PDF carrying JavaScript is refused with a
sentence a district official can act on. The rules live in small modules by kind of file:

* `core.filetypes`: what a file is, from its first bytes; its name must say the same;
* `core.pdf`: what a PDF may carry (parsed with pypdf);
* `core.images`: checking pictures, and re-encoding them without metadata when stored.

The validators below run when a form is checked; the fields (`DocumentField`,
`PhotoField`) run them again when a file is stored by any other path (the shell, a loader,
`instance.field.save(name, content)`), unless they already passed, and store a picture's
re-encoded pixels, never the bytes that were sent.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from core import filetypes, images
from core.pdf import check_pdf

PHOTO_KINDS = filetypes.PICTURES
DOCUMENT_KINDS = filetypes.PICTURES | {filetypes.PDF.key}
# Set on a file once a validator has passed it, so that storing it does not check again.
_CHECKED = "_ocop_checked_kind"


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


def _validate(upload, limit, allowed):
    if isinstance(upload, FieldFile) and upload._committed:
        # Already stored, so checked as it was stored (FieldFile.save below): a row whose
        # file did not change is not read again on every save of its form.
        return
    _check(upload, limit, allowed)


def _check(upload, limit, allowed, name=None) -> filetypes.Kind:
    _check_size(upload, limit)
    kind = filetypes.detect(upload, allowed, name=name)
    if kind is filetypes.PDF:
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        filetypes.refuse_pdf_polyglot(data)
        check_pdf(data)
    else:
        images.check_image(upload, kind.key)
    setattr(upload, _CHECKED, kind)
    return kind


def validate_photo(upload):
    """A product photo: JPEG, PNG or WebP, named as what it is."""
    _validate(upload, settings.MAX_PHOTO_BYTES, PHOTO_KINDS)


def validate_document(upload):
    """Evidence: a PDF without active content, or a picture, named as what it is."""
    _validate(upload, settings.MAX_DOCUMENT_BYTES, DOCUMENT_KINDS)


def prepared(content, name, limit, allowed):
    """What is stored for `content` sent as `name`: checked (unless a validator already
    passed it), and a picture's re-encoded pixels in place of what was sent. Raises
    ValidationError."""
    kind = getattr(content, _CHECKED, None) or _check(content, limit, allowed, name=name)
    if kind.key in filetypes.PICTURES:
        return ContentFile(images.reencode(content, kind.key), name=name)
    return content


class _Checked:
    """FieldFile.save is where every stored file passes, whether a model's save stores a
    new upload (FileField.pre_save) or code calls instance.field.save(name, content)."""

    limit_setting: str
    kinds: set[str]

    def save(self, name, content, save=True):
        if content is getattr(self, "_file", None) and hasattr(self, _CHECKED):
            setattr(content, _CHECKED, getattr(self, _CHECKED))  # the form's validator ran
        limit = getattr(settings, self.limit_setting)
        super().save(name, prepared(content, name, limit, self.kinds), save)


class DocumentFieldFile(_Checked, FieldFile):
    limit_setting, kinds = "MAX_DOCUMENT_BYTES", DOCUMENT_KINDS


class PhotoFieldFile(_Checked, ImageFieldFile):
    limit_setting, kinds = "MAX_PHOTO_BYTES", PHOTO_KINDS


class DocumentField(models.FileField):
    """A paper kept as evidence: a PDF or a picture (validate_document), checked and its
    pictures re-encoded whatever path stores it."""

    attr_class = DocumentFieldFile


class PhotoField(models.ImageField):
    """A product photo (validate_photo), checked and re-encoded whatever path stores it."""

    attr_class = PhotoFieldFile
