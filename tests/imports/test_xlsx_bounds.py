"""XLSX files are bounded before anything is iterated (imports/xlsx.py): what a file declares
(its range, its shared strings, its members' sizes, a DTD) is read first, and refused with
what to do when it would cost more than the import needs. The files are written by hand, as
the XML parts of a ZIP, so each says exactly what the test needs it to."""

import io
import tracemalloc
import zipfile

import pytest

from imports import xlsx
from imports.reading import MAX_ROWS, FileRefused, read_file
from tests.imports.rows import good_row, xlsx_bytes

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET = f"{REL_NS}/worksheet"
CHARTSHEET = f"{REL_NS}/chartsheet"


def workbook(sheet_xml, *, shared_strings=None, sheets=(("Danh sách", WORKSHEET),)) -> bytes:
    """A minimal XLSX: the given worksheet XML as the sheet of type worksheet, any sheets
    named before it (e.g. a chart sheet), and shared strings if given."""
    entries = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
        for i, (name, _kind) in enumerate(sheets, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{kind}" Target="worksheets/sheet{i}.xml"/>'
        for i, (_name, kind) in enumerate(sheets, start=1)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="applicati'
            'on/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" Conten'
            'tType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="appli'
            'cation/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook {NS} xmlns:r="{REL_NS}"><sheets>{entries}'
            "</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PKG_NS}">{rels}</Relationships>',
        )
        for i, (_name, kind) in enumerate(sheets, start=1):
            if kind == WORKSHEET:
                z.writestr(f"xl/worksheets/sheet{i}.xml", sheet_xml)
        if shared_strings is not None:
            z.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def sheet(rows_xml, dimension='<dimension ref="A1"/>') -> str:
    head = f'<?xml version="1.0"?><worksheet {NS}>{dimension}'
    return f"{head}<sheetData>{rows_xml}</sheetData></worksheet>"


def inline(ref, text) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def refusal(data) -> str:
    with pytest.raises(FileRefused) as refused:
        read_file(data)
    return refused.value.message


# ------------------------------------------------------------------ the declared range
def test_a_tiny_file_declaring_the_whole_sheet_is_refused_before_anything_is_read():
    """1.5 KB declaring A1:XFD1048576 with a cell in the last row: openpyxl padded each of
    the 10,001 rows it was asked for to 16,384 columns, 1.3 GB in one worker."""
    data = workbook(
        sheet(
            f'<row r="1">{inline("A1", "Tên sản phẩm")}</row>'
            f'<row r="1048576">{inline("A1048576", "x")}</row>',
            dimension='<dimension ref="A1:XFD1048576"/>',
        )
    )
    assert len(data) < 2000
    tracemalloc.start()
    try:
        message = refusal(data)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024
    assert message == (
        "The sheet “Danh sách” spans 1,048,576 rows and 16,384 columns (up to cell "
        "XFD1048576); the import reads at most 10,100 rows and 200 columns. Delete the empty "
        "rows below the list and the empty columns to its right (select them, right-click, "
        "Delete), save the file and send it again."
    )


@pytest.mark.parametrize(
    "dimension",
    [f"A1:GS{MAX_ROWS}", f"A1:B{MAX_ROWS + xlsx.ROW_SLACK + 1}"],
    ids=["201 columns", "too many rows"],
)
def test_a_declared_range_over_either_bound_is_refused(dimension):
    data = workbook(
        sheet(f'<row r="1">{inline("A1", "x")}</row>', f'<dimension ref="{dimension}"/>')
    )
    assert "Delete the empty rows" in refusal(data)


def test_the_first_worksheet_is_the_one_checked_as_openpyxl_finds_it():
    """A chart sheet first, then the worksheet openpyxl will read: its range is checked."""
    data = workbook(
        sheet(f'<row r="1">{inline("A1", "x")}</row>', '<dimension ref="A1:XFD9"/>'),
        sheets=(("Biểu đồ", CHARTSHEET), ("Dữ liệu", WORKSHEET)),
    )
    assert "“Dữ liệu” spans 9 rows and 16,384 columns" in refusal(data)


def test_rows_are_bounded_whatever_the_file_declares():
    """A range that lies (A1:B2) with values far to the right: read at most MAX_COLUMNS
    wide, and each row stops at its last value."""
    cells = "".join(inline(f"{col}1", "v") for col in ("A", "B", "GR", "GS", "ZZ"))
    data = workbook(
        sheet(
            f'<row r="1">{cells}</row><row r="3">{inline("A3", "w")}</row>',
            '<dimension ref="A1:B2"/>',
        )
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    rows = xlsx.read_rows(archive, io.BytesIO(data), MAX_ROWS)
    assert [len(row) for row in rows] == [2, 0, 1]  # cut at the declared width, then trimmed
    without = workbook(sheet(f'<row r="1">{cells}</row>', ""))
    rows = xlsx.read_rows(zipfile.ZipFile(io.BytesIO(without)), io.BytesIO(without), MAX_ROWS)
    assert len(rows[0]) == xlsx.MAX_COLUMNS


def test_a_file_from_the_template_still_reads():
    rows = [good_row() for _ in range(3)]
    assert len(read_file(xlsx_bytes(rows)).rows) == 3


# ------------------------------------------------------------------ XML that expands
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE sst [\n<!ENTITY a "hahahahahahahahahaha">\n'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
    + f"]>\n<sst {NS}><si><t>&j;</t></si></sst>"
)


def test_billion_laughs_in_the_shared_strings_is_refused_unexpanded():
    data = workbook(
        sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), shared_strings=BILLION_LAUGHS
    )
    tracemalloc.start()
    try:
        message = refusal(data)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024
    assert "document type declaration" in message and "save it again as XLSX" in message


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE worksheet SYSTEM "file:///etc/passwd">',
        "<!-- " + "x" * 100 + ' -->\n<!doctype worksheet [<!ENTITY e SYSTEM "http://x/">]>',
    ],
    ids=["external entity", "after a comment, lower case"],
)
def test_a_document_type_in_any_part_is_refused(prolog):
    xml = sheet(f'<row r="1">{inline("A1", "x")}</row>').replace("?>", "?>" + prolog, 1)
    assert "document type declaration" in refusal(workbook(xml))


# ------------------------------------------------------------------ sizes
def test_a_member_that_unpacks_far_beyond_its_size_is_refused():
    padding = " " * (2 * 1024 * 1024)  # 2 MB of spaces deflate to a few kilobytes
    data = workbook(sheet(f'<row r="1">{inline("A1", "x")}</row>' + padding))
    assert "too large once unpacked" in refusal(data)


def test_too_many_shared_strings_are_refused_before_openpyxl_loads_them(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_SHARED_STRINGS", 50)
    strings = f"<sst {NS}>" + "<si><t>x</t></si>" * 51 + "</sst>"
    data = workbook(sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), shared_strings=strings)
    assert "more than 50 different texts" in refusal(data)
