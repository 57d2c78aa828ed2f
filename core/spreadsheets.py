"""Text that spreadsheets will not run: every CSV and XLSX the site writes goes through here.

A cell starting with "=", "+", "-", "@" (or a tab or carriage return) is run as a formula
by Excel and LibreOffice, in a CSV and, for openpyxl, in an XLSX alike (CSV injection): a
producer or unit named "=HYPERLINK(…)" would become a link on an official's computer. Such
text is written with a leading apostrophe, which spreadsheets show as plain text.
"""

import csv
import tempfile

from django.http import FileResponse, StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """`value` unchanged unless it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# ------------------------------------------------------------------ whole lists as files
#: Excel reads a CSV without a byte-order mark in the local ANSI code page, which mangles
#: Vietnamese; with it, UTF-8.
BOM = "\ufeff"


class _Echo:
    """A file-like object whose write() returns the line: csv.writer into a stream."""

    def write(self, value):
        return value


def _cells(row):
    return [safe_text("" if value is None else value) for value in row]


def csv_response(filename: str, header, rows) -> StreamingHttpResponse:
    """`rows` (any iterable, read as the response is sent: bounded memory at any size) as a
    UTF-8 CSV with a BOM, every cell formula-safe."""
    writer = csv.writer(_Echo())

    def lines():
        yield BOM + writer.writerow(_cells(header))
        for row in rows:
            yield writer.writerow(_cells(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, title: str, header, rows) -> FileResponse:
    """`rows` as an XLSX written by openpyxl's write-only workbook (rows go to disk as they
    come, so memory stays bounded) into a temporary file sent and then deleted."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(_cells(header))
    for row in rows:
        sheet.append(_cells(row))
    spool = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it once sent
    book.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
