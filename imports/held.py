"""The held rows of an import as an XLSX to fix and upload again (issue 14, point 6).

The columns are those of the file as read, under the template's headers so that the
fixed file reads back as it is; two more columns at the end, which the reader ignores,
give the row's line in the original file and what to fix. Headers are part of the file
format (Vietnamese whatever the page's language), as in the template.

Every cell is written as text: a value from a hostile file ("=HYPERLINK(…)") stays the
text it was and never becomes a formula in the official's spreadsheet.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from imports.columns import COLUMNS

LINE_HEADER = "Dòng trong tệp gốc"
ERROR_HEADER = "Lỗi cần sửa"
SHEET_TITLE = "Dòng chưa nhập"


def held_keys(held_rows) -> list[str]:
    # Keys beginning with "_" are the reading's notes (imports.reading), not columns.
    present = {key for _line, values, _errors in held_rows for key in values if key[:1] != "_"}
    known = [c.key for c in COLUMNS if c.key in present]
    return known + sorted(present - set(known))


def held_rows_xlsx(held_rows, original_headers: dict[str, str] | None = None) -> bytes:
    """held_rows: [[line, {column key: text as read}, [messages]]]. `original_headers`
    (column key → the file's own header) puts the file's headers back where a column
    mapping knows them; a key no column knows is written under its own name."""
    headers = {c.key: c.header for c in COLUMNS} | (original_headers or {})
    keys = held_keys(held_rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    titles = [headers.get(key, key) for key in keys] + [LINE_HEADER, ERROR_HEADER]
    for column, title in enumerate(titles, 1):
        cell = sheet.cell(row=1, column=column, value=title)
        cell.font = Font(bold=True)
    for index, (line, values, errors) in enumerate(held_rows, 2):
        cells = [values.get(key, "") for key in keys] + [str(line), "\n".join(errors)]
        for column, value in enumerate(cells, 1):
            cell = sheet.cell(row=index, column=column)
            cell.value = "" if value is None else str(value)
            cell.data_type = "s"  # text, never a formula
            cell.number_format = "@"  # and Excel keeps leading zeros when it is edited
        error = sheet.cell(row=index, column=len(titles))
        error.alignment = Alignment(wrap_text=True, vertical="top")
        error.fill = PatternFill("solid", fgColor="FDE2E1")
    sheet.column_dimensions[error_letter(len(titles))].width = 60
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def error_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)
