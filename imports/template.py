"""The import template, made from the column list: a CSV and an XLSX with the header row
and one example row. Nothing is kept in static files, so the template cannot drift from
what the reader accepts."""

import csv
import io
from datetime import date

from django.utils.translation import gettext as _

from imports.columns import COLUMNS
from imports.validation import parse_date

SHEET_TITLE = "Danh sách"


def help_texts() -> dict[str, str]:
    return {
        "registration_number": _(
            "Optional: business, cooperative or household registration number. An existing "
            "number updates that producer; without one, the producer is matched by its name "
            "within its commune."
        ),
        "producer_name": _("Full name of the producer."),
        "producer_kind": _(
            "Doanh nghiệp (Công ty, DNTN), Hợp tác xã (HTX), Tổ hợp tác, Trang trại or Hộ kinh "
            "doanh (Hộ SXKD, cơ sở). Blank: taken from the start of the producer's name."
        ),
        "commune_code": _("5-digit official code of the commune or ward (since 1 July 2025)."),
        "commune_name": _("Name of the commune or ward; needs the province code when no code."),
        "province_code": _("2-digit official code of the province or city."),
        "district_code": _("Optional: 3-digit code of the district before July 2025."),
        "address": _(
            "Optional: the whole address, for lists without commune, district and province "
            "columns; names of before July 2025 are converted."
        ),
        "representative_name": _("Optional: legal representative."),
        "phone": _("Optional; blank keeps the registry's phone."),
        "email": _("Optional; blank keeps the registry's email."),
        "product_name": _("Name of the product as on its certificate."),
        "product_set": _("Number (1 to 26) or name of the product set."),
        "stars": _("3, 4 or 5 (also written 4*, ★★★★ or 4 sao)."),
        "certificate_number": _(
            "Optional: number of the OCOP certificate. Blank: recorded as NK-<year>-<ten "
            "characters>, the same for the same row every time."
        ),
        "certificate_issued_on": _(
            "Date of issue, dd/mm/yyyy; the month (04/2021) or the year alone when the day is "
            "not known."
        ),
        "decision_number": _(
            "Optional: number of the recognition decision (348/QĐ-UBND); the same on every row "
            "it covers."
        ),
        "issuing_level": _(
            "Optional: district, province or central (Cấp huyện, Cấp tỉnh, Trung ương). "
            "Blank: the level that recognised those stars under the decision in force on the "
            "date of issue."
        ),
    }


def template_csv() -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows the accents when it opens it."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    writer.writerow([c.example for c in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([c.header for c in COLUMNS])
    sheet.append([_example_value(c) for c in COLUMNS])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E2EFDA")
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index)
        header.font, header.fill = bold, fill
        header.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[letter].width = max(14, min(40, len(column.example) + 4))
        # Codes, registration and phone numbers as text, so Excel keeps their leading zeros.
        number_format = "@" if column.text else "General"
        if column.key == "certificate_issued_on":
            number_format = "DD/MM/YYYY"
        for row in range(2, 202):
            sheet.cell(row=row, column=index).number_format = number_format
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("Instructions")[:31])
    notes.append([_("Column"), _("Key"), _("Required"), _("What to write")])
    for cell in notes[1]:
        cell.font = bold
    texts = help_texts()
    for column in COLUMNS:
        required = _("yes") if column.required else ""
        if column.key in ("commune_code", "commune_name", "province_code"):
            required = _("code, or name and province")
        notes.append([column.header, column.key, required, texts[column.key]])
    notes.append([])
    notes.append([_("Only the first sheet is read. Delete the example row before importing.")])
    for letter, width in zip("ABCD", (28, 24, 26, 90), strict=True):
        notes.column_dimensions[letter].width = width

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _example_value(column):
    if column.key == "certificate_issued_on":
        return parse_date(column.example) or date.today()
    if not column.text:
        return int(column.example)
    return column.example
