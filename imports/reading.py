"""Turning an uploaded file into a header and rows of text, or a sentence saying why not.

The file's content decides what it is, never its name: a picture renamed .csv, a Word
document or an old .xls is refused with what to do instead. CSV must be UTF-8 (with or
without the byte-order mark Excel writes) or UTF-16 with its mark (Excel's "Unicode
text"); any other encoding is refused rather than guessed, because Windows-1258,
Windows-1252 and the old TCVN3/VNI encodings cannot be told apart reliably and a wrong
guess would silently garble Vietnamese names.
"""

import csv
import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from imports import xlsx
from imports.columns import BY_KEY, REQUIRED, column_for
from imports.refusal import FileRefused

__all__ = ["FileRefused", "Sheet", "check_size", "read_file", "sha256"]

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# An XLSX is a ZIP: refuse one that would unpack to more than this (a "zip bomb").
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_CELL_CHARS = 1000


@dataclass
class Sheet:
    """What was read: the recognised columns and the non-blank rows, as text."""

    kind: str  # "csv" or "xlsx"
    columns: list[str]  # the column keys recognised, in file order
    ignored: list[str] = field(default_factory=list)  # headers not recognised
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line, values)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_size(size: int):
    if size > MAX_BYTES:
        raise FileRefused(
            _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_BYTES)}
        )


def read_file(data: bytes) -> Sheet:
    """Read CSV or XLSX bytes into a Sheet; raises FileRefused with a plain sentence."""
    check_size(len(data))
    if not data.strip():
        raise FileRefused(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        table = _xlsx_rows(data)
        kind = "xlsx"
    else:
        _refuse_known_binary(data)
        table = _csv_rows(_decode(data))
        kind = "csv"
    return _to_sheet(kind, table)


# ------------------------------------------------------------------ file kinds
_SIGNATURES = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old_office"),
    (b"\x89PNG", "picture"),
    (b"\xff\xd8\xff", "picture"),
    (b"GIF8", "picture"),
    (b"RIFF", "picture"),
    (b"%PDF", "pdf"),
    (b"{\\rtf", "rtf"),
    (b"\x1f\x8b", "archive"),
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf", "archive"),
]


def _refuse_known_binary(data: bytes):
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise FileRefused(_wrong_kind(kind))


def _wrong_kind(kind: str) -> str:
    messages = {
        "old_office": _(
            "This is an old-format Excel (.xls) or Word (.doc) file. Open it in Excel and "
            "save it as “Excel Workbook (.xlsx)” or “CSV UTF-8 (Comma delimited)”."
        ),
        "picture": _("This file is a picture, not a spreadsheet. Send a CSV or XLSX file."),
        "pdf": _("This file is a PDF, not a spreadsheet. Send a CSV or XLSX file."),
        "rtf": _("This file is a text document, not a spreadsheet. Send a CSV or XLSX file."),
        "word": _(
            "This is a Word document, not a spreadsheet. Put the list in Excel and save it "
            "as XLSX or “CSV UTF-8 (Comma delimited)”."
        ),
        "presentation": _("This is a presentation, not a spreadsheet. Send a CSV or XLSX file."),
        "ods": _(
            "This is an OpenDocument spreadsheet (.ods). Save it as XLSX or “CSV UTF-8” "
            "and send that file."
        ),
        "archive": _("This file is a compressed archive. Send the CSV or XLSX file itself."),
        "binary": _("This file is not a spreadsheet we can read. Send a CSV or XLSX file."),
    }
    return messages[kind]


# ------------------------------------------------------------------ CSV
def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:4096]:
            raise FileRefused(_wrong_kind("binary")) from exc
        raise FileRefused(
            _(
                "The file is not in UTF-8, so Vietnamese letters would be garbled. In Excel "
                "choose “Save As” → “CSV UTF-8 (Comma delimited)” (or save as XLSX) and "
                "send the new file."
            )
        ) from exc
    if "\x00" in text:
        raise FileRefused(_wrong_kind("binary"))
    return text


def _delimiter(text: str) -> str:
    """Comma, semicolon (Excel where the decimal mark is a comma, as in Vietnam) or tab:
    whichever the header line has most of."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_rows(text: str) -> list[list]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return [row for _n, row in zip(range(MAX_ROWS + 2), reader, strict=False)]
    except csv.Error as exc:
        raise FileRefused(
            _("The CSV file could not be read near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc


# ------------------------------------------------------------------ XLSX
def _xlsx_rows(data: bytes) -> list[list]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise FileRefused(_("The file looks like XLSX but is damaged; save it again.")) from exc
    if "xl/workbook.xml" not in names:
        if any(n.startswith("word/") for n in names):
            raise FileRefused(_wrong_kind("word"))
        if any(n.startswith("ppt/") for n in names):
            raise FileRefused(_wrong_kind("presentation"))
        if "content.xml" in names:
            raise FileRefused(_wrong_kind("ods"))
        raise FileRefused(_wrong_kind("archive"))
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRefused(_("The spreadsheet is too large once unpacked. Split it into parts."))
    # Bounded before openpyxl iterates anything: imports/xlsx.py.
    try:
        rows = xlsx.read_rows(archive, io.BytesIO(data), MAX_ROWS)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise FileRefused(_("The file looks like XLSX but is damaged; save it again.")) from exc
    return [[_cell_text(value) for value in row] for row in rows]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ------------------------------------------------------------------ header and rows
def _clean(value) -> str:
    text = str(value or "").replace("\u00a0", " ").strip()
    return text[: MAX_CELL_CHARS + 1]


def _to_sheet(kind: str, table: list[list]) -> Sheet:
    start = next((i for i, row in enumerate(table) if any(_clean(v) for v in row)), None)
    if start is None:
        raise FileRefused(_("The file is empty."))
    headers = [_clean(v) for v in table[start]]
    positions, ignored = {}, []
    for index, header in enumerate(headers):
        if not header:
            continue
        key = column_for(header)
        if key is None:
            ignored.append(header)
        elif key in positions:
            raise FileRefused(
                _("The column “%(column)s” appears twice in the header row.")
                % {"column": BY_KEY[key].header}
            )
        else:
            positions[key] = index
    missing = [c for c in REQUIRED if c.key not in positions]
    has_commune = "commune_code" in positions or {"commune_name", "province_code"} <= set(positions)
    if missing or not has_commune:
        names = [f"{c.header} ({c.key})" for c in missing]
        if not has_commune:
            names.append(
                _("%(code)s, or %(name)s with %(province)s")
                % {
                    "code": f"{BY_KEY['commune_code'].header} (commune_code)",
                    "name": f"{BY_KEY['commune_name'].header} (commune_name)",
                    "province": f"{BY_KEY['province_code'].header} (province_code)",
                }
            )
        if not positions:
            raise FileRefused(
                _(
                    "The first row is not a header row we recognise. Start from the template "
                    "and keep its header row. Missing columns: %(columns)s."
                )
                % {"columns": "; ".join(names)}
            )
        raise FileRefused(
            _("Required columns are missing: %(columns)s.") % {"columns": "; ".join(names)}
        )
    rows = []
    for offset, raw in enumerate(table[start + 1 :], start=start + 2):
        values = {key: _clean(raw[index]) for key, index in positions.items() if index < len(raw)}
        values = {k: v for k, v in values.items() if v}
        if values:
            rows.append((offset, values))
    if len(rows) > MAX_ROWS:
        raise FileRefused(
            _("The file has more than %(max)s rows. Split it into smaller files.")
            % {"max": f"{MAX_ROWS:,}"}
        )
    if not rows:
        raise FileRefused(_("The file has a header row but no data rows."))
    return Sheet(kind=kind, columns=list(positions), ignored=ignored, rows=rows)
