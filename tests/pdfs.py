"""PDFs made for real, to be refused or accepted by core.pdf: each opens in a PDF viewer.

`packed` writes the catalogue, the page tree and the opening action inside one compressed
object stream (/ObjStm) listed by a compressed cross-reference stream, as PDF 1.5+ writers
do: the action's names never appear in the file's bytes, so only a parser can see them.
The others use pypdf's writer, or write the classic layout by hand.
"""

import zlib
from io import BytesIO

from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from tests.factories import pdf_bytes

JAVASCRIPT = b"<< /Type /Action /S /JavaScript /JS (app.alert('OCOP');) >>"
GO_TO_PAGE_ONE = b"<< /Type /Action /S /GoTo /D [3 0 R /Fit] >>"


def packed(action: bytes = JAVASCRIPT, *, list_action: bool = True) -> bytes:
    """Catalogue (1), pages (2), page (3) and the opening action (4) in object stream 5,
    listed by cross-reference stream 6. With list_action=False the table leaves object 4
    out: it is still in the object stream, where a viewer repairing the file finds it."""
    members = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        4: action,
    }
    index, body = [], b""
    for number, obj in members.items():
        index.append(b"%d %d" % (number, len(body)))
        body += obj + b"\n"
    header = b" ".join(index) + b"\n"
    stream = zlib.compress(header + body)
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    stream_at = len(out)
    out += (
        b"5 0 obj\n<< /Type /ObjStm /N 4 /First %d /Filter /FlateDecode /Length %d >>\n"
        b"stream\n" % (len(header), len(stream))
    )
    out += stream + b"\nendstream\nendobj\n"
    table_at = len(out)
    rows = [(0, 0, 65535)] + [(2, 5, i) for i in range(3)]
    rows.append((2, 5, 3) if list_action else (0, 0, 0))
    rows += [(1, stream_at, 0), (1, table_at, 0)]
    table = zlib.compress(
        b"".join(bytes([t]) + f.to_bytes(4, "big") + g.to_bytes(2, "big") for t, f, g in rows)
    )
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
        b"/Length %d >>\nstream\n" % len(table)
    )
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % table_at
    return out


def classic(open_action: bytes) -> bytes:
    """One page, an opening action, objects written as text with a cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        open_action,
    ]
    out = b"%PDF-1.7\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    table_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        table_at,
    )
    return out


def with_unlisted_object(obj: bytes) -> bytes:
    """A plain PDF followed by an object its cross-reference table does not list."""
    return pdf_bytes() + b"\n99 0 obj\n" + obj + b"\nendobj\n"


def _written(change) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    change(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def with_attachment() -> bytes:
    return _written(lambda w: w.add_attachment("chay-toi.exe", b"MZ\x90\x00 a program"))


def launching() -> bytes:
    def launch(writer):
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd")}
        )

    return _written(launch)


def encrypted() -> bytes:
    return _written(lambda w: w.encrypt("mat-khau", algorithm="RC4-128"))
