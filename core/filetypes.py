"""What an uploaded file is, read from its first bytes, and whether its name says the same.

The registry keeps four kinds of file and no other: PDF, JPEG, PNG and WebP. Each is known
by its signature (the bytes it starts with), never by its name or the type the browser
sent. A name that says something else ("report.pdf" that is a JPEG) is refused: a browser
or a viewer that trusts the name would open the file as what it claims to be. Web pages and
drawings (HTML, SVG, HTA) can run code when opened, so they are named in the refusal.
"""

import os
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Enough of a file to tell what it is.
HEAD_BYTES = 64


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]  # the first is the one a download is named with


PDF = Kind("pdf", "PDF", "application/pdf", (".pdf",))
JPEG = Kind("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif"))
PNG = Kind("png", "PNG", "image/png", (".png",))
WEBP = Kind("webp", "WebP", "image/webp", (".webp",))
KEPT = {kind.key: kind for kind in (PDF, JPEG, PNG, WEBP)}
PICTURES = {JPEG.key, PNG.key, WEBP.key}
#: What a private download is sent as when its stored bytes are none of the kinds above.
UNKNOWN_CONTENT_TYPE = "application/octet-stream"

# Markup a browser would run: a page, a drawing, an HTML application, after any byte-order
# mark and white space.
_MARKUP_START = re.compile(rb"^(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)?[\s\x00]*<", re.DOTALL)
# Markup inside a PDF: a file that starts with %PDF- and is a web page too is refused (a
# viewer sees the PDF, a browser told it is HTML runs the script). Words a PDF never holds
# outside a compressed stream; an annotation's rich text (XHTML <body>, <p>) is allowed.
_MARKUP_INSIDE = re.compile(rb"<\s*(?:script|html|iframe|svg|!doctype\s+html|hta:)", re.IGNORECASE)


def sniff(head: bytes) -> str | None:
    """The kind of file these first bytes open, as a key of KEPT, one of the kinds refused
    by name ("gif", "markup", "heic", "zip", "office", "program"), or None."""
    if head.startswith(b"%PDF-"):
        return PDF.key
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG.key
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG.key
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP.key
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[4:8] == b"ftyp" and head[8:12] in {b"heic", b"heix", b"hevc", b"mif1", b"msf1"}:
        return "heic"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "office"
    if head.startswith((b"MZ", b"\x7fELF", b"#!")):
        return "program"
    if _MARKUP_START.match(head):
        return "markup"
    return None


def read_head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def detect(upload, allowed: set[str], name: str | None = None) -> Kind:
    """The kind of `upload`, if it is one of `allowed` and its name (`name`, or the file's
    own) says so; otherwise a ValidationError in a sentence."""
    found = sniff(read_head(upload))
    if found not in allowed:
        raise ValidationError(_refusal(found, allowed), code=_code(found, allowed))
    kind = KEPT[found]
    check_name(name or upload.name, kind)
    return kind


def check_name(name: str | None, kind: Kind):
    extension = os.path.splitext(os.path.basename(name or ""))[1].lower()
    if extension not in kind.extensions:
        raise ValidationError(
            _(
                "The file is named “%(name)s” but it is a %(kind)s file, so its name should "
                "end in %(extension)s. Check that you chose the right file, or rename it."
            )
            % {
                "name": os.path.basename(name or ""),
                "kind": kind.label,
                "extension": kind.extensions[0],
            },
            code="name_mismatch",
        )


def refuse_pdf_polyglot(data: bytes):
    """A PDF that is also a web page, or also a ZIP archive (a Java or Office file appended
    after the PDF): each reader sees the part it looks for."""
    if _MARKUP_INSIDE.search(data) or zipfile.is_zipfile(BytesIO(data)):
        raise ValidationError(
            _(
                "This file is a PDF and something else at the same time (a web page or an "
                "archive hidden inside it). Print it again as a plain PDF and send that."
            ),
            code="polyglot",
        )


def content_type_of(head: bytes) -> str:
    """What a private download is sent as: its detected kind, never a name's guess."""
    kind = KEPT.get(sniff(head) or "")
    return kind.content_type if kind else UNKNOWN_CONTENT_TYPE


def extension_of(head: bytes) -> str:
    kind = KEPT.get(sniff(head) or "")
    return kind.extensions[0] if kind else ""


def _code(found, allowed) -> str:
    if found == "markup":
        return "markup"
    if found is None and PDF.key not in allowed:
        return "not_image"
    return "bad_format"


def _refusal(found, allowed) -> str:
    pictures_only = PDF.key not in allowed
    if found == "markup":
        return _(
            "This file is a web page or a drawing (HTML, SVG or similar), which can run code "
            "when it is opened. Print it as PDF, or take a photo, and send that instead."
        )
    if found == "heic":
        return _(
            "This is an iPhone photo in HEIC format. Send it as JPEG: on the iPhone choose "
            "Settings → Camera → Formats → “Most Compatible”, or export the photo as JPEG."
        )
    if pictures_only:
        if found in KEPT or found == "gif":
            label = KEPT[found].label if found in KEPT else "GIF"
            return _("Photos must be JPEG, PNG or WebP, not %(format)s.") % {"format": label}
        return _("This file is not a picture we can read (JPEG, PNG or WebP).")
    if found in ("zip", "office"):
        # Word and Excel files (and ZIP archives) are what offices and producers most
        # often send: say what to do with them, not only what they are not.
        return _(
            "This is a Word, Excel or other office file, or a ZIP archive, which cannot be "
            "kept as evidence. Open it and save it as PDF (File → Save as → PDF, or Print → "
            "Save as PDF), then send the PDF."
        )
    return _(
        "This file is not a PDF or a picture (JPEG, PNG or WebP), so it cannot be kept as "
        "evidence. Print the paper as PDF, or photograph it, and send that."
    )
