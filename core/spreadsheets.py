"""Text that spreadsheets will not run: every CSV and XLSX the site writes goes through here.

A cell starting with "=", "+", "-", "@" (or a tab or carriage return) is run as a formula
by Excel and LibreOffice, in a CSV and, for openpyxl, in an XLSX alike (CSV injection): a
producer or unit named "=HYPERLINK(…)" would become a link on an official's computer. Such
text is written with a leading apostrophe, which spreadsheets show as plain text.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """`value` unchanged unless it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
