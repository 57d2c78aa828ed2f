"""Turning an uploaded file into a header and rows of text, or a sentence saying why not.

The file's content decides what it is, never its name: a picture renamed .csv, a Word
document or an old .xls is refused with what to do instead. CSV is UTF-8 (with or
without the byte-order mark Excel writes), UTF-16 with its mark (Excel's "Unicode
text") or Windows-1258 (Vietnamese Excel's plain "CSV"), which is read only when every
letter decoded is a Vietnamese one (`plausible_vietnamese`); anything else (the old
TCVN3/VNI encodings, other code pages) is refused with the way to save the file, because a
wrong guess would garble names silently.
"""

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from imports import xlsx
from imports.columns import BY_KEY, REQUIRED, column_for, header_key
from imports.refusal import FileRefused
from registry import search

__all__ = ["ColumnsMissing", "FileRefused", "Sheet", "check_size", "read_file", "sha256"]

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
    header_line: int = 1  # the line of the header row (title rows above it are skipped)
    skipped: list[int] = field(default_factory=list)  # lines read as remarks, not rows
    headers: list[str] = field(default_factory=list)  # the header row's cells, as read
    positions: dict[str, int] = field(default_factory=dict)  # column key → index
    table: list[list[str]] = field(default_factory=list, repr=False)  # every cell, as text

    @property
    def shape(self) -> str:
        return header_shape(self.headers)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_size(size: int):
    if size > MAX_BYTES:
        raise FileRefused(
            _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_BYTES)}
        )


def read_file(data: bytes, mapping: dict[str, int] | None = None) -> Sheet:
    """Read CSV or XLSX bytes into a Sheet; raises FileRefused with a plain sentence
    (ColumnsMissing when a header was found but not every required column in it)."""
    kind, table = read_table(data)
    return to_sheet(kind, table, mapping)


def read_table(data: bytes) -> tuple[str, list[list[str]]]:
    """The kind of file and its cells as text, from the sheet that holds the list."""
    check_size(len(data))
    if not data.strip():
        raise FileRefused(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return "xlsx", _xlsx_rows(data)
    _refuse_known_binary(data)
    return "csv", _csv_rows(_decode(data))


class ColumnsMissing(FileRefused):
    """A header row was found, but the columns it names lack some the import needs: the
    official may say which column is which (imports.mapping) instead of editing the file."""

    def __init__(self, message, *, kind, table, header_index, headers, positions):
        super().__init__(message)
        self.kind, self.table, self.header_index = kind, table, header_index
        self.headers, self.positions = headers, positions


def header_shape(headers: list[str]) -> str:
    """The same for every file whose header row reads the same (folded): a remembered
    mapping applies to the next file of that shape."""
    return sha256("\x1f".join(header_key(h) for h in headers).encode())


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
        if (text := windows_1258(data)) is not None:
            return text
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


# The letters of Vietnamese (with every tone) and of the Latin alphabet: a text decoded
# from the right encoding has no other letter.
_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", vowel + tone) for vowel in _VOWELS for tone in _TONES
) | frozenset("abcdefghijklmnopqrstuvwxyzđ")
# Symbols of Windows-1258's upper half that the old TCVN3 and VNI encodings use for
# letters: inside a word they mean the file was not Windows-1258.
_NOT_IN_WORDS = frozenset("¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷")


def plausible_vietnamese(text: str) -> bool:
    """Every letter is a Vietnamese (or plain Latin) letter, every tone mark sits on a
    vowel, and no symbol stands inside a word: what a wrong guess of the encoding breaks."""
    composed = unicodedata.normalize("NFC", text)
    previous = " "
    for char in composed:
        if unicodedata.combining(char):
            return False  # a tone mark that composed with nothing
        if char.isalpha() and char.lower() not in VIETNAMESE_LETTERS:
            return False
        if char in _NOT_IN_WORDS and previous.isalpha():
            return False
        previous = char
    return True


def windows_1258(data: bytes) -> str | None:
    """The text of a Windows-1258 file (Vietnamese Excel's "CSV (Comma delimited)"), or
    None when the bytes do not read as Vietnamese in it. Windows-1258 writes a letter and
    its tone as two characters, composed here; a TCVN3 or VNI file, or another code page,
    leaves stray symbols or foreign letters and is refused with the way to save it."""
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        return None
    if not plausible_vietnamese(text):
        return None
    return unicodedata.normalize("NFC", text)


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
        return [row for _n, row in zip(range(MAX_ROWS + xlsx.ROW_SLACK), reader, strict=False)]
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
        rows = xlsx.read_rows(archive, io.BytesIO(data), MAX_ROWS, score=_score_raw)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise FileRefused(_("The file looks like XLSX but is damaged; save it again.")) from exc
    return [[_cell_text(value) for value in row] for row in rows]


def _score_raw(rows: list[list]) -> int:
    return header_score([[_cell_text(value) for value in row] for row in rows])


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


# The header is looked for in the first rows: real lists put a title, the name of the
# office and the decision above it.
HEADER_ROWS = 15
# Headers that number the rows (STT): not listed as ignored, they carry nothing.
SKIPPED_HEADERS = {"stt", "tt", "so tt", "so thu tu", "thu tu", "no"}
# A row under the header that only numbers the columns: "(1) (2) (3)" or "1 2 3".
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$|^[A-Z]$")
# The first words of a remark row below the list.
_NOTE_WORDS = re.compile(
    r"^(?:\*|ghi chu|luu y|nguon|tong|tong cong|cong|nguoi lap|nguoi ky|noi nhan|"
    r"ghi chu:|chu thich|danh sach nay|ket thuc)",
)


def _header_cells(table: list[list], index: int) -> list[str]:
    """The header of row `index`, with merged cells filled in: a cell merged over several
    columns (or rows) keeps its text in its first cell only, so a blank header cell takes
    the text above it, and a cell under a merged group label ("Chủ thể" over "Tên" and
    "Loại hình") is also tried as "group + cell"."""
    if _is_column_numbers(table[index]):
        return []
    row = [_clean(v) for v in table[index]]
    above = [_clean(v) for v in table[index - 1]] if index > 0 else []
    width = max(len(row), len(above))
    row += [""] * (width - len(row))
    above += [""] * (width - len(above))
    cells, group = [], ""
    for i in range(width):
        # A merged group label is carried rightwards over the blank cells it spans.
        group = above[i] or (group if row[i] else "")
        cell = row[i]
        if not cell:
            # Merged over two rows: the text is in the upper cell.
            cell = above[i] if column_for(above[i]) else ""
        elif group and column_for(cell) is None and column_for(f"{group} {cell}"):
            cell = f"{group} {cell}"
        cells.append(cell)
    return cells


def _positions(headers: list[str]):
    """(column key → index, headers not recognised, headers given twice)."""
    positions, ignored, twice = {}, [], []
    for index, header in enumerate(headers):
        if not header:
            continue
        key = column_for(header)
        if key is None:
            if header_key(header) not in SKIPPED_HEADERS:
                ignored.append(header)
        elif key in positions:
            twice.append(header)
        else:
            positions[key] = index
    return positions, ignored, twice


def header_score(table: list[list]) -> int:
    """How good a header the best of the first rows makes: the number of registry columns
    it names (used to choose the sheet that holds the list)."""
    best = 0
    for index in range(min(HEADER_ROWS, len(table))):
        best = max(best, len(_positions(_header_cells(table, index))[0]))
    return best


def find_header(table: list[list]) -> int | None:
    """The row, among the first HEADER_ROWS, that names the most registry columns (the
    first on a tie); None when none names two."""
    best, found = 1, None
    for index in range(min(HEADER_ROWS, len(table))):
        score = len(_positions(_header_cells(table, index))[0])
        if score > best:
            best, found = score, index
    return found


def _is_column_numbers(raw: list) -> bool:
    cells = [_clean(v) for v in raw if _clean(v)]
    return len(cells) >= 3 and all(_COLUMN_NUMBER.match(c) for c in cells)


def _is_note(values: dict[str, str], raw: list) -> bool:
    """A remark below the list ("Ghi chú: …", "Tổng cộng: 45 sản phẩm", "Người lập biểu"),
    or a row with a single value: nothing a registry row could be made of."""
    cells = [_clean(v) for v in raw if _clean(v)]
    if not cells:
        return True
    if _NOTE_WORDS.match(search.fold(cells[0])) and len(values) <= 2:
        return True
    return len(values) <= 1


def header_of(table: list[list]) -> tuple[int, list[str]]:
    """The header row's index and its cells (merged cells filled in)."""
    start = next((i for i, row in enumerate(table) if any(_clean(v) for v in row)), None)
    if start is None:
        raise FileRefused(_("The file is empty."))
    found = find_header(table)
    if found is None:
        # No header the import knows: the first row as wide as the table (the titles above
        # it are one cell), for the official to say which column is which.
        widths = [sum(1 for v in row if _clean(v)) for row in table[:HEADER_ROWS]]
        widest = max(widths, default=0)
        found = next((i for i, w in enumerate(widths) if w >= max(2, widest // 2 + 1)), start)
    header_index = found
    return header_index, _header_cells(table, header_index) or [_clean(v) for v in table[start]]


def _mapped(headers: list[str], mapping: dict[str, int]):
    """Positions as the official chose them: column key → index of the file's column."""
    positions = {
        key: index
        for key, index in mapping.items()
        if key in BY_KEY and isinstance(index, int) and 0 <= index < len(headers)
    }
    used = set(positions.values())
    ignored = [h for i, h in enumerate(headers) if h and i not in used]
    ignored = [h for h in ignored if header_key(h) not in SKIPPED_HEADERS]
    return positions, ignored


def to_sheet(kind: str, table: list[list], mapping: dict[str, int] | None = None) -> Sheet:
    header_index, headers = header_of(table)
    if mapping:
        positions, ignored = _mapped(headers, mapping)
    else:
        positions, ignored, twice = _positions(headers)
        if twice:
            ignored += [_("%(column)s (a second time)") % {"column": header} for header in twice]
    # A list without a date column is read: the date may be in the decision's column
    # ("348/QĐ-UBND ngày 06/4/2021") or the title ("… NĂM 2021"), and a row that has none
    # is held with its reason (issue 14: a person can add the year), not the whole file.
    missing = [c for c in REQUIRED if c.key not in positions and c.key != "certificate_issued_on"]
    # A place in any form the resolver reads (imports.places, registry.places): a commune's
    # code, its name, a province or district (old or new), a free-text address. What a row
    # then gives is its own matter: unknown, or a province only, is a row message.
    place_keys = {"commune_code", "commune_name", "province_code", "district_code", "address"}
    has_commune = bool(place_keys & set(positions))
    if missing or not has_commune:
        names = [f"{c.header} ({c.key})" for c in missing]
        if not has_commune:
            names.append(
                _("a place: %(code)s, %(name)s, %(province)s, %(district)s or %(address)s")
                % {
                    "code": f"{BY_KEY['commune_code'].header} (commune_code)",
                    "name": f"{BY_KEY['commune_name'].header} (commune_name)",
                    "province": f"{BY_KEY['province_code'].header} (province_code)",
                    "district": f"{BY_KEY['district_code'].header} (district_code)",
                    "address": f"{BY_KEY['address'].header} (address)",
                }
            )
        # Nothing recognised and no table under the header (a letter, a cover page):
        # nothing to map.
        table_below = any(
            sum(1 for v in row if _clean(v)) >= 2 for row in table[header_index + 1 :]
        )
        if not positions and (sum(1 for h in headers if h) < 2 or not table_below):
            raise FileRefused(
                _(
                    "No header row we recognise in the first %(rows)s rows. Start from the "
                    "template and keep its header row. Missing columns: %(columns)s."
                )
                % {"rows": HEADER_ROWS, "columns": "; ".join(names)}
            )
        raise ColumnsMissing(
            _("Required columns are missing: %(columns)s.") % {"columns": "; ".join(names)},
            kind=kind,
            table=table,
            header_index=header_index,
            headers=headers,
            positions=positions,
        )
    rows, skipped = [], []
    body = table[header_index + 1 :]
    first_line = header_index + 2
    if body and _is_column_numbers(body[0]):
        body, first_line = body[1:], first_line + 1
    for offset, raw in enumerate(body, start=first_line):
        values = {key: _clean(raw[index]) for key, index in positions.items() if index < len(raw)}
        values = {k: v for k, v in values.items() if v}
        if not values and not any(_clean(v) for v in raw):
            continue
        if _is_note(values, raw):
            skipped.append(offset)
            continue
        rows.append((offset, values))
    if len(rows) > MAX_ROWS:
        raise FileRefused(
            _("The file has more than %(max)s rows. Split it into smaller files.")
            % {"max": f"{MAX_ROWS:,}"}
        )
    if not rows:
        raise FileRefused(_("The file has a header row but no data rows."))
    _decision_in_certificate_column(rows)
    if "certificate_issued_on" not in positions:
        _date_from_title(rows, table[:header_index])
    return Sheet(
        kind=kind,
        columns=list(positions),
        ignored=ignored,
        rows=rows,
        header_line=header_index + 1,
        skipped=skipped,
        headers=headers,
        positions=positions,
        table=table,
    )


# ------------------------------------------------------------------ what the file says once
# Keys beginning with "_" are notes of the reading for the validation's warnings; they are
# not columns (imports.held leaves them out of the held rows' file).
AS_DECISION = "_certificate_column_repeats"
FROM_TITLE = "_issued_from_title"


def _decision_in_certificate_column(rows: list[tuple[int, dict[str, str]]]):
    """A value the certificate-number column repeats on several rows is the recognition
    decision's number ("537/QĐ-UBND" on every row of its annex), not a certificate's: two
    products never share a certificate. It moves to the decision's column (when the row
    has none) and the certificate's number is generated (imports.validation), with a
    warning. Done once, on the whole file, so a row checked again alone (a partial
    import) reads the same."""
    seen: dict[str, int] = {}
    for _line, values in rows:
        if number := values.get("certificate_number", "").strip():
            key = search.fold(number).replace(" ", "")
            seen[key] = seen.get(key, 0) + 1
    repeated = {key for key, count in seen.items() if count > 1}
    if not repeated:
        return
    for _line, values in rows:
        number = values.get("certificate_number", "").strip()
        if number and search.fold(number).replace(" ", "") in repeated:
            del values["certificate_number"]
            values.setdefault("decision_number", number)
            values[AS_DECISION] = number


_TITLE_DECISION = re.compile(r"quyet dinh(?: so)?\s+(\S+)", re.IGNORECASE)
_TITLE_YEAR = re.compile(r"(?<!\d)(20[1-9]\d)(?!\d)")


def title_date(title_rows: list[list], decisions: set[str]) -> str:
    """The date the title rows above the list give for its certificates, as text for
    imports.values.parse_date, or "": "Kèm theo Quyết định số 537/QĐ-UBND ngày
    06/4/2021" gives that day when the rows' decision is that one (or they name none);
    otherwise a single year written in the title ("… CÔNG NHẬN NĂM 2021") gives the year
    alone — never a day or month the file does not give. Two years: nothing."""
    texts = [_clean(v) for row in title_rows for v in row if _clean(v)]
    folded = [search.fold(t).lower() for t in texts]
    wanted = {search.fold(d).lower().replace(" ", "") for d in decisions}
    for text in folded:
        match = _TITLE_DECISION.search(text)
        day = re.search(r"\bngay\s+(\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4})", text)
        if match and day and (not wanted or wanted == {match[1].replace(" ", "")}):
            return day[1]
    years = {year for text in folded for year in _TITLE_YEAR.findall(text)}
    return f"năm {years.pop()}" if len(years) == 1 else ""


def _date_from_title(rows: list[tuple[int, dict[str, str]]], title_rows: list[list]):
    decisions = {v["decision_number"] for _l, v in rows if v.get("decision_number")}
    found = title_date(title_rows, decisions)
    if not found:
        return
    for _line, values in rows:
        if not _DECISION_DAY.search(search.fold(values.get("decision_number", "")).lower()):
            values["certificate_issued_on"] = found
            values[FROM_TITLE] = found


_DECISION_DAY = re.compile(r"\bngay\s+\d")
