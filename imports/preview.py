"""From uploaded bytes to a preview: read, refuse an already imported file, check."""

import time
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from imports.access import ImportScope
from imports.apply import previous_import
from imports.checked import check
from imports.reading import FileRefused, Sheet, header_of, read_table, sha256, to_sheet
from imports.validation import Plan


@dataclass
class Preview:
    file_name: str
    sha256: str
    sheet: Sheet
    plan: Plan
    seconds: float


def already_imported_message(batch) -> str:
    who = (batch.user.get_full_name() or batch.user.get_username()) if batch.user else "—"
    return _("This file was already imported on %(date)s by %(user)s.") % {
        "date": date_format(timezone.localtime(batch.created_at), "d/m/Y H:i"),
        "user": who,
    }


def read_file(data: bytes, remembered=None) -> tuple[Sheet, str]:
    """The sheet of a file and its SHA-256, nothing checked yet; raises FileRefused
    (ColumnsMissing when the official should say which column is which, and for a file
    already imported). `remembered` gives the office's mapping for a header row, or None
    (imports.mapping)."""
    sheet = _sheet(data, remembered)
    digest = sha256(data)
    if (batch := previous_import(digest)) is not None:
        raise FileRefused(already_imported_message(batch))
    return sheet, digest


def preview_file(data: bytes, file_name: str, scope: ImportScope, remembered=None) -> Preview:
    """Read and check a file without writing anything (read_file, then checked.check:
    a row whose check raises is held with a message)."""
    started = time.perf_counter()
    sheet, digest = read_file(data, remembered)
    plan = check(sheet.rows, scope)
    return Preview(file_name, digest, sheet, plan, time.perf_counter() - started)


def _sheet(data: bytes, remembered) -> Sheet:
    kind, table = read_table(data)
    mapping = remembered(header_of(table)[1]) if remembered else None
    return to_sheet(kind, table, mapping)
