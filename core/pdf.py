"""What a PDF may carry to be kept as evidence: pages of text and pictures, nothing that acts.

A PDF can run JavaScript when it is opened, start a program (/Launch), carry other files
inside it, send a form to a server, or open another file. A paper proving a product's
origin needs none of that, so such a PDF is refused, and the producer is told to print it
again as a plain PDF, which drops all of it.

The file is read with pypdf, a real parser, not searched as bytes: a name may be spelled
with #xx escapes (/J#61vaScript is /JavaScript), and since PDF 1.5 most objects sit inside
compressed object streams (/ObjStm), where a byte search sees only deflated noise. Every
object is looked at: each one the cross-reference table lists (those inside object streams
too), the trailer, every member of every object stream, and every "n g obj" in the file
that the table does not list (left over from an earlier edit, or hidden from the table),
since a viewer that repairs a file may read those. The rule is context-free: a forbidden
name anywhere (as a key or a value) refuses the file, whatever dictionary it sits in.

The byte search that came before is gone, not kept beside the parser: it saw nothing the
parser misses, and in the compressed streams of an honest 10 MB PDF three bytes such as
"/JS" turn up by chance about once in 16 MB, so it refused good files.

The work is bounded: at most MAX_OBJECTS objects, MAX_UNPACKED_BYTES of object streams
unpacked in all, and pypdf's own limits per stream. An encrypted PDF cannot be read without
its password, so it is refused with what to do; so is a file pypdf cannot parse.
"""

import re
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypdf import PdfReader, apply_configuration
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
    read_object,
)

# pypdf reads some 10,000 to 20,000 objects a second: a worker spends at most a second or
# two on one file. A scanned paper has a few dozen objects, a long report a few thousand.
MAX_OBJECTS = 25_000
MAX_UNPACKED_BYTES = 64 * 1024 * 1024

# Names that make a PDF run a script.
SCRIPT = frozenset({"/JS", "/JavaScript"})
# Names that put other files inside it: the document's list of attachments, a file
# specification's embedded copy (/EF), an embedded file stream, an attachment annotation.
ATTACHMENT = frozenset({"/EmbeddedFiles", "/EmbeddedFile", "/EF", "/FileAttachment"})
# Actions that start programs, open or import other files, send data out, or play media
# (whose players run code), and the annotations and forms that carry them.
ACTION = frozenset(
    {
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/RichMedia",
        "/RichMediaExecute",
        "/Rendition",
        "/Movie",
        "/Sound",
        "/Screen",
        "/3D",
        "/XFA",
    }
)
# A link may point to a web page; not to a script, an inline document or a local file.
UNSAFE_LINK = re.compile(r"^\s*(?:javascript|vbscript|data|file)\s*:", re.IGNORECASE)
# "12 0 obj" wherever it stands: the objects the cross-reference table may not list.
OBJECT_HEADER = re.compile(
    rb"(?<![0-9])([0-9]{1,10})[\x00\t\n\f\r ]+([0-9]{1,5})[\x00\t\n\f\r ]+obj"
)
HEADER_AT = re.compile(rb"[\x00\t\n\f\r ]*[0-9]{1,10}[\x00\t\n\f\r ]+[0-9]{1,5}[\x00\t\n\f\r ]+obj")
# pypdf searches the whole file for each object the table misplaces; a file whose table
# is mostly wrong would make that quadratic, so past this many it is called damaged.
MAX_MISPLACED = 50


class _Refused(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def check_pdf(data: bytes):
    """Refuse, with a sentence, a PDF that carries active content or cannot be read."""
    try:
        with apply_configuration(
            zlib_maximum_output_length=MAX_UNPACKED_BYTES,
            maximum_declared_stream_length=MAX_UNPACKED_BYTES,
        ):
            _Walk(data).run()
    except _Refused as refused:
        raise ValidationError(_message(refused.code), code=refused.code) from None
    except Exception as exc:  # noqa: BLE001 — whatever pypdf trips on, the file is damaged
        raise ValidationError(_message("pdf_damaged"), code="pdf_damaged") from exc


class _Walk:
    def __init__(self, data: bytes):
        self.data = data
        self.objects = 0
        self.unpacked = 0

    def run(self):
        reader = PdfReader(BytesIO(self.data), strict=False)
        if reader.is_encrypted:
            raise _Refused("pdf_encrypted")
        self.reader = reader
        listed = [(num, gen) for gen, nums in reader.xref.items() for num in nums]
        listed += [(num, 0) for num in reader.xref_objStm]
        self.count(len(listed))
        misplaced = sum(
            not HEADER_AT.match(self.data, offset)
            for nums in reader.xref.values()
            for offset in nums.values()
        )
        if misplaced > MAX_MISPLACED:
            raise _Refused("pdf_damaged")
        if len(reader.pages) == 0:
            raise _Refused("pdf_damaged")
        self.scan(reader.trailer)
        for num, gen in listed:
            self.scan(reader.get_object(IndirectObject(num, gen, reader)))
        known = {offset for nums in reader.xref.values() for offset in nums.values()}
        for header in OBJECT_HEADER.finditer(self.data):
            if header.start() in known:
                continue
            self.count()
            unlisted = self.parse_at(reader.stream, header.end())
            if unlisted is not None:
                self.scan(unlisted)

    def count(self, n=1):
        self.objects += n
        if self.objects > MAX_OBJECTS:
            raise _Refused("pdf_too_complex")

    def parse_at(self, stream, offset):
        """The object at `offset`, or None where the bytes only looked like a header (inside
        a stream, in a comment): a viewer cannot read anything there either."""
        stream.seek(offset)
        try:
            return read_object(_skip_space(stream), self.reader)
        except Exception:  # noqa: BLE001 — not an object: nothing to check
            return None

    def scan(self, root):
        stack = [root]
        while stack:
            item = stack.pop()
            if isinstance(item, NameObject):
                self.check_name(item)
            elif isinstance(item, DictionaryObject):  # a stream's dictionary too
                for key, value in dict.items(item):
                    self.check_name(key)
                    if key == "/URI":
                        self.check_link(value)
                    stack.append(value)
                if isinstance(item, StreamObject) and dict.get(item, "/Type") == "/ObjStm":
                    stack.extend(self.members(item))
            elif isinstance(item, ArrayObject):
                stack.extend(item)

    def check_name(self, name):
        if name in SCRIPT:
            raise _Refused("pdf_active_content")
        if name in ATTACHMENT:
            raise _Refused("pdf_attachment")
        if name in ACTION:
            raise _Refused("pdf_active_content")

    def check_link(self, value):
        if isinstance(value, IndirectObject):
            value = value.get_object()
        if isinstance(value, ByteStringObject):
            value = bytes(value).decode("latin-1")
        if isinstance(value, TextStringObject | str) and UNSAFE_LINK.match(str(value)):
            raise _Refused("pdf_active_content")

    def members(self, object_stream):
        """Every object packed in an object stream, listed in the table or not."""
        data = object_stream.get_data()
        self.unpacked += len(data)
        if self.unpacked > MAX_UNPACKED_BYTES:
            raise _Refused("pdf_too_complex")
        n, first = dict.get(object_stream, "/N"), dict.get(object_stream, "/First")
        if not isinstance(n, NumberObject) or not isinstance(first, NumberObject):
            raise _Refused("pdf_damaged")
        self.count(max(int(n), 0))
        numbers = data[: int(first)].split()
        stream = BytesIO(data)
        found = []
        for offset in numbers[1::2][: int(n)]:
            if not offset.isdigit():
                raise _Refused("pdf_damaged")
            member = self.parse_at(stream, int(first) + int(offset))
            if member is not None:
                found.append(member)
        return found


def _skip_space(stream):
    while (byte := stream.read(1)) and byte in b"\x00\t\n\f\r ":
        pass
    stream.seek(-1 if byte else 0, 1)
    return stream


def _message(code) -> str:
    messages = {
        "pdf_active_content": _(
            "This PDF contains scripts or embedded programs. Please print it as a plain PDF."
        ),
        "pdf_attachment": _(
            "This PDF carries other files inside it (attachments). Send each paper as a PDF "
            "or a picture of its own."
        ),
        "pdf_encrypted": _(
            "This PDF is locked with a password or encryption, so it cannot be checked. "
            "Remove the protection, or print it again as PDF, and send the new file."
        ),
        "pdf_too_complex": _(
            "This PDF is too complex to check. Print it again as PDF, or split it into "
            "smaller files, and send those."
        ),
        "pdf_damaged": _(
            "This PDF is damaged or cannot be read. Open it and print it again as PDF "
            "(Print → “Save as PDF” or “Microsoft Print to PDF”), then send the new file."
        ),
    }
    return messages[code]
