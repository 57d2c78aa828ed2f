"""An XLSX file's rows, read within bounds set before anything is iterated.

An XLSX is a ZIP of XML files, and what they declare costs memory before a single value is
read. openpyxl in read-only mode pads every row to the sheet's declared width and fills
missing rows with empty ones: a 1.5 KB file declaring A1:XFD1048576 (16,384 columns) with a
cell in its last row made one worker grow to 1.3 GB while reading its first 10,000 rows.
So, before openpyxl opens the file:

* each member is bounded in its unpacked size and in its compression ratio (a zip bomb);
* no XML member may carry a document type declaration (Excel never writes one; it is how
  entity expansion, "billion laughs", and external entities get in);
* the first worksheet's declared range (<dimension ref="A1:…"/>, read from the first bytes
  of its XML, found through workbook.xml and its relationships as openpyxl finds it) must
  fit the import's rows and MAX_COLUMNS;
* the shared strings, which openpyxl loads all at once, are counted.

Then rows are read with explicit bounds (max_row, max_col), whatever the file declared, and
each row is cut after its last value.
"""

import posixpath
import re
import zipfile
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import get_column_letter, range_boundaries

from imports.refusal import FileRefused

MAX_COLUMNS = 200
# Blank or title rows above the header, notes below the list: room beyond the data rows.
ROW_SLACK = 100
MAX_MEMBER_BYTES = 32 * 1024 * 1024
# Above a megabyte unpacked, a member may not have shrunk more than this (Excel's own
# sheets shrink 5 to 30 times; a bomb, thousands).
MAX_RATIO = 100
MAX_SHARED_STRINGS = 400_000
# The prolog (before the root element) and a sheet's head (before <sheetData>) are read at
# most this far.
HEAD_BYTES = 64 * 1024

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s/>]")
_PROLOG_PART = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_ROOT = re.compile(r"<[A-Za-z_]")


def read_rows(archive: zipfile.ZipFile, data_file, max_rows: int, score=None) -> list[list]:
    """A worksheet's rows (values, not text), at most max_rows + 2 of them.

    Real lists keep a cover or a summary on the first sheet and the list on the second:
    with `score` (a function of a sheet's first HEAD_ROWS rows, higher for a better
    header), the worksheet scoring highest is read, the first one on a tie."""
    check_members(archive)
    sheets = worksheets(archive)
    count_shared_strings(archive)
    try:
        workbook = load_workbook(data_file, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many kinds on a damaged file
        raise FileRefused(_("The spreadsheet could not be opened; it may be damaged.")) from exc
    try:
        if not workbook.worksheets:
            raise FileRefused(_("The workbook has no sheet."))
        chosen = 0
        if score is not None and len(workbook.worksheets) > 1:
            scores = [
                score(_bounded_rows(sheet, HEAD_ROWS, MAX_COLUMNS))
                for sheet in workbook.worksheets[: len(sheets)]
            ]
            chosen = max(range(len(scores)), key=lambda i: (scores[i], -i))
        sheet_name, sheet_path = sheets[min(chosen, len(sheets) - 1)]
        declared = declared_range(archive, sheet_path)
        if declared is not None:
            _min_col, _min_row, max_col, max_row = declared
            if max_row > max_rows + ROW_SLACK or max_col > MAX_COLUMNS:
                raise FileRefused(_too_wide(sheet_name, max_row, max_col, max_rows))
        width = min(declared[2], MAX_COLUMNS) if declared else MAX_COLUMNS
        keep = max_rows + ROW_SLACK
        return _bounded_rows(workbook.worksheets[chosen], keep, width, keep)
    finally:
        workbook.close()


# Rows of each sheet looked at to find its header (title rows sit above it).
HEAD_ROWS = 15


def _bounded_rows(sheet, max_row: int, width: int, keep: int | None = None) -> list[list]:
    rows = []
    for row in sheet.iter_rows(max_row=max_row, max_col=width, values_only=True):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        rows.append(values)
        if keep is not None and len(rows) >= keep:
            break
    return rows


# ------------------------------------------------------------------ the members
def check_members(archive: zipfile.ZipFile):
    for info in archive.infolist():
        if info.file_size > MAX_MEMBER_BYTES or (
            info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        ):
            raise FileRefused(_("The spreadsheet is too large once unpacked. Split it into parts."))
        if info.filename.endswith((".xml", ".rels")):
            check_prolog(archive, info)


def check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """Refuse a document type declaration before the root element."""
    with archive.open(info) as member:
        head = member.read(HEAD_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("latin-1").removeprefix("\xef\xbb\xbf")
    position = 0
    while part := _PROLOG_PART.match(text, position):
        position = part.end()
    rest = text[position:]
    if rest[:9].upper() == "<!DOCTYPE":
        raise FileRefused(
            _(
                "The spreadsheet holds XML that Excel never writes (a document type "
                "declaration), so it is not read. Open it in Excel, save it again as XLSX "
                "and send the new file."
            )
        )
    if not _ROOT.match(rest):  # no root element within HEAD_BYTES: not what Excel writes
        raise FileRefused(_("The spreadsheet could not be opened; it may be damaged."))


def first_worksheet(archive: zipfile.ZipFile) -> tuple[str, str]:
    return worksheets(archive)[0]


def worksheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """The name and member path of each worksheet (not chart sheet), in the order of
    openpyxl's workbook.worksheets."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError) as exc:
        raise FileRefused(_("The spreadsheet could not be opened; it may be damaged.")) from exc
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in rels.iter(PACKAGE_RELS)
        if rel.get("Type", "").endswith("/worksheet")
    }
    found = []
    for sheet in workbook.iter(f"{MAIN}sheet"):
        target = targets.get(sheet.get(RELATIONSHIP))
        if target:
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = posixpath.normpath(posixpath.join("xl", target))
            found.append((sheet.get("name", ""), path))
    if not found:
        raise FileRefused(_("The workbook has no sheet."))
    return found


def declared_range(archive: zipfile.ZipFile, path: str):
    """(min_col, min_row, max_col, max_row) the sheet's <dimension> declares, or None."""
    try:
        with archive.open(path) as member:
            head = member.read(HEAD_BYTES)
    except KeyError as exc:
        raise FileRefused(_("The spreadsheet could not be opened; it may be damaged.")) from exc
    sheet_data = _SHEET_DATA.search(head)
    found = _DIMENSION.search(head, 0, sheet_data.start() if sheet_data else len(head))
    if found is None:
        return None
    try:
        bounds = range_boundaries(found[1].decode("ascii").upper())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    if None in bounds:
        return None
    return bounds


def count_shared_strings(archive: zipfile.ZipFile):
    """openpyxl reads every shared string into memory when it opens the file: count them
    first, streaming, whatever the file's own count says."""
    try:
        member = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return
    count, tail = 0, b""
    with member:
        while chunk := member.read(1024 * 1024):
            window = tail + chunk
            count += len(_SHARED_STRING.findall(window)) - len(_SHARED_STRING.findall(tail))
            tail = window[-16:]
            if count > MAX_SHARED_STRINGS:
                raise FileRefused(
                    _(
                        "The spreadsheet holds more than %(max)s different texts. Split it "
                        "into smaller files."
                    )
                    % {"max": f"{MAX_SHARED_STRINGS:,}"}
                )


def _too_wide(sheet_name, rows, columns, max_rows) -> str:
    return _(
        "The sheet “%(sheet)s” spans %(rows)s rows and %(columns)s columns (up to cell "
        "%(cell)s); the import reads at most %(max_rows)s rows and %(max_columns)s columns. "
        "Delete the empty rows below the list and the empty columns to its right (select "
        "them, right-click, Delete), save the file and send it again."
    ) % {
        "sheet": sheet_name,
        "rows": f"{rows:,}",
        "columns": f"{columns:,}",
        "cell": f"{get_column_letter(columns)}{rows}",
        "max_rows": f"{max_rows + ROW_SLACK:,}",
        "max_columns": MAX_COLUMNS,
    }
