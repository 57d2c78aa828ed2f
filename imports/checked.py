"""A preview checked once and kept (issue 14, point 8).

The rows of a file are checked once: in the upload's request for a file of at most
INLINE_ROWS rows, else by a job (imports.tasks.check_preview) that the preview page
follows with a progress bar. What the check says of each row is kept as the preview shows
it (models.PreviewRow, JSON without model instances), with the counts and the main
reasons rows are held (PendingImport.summary): a page of the preview reads one page of
rows and is as quick for a 10,000-row file as for a 100-row one. The confirmation checks
the rows again (imports.apply), so nothing kept here is ever written.

A row whose check raises (a bug, a value nobody foresaw) becomes a held row with a
message instead of an error page or a failed job with nothing to say.
"""

import logging
import re
import time
from collections import Counter
from contextlib import nullcontext

from django.db import transaction
from django.utils.translation import gettext as _

from imports import batches
from imports.models import PendingImport, PreviewRow, PreviewStatus
from imports.validation import Plan, Row, validate

logger = logging.getLogger("imports")

# Files of more rows than this are checked by a job (the same number as for writing,
# imports.batches.INLINE_ROWS, kept apart so that tests may move one and not the other).
INLINE_ROWS = 500
# Rows of the preview shown on one page.
PAGE_ROWS = 200
# Reasons rows are held, shown at the top of the preview.
REASONS_SHOWN = 8
# Checked rows written at once.
CHUNK = 1000
# The share of the progress bar given to checking; the rest is keeping the rows.
CHECK_SHARE = 0.9


def crash_message() -> str:
    return _(
        "This row could not be checked: the site met an error on it (reported to the "
        "administrators). Check its cells, or import it later."
    )


# ------------------------------------------------------------------ checking
def check(raw_rows, scope, progress=None) -> Plan:
    """validate(), except that rows whose check raises are held with crash_message() and
    the others checked without them. Raises only if the rows check alone but not
    together (then nothing sensible can be said of one row)."""
    raw_rows = list(raw_rows)
    try:
        with _guarded():
            return validate(raw_rows, scope, progress=progress)
    except Exception:
        logger.exception("Checking %d import rows failed; looking for the rows", len(raw_rows))
    crashing = _crashing(raw_rows, scope)
    with _guarded():
        plan = validate([r for r in raw_rows if r[0] not in crashing], scope)
    held = []
    for line, values in raw_rows:
        if line in crashing:
            row = Row(line=line, values=dict(values))
            row.fail(crash_message())
            held.append(row)
    position = {line: index for index, (line, _values) in enumerate(raw_rows)}
    return Plan(rows=sorted([*plan.rows, *held], key=lambda row: position[row.line]))


def _guarded():
    """A savepoint inside a transaction (a request's test, a confirmation), so that a
    database error in one check does not break the next; none outside one, so that a
    job's progress is seen as it goes (and SQLite is not locked while it checks)."""
    return transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext()


def _crashing(raw_rows, scope) -> set:
    """The lines whose check raises, by halves: a few checks per crashing row."""
    if not raw_rows:
        return set()
    try:
        with _guarded():
            validate(raw_rows, scope)
        return set()
    except Exception:
        if len(raw_rows) == 1:
            return {raw_rows[0][0]}
    half = len(raw_rows) // 2
    found = _crashing(raw_rows[:half], scope) | _crashing(raw_rows[half:], scope)
    # Rows that raise only together: all of them are held.
    return found or {line for line, _values in raw_rows}


# ------------------------------------------------------------------ what is kept
def _unit(unit) -> dict | None:
    if unit is None:
        return None
    parent = unit.parent if unit.parent_id else None
    return {
        "name": unit.name,
        "code": unit.code,
        "parent": {"name": parent.name} if parent is not None else None,
    }


def _place(place) -> dict | None:
    if place is None:
        return None
    return {
        "status": place.status,
        "written": place.written,
        "old_label": place.old_label,
        "new_label": place.new_label,
        "suggestions": [{"name": u.name, "code": u.code} for u in place.suggestions],
    }


def shown(row: Row) -> dict:
    """What the preview shows of a checked row, as JSON (the template reads it as it
    would read the row)."""
    return {
        "line": row.line,
        "action": row.action,
        "errors": [str(e) for e in row.errors],
        "warnings": [str(w) for w in row.warnings],
        "values": {k: str(v) for k, v in row.values.items()},
        "producer_name": row.producer_name,
        "registration_number": row.registration_number,
        "producer_action": row.producer_action,
        "producer_line": row.producer_line,
        "changes": [
            {"label": str(c["label"]), "old": str(c["old"]), "new": str(c["new"])}
            for c in row.changes
        ],
        "commune": _unit(row.commune),
        "district": _unit(row.district),
        "place": _place(row.place),
        "product_name": row.product_name,
        "product_set": str(row.product_set) if row.product_set is not None else "",
        "product_action": row.product_action,
        "stars": row.stars,
        "certificate_number": row.certificate_number,
        "issued_on": row.issued_on.isoformat() if row.issued_on else "",
        "issued_display": row.issued_display,
        "expires_display": row.expires_on.strftime("%d/%m/%Y") if row.expires_on else "",
        "decision_number": row.decision_number,
        "level": row.level,
        "certificate_unit": _unit(row.certificate_unit),
    }


def reason_of(message: str) -> str:
    """A message without the row's own values, to count reasons: its first sentence,
    before any colon (the lines, the closest communes), without what is in brackets;
    what is quoted becomes “…”, and so do numbers such as 537/QĐ-UBND or 01/09/2024."""
    text = _QUOTED.sub("“…”", str(message)).split(":")[0].split(". ")[0]
    text = _BRACKETS.sub("", text)
    return _NUMBERED.sub("…", text).strip().rstrip(".")[:120]


_QUOTED = re.compile(r"“[^”]*”")
_BRACKETS = re.compile(r"\s*\([^)]*\)")
_NUMBERED = re.compile(r"\d[\w.-]*/[\w./-]*\w")


def summary_of(plan: Plan, **sheet) -> dict:
    """The counts of the whole file and its main reasons for holding rows (each row
    counted once per reason), with what the page says of the sheet (`sheet`: seconds,
    ignored, header_line, skipped, columns)."""
    reasons = Counter()
    for row in plan.bad_rows:
        reasons.update({reason_of(e) for e in row.errors})
    return {
        "counts": plan.counts,
        "reasons": [[reason, n] for reason, n in reasons.most_common(REASONS_SHOWN)],
        "reasons_more": max(0, len(reasons) - REASONS_SHOWN),
        **sheet,
    }


def keep(pending_id: int, plan: Plan, summary: dict, progress=None):
    """Replace the checked rows of a preview by these (in the caller's transaction)."""
    PreviewRow.objects.filter(pending_id=pending_id).delete()
    batch = []
    for position, row in enumerate(plan.rows):
        batch.append(
            PreviewRow(
                pending_id=pending_id,
                position=position,
                line=row.line,
                bad=bool(row.errors),
                shown=shown(row),
            )
        )
        if len(batch) == CHUNK:
            PreviewRow.objects.bulk_create(batch)
            batch = []
            if progress is not None:
                progress(position + 1)
    PreviewRow.objects.bulk_create(batch)
    PendingImport.objects.filter(pk=pending_id).update(
        status=PreviewStatus.READY,
        row_count=len(plan.rows),
        rows_checked=len(plan.rows),
        summary=summary,
        fingerprint=plan.fingerprint,
        message="",
    )


# ------------------------------------------------------------------ the job's work
def run(pending_id: int, stamp: str) -> str:
    """Check a preview's rows and keep the result. Safe to run twice (a retry, a worker
    taken for dead): a preview no longer being checked, or stored again since (`stamp`,
    its stored_at when the job was queued), is left alone; the rows are kept while the
    preview's row is locked. Checks as the uploader with the uploader's scope today: an
    office that lost its role gets a message and no rows."""
    from imports.access import import_scope

    item = _waiting(pending_id, stamp)
    if item is None:
        return "gone"
    scope = import_scope(item.user)
    if scope is None:
        return _fail(pending_id, stamp, _("You may no longer import: nothing was checked."))
    started = time.perf_counter()
    raw_rows = [(line, values) for line, values in item.rows]
    total = len(raw_rows) or 1

    def checking(done):
        _progress(pending_id, stamp, round(CHECK_SHARE * done))

    def keeping(done):
        _progress(pending_id, stamp, round(CHECK_SHARE * total + (1 - CHECK_SHARE) * done))

    try:
        plan = check(raw_rows, scope, progress=checking)
    except Exception:
        _fail(
            pending_id,
            stamp,
            _(
                "The rows could not be checked: the site met an error (reported to the "
                "administrators). Upload the file again later, or in smaller parts."
            ),
        )
        raise  # kept as a failed job, with its traceback, for an administrator
    summary = summary_of(plan, seconds=round(time.perf_counter() - started, 1), **item.summary)
    with transaction.atomic():
        locked = _waiting(pending_id, stamp, lock=True)
        if locked is None:
            return "gone"
        keep(pending_id, plan, summary, progress=keeping)
    return PreviewStatus.READY


def _waiting(pending_id: int, stamp: str, lock: bool = False):
    found = PendingImport.objects.select_related("user").filter(
        pk=pending_id, status=PreviewStatus.CHECKING
    )
    if lock:
        found = found.select_for_update(of=("self",)).defer("rows", "table")
    item = found.first()
    if item is None or item.stored_at.isoformat() != stamp:
        return None
    return item


def _progress(pending_id: int, stamp: str, done: int):
    PendingImport.objects.filter(pk=pending_id, status=PreviewStatus.CHECKING).update(
        rows_checked=done
    )


def _fail(pending_id: int, stamp: str, message: str) -> str:
    PendingImport.objects.filter(pk=pending_id, status=PreviewStatus.CHECKING).update(
        status=PreviewStatus.FAILED, message=message
    )
    return PreviewStatus.FAILED


def progress_of(item: PendingImport) -> dict:
    """What the preview page polls while the rows are being checked."""
    percent = 100
    if item.status == PreviewStatus.CHECKING:
        percent = min(99, round(100 * item.rows_checked / item.row_count)) if item.row_count else 0
    return {
        "status": item.status,
        "label": str(item.get_status_display()),
        "rows_checked": min(item.rows_checked, item.row_count),
        "row_count": item.row_count,
        "percent": percent,
        "finished": item.status != PreviewStatus.CHECKING,
    }


# ------------------------------------------------------------------ reading a page
def page_of(item: PendingImport, page: int) -> dict:
    """One page of the kept rows, the rows with problems of the whole file (at most a
    page of them: the rest are in the held-rows file), and the counts: three queries
    whatever the size."""
    summary = item.summary or {}
    counts = summary.get("counts") or Plan(rows=[]).counts
    pages = max(1, -(-counts["rows"] // PAGE_ROWS))
    page = min(max(1, page), pages)
    kept = PreviewRow.objects.filter(pending=item).order_by("position")
    first = (page - 1) * PAGE_ROWS
    rows = list(
        kept.filter(position__gte=first, position__lt=first + PAGE_ROWS).values_list(
            "shown", flat=True
        )
    )
    bad_rows = list(kept.filter(bad=True).values_list("shown", flat=True)[:PAGE_ROWS])
    return {
        "rows": rows,
        "bad_rows": bad_rows,
        "bad_hidden": max(0, counts["bad"] - len(bad_rows)),
        "counts": counts,
        "reasons": summary.get("reasons", []),
        "reasons_more": summary.get("reasons_more", 0),
        "passing": counts["rows"] - counts["bad"],
        "page": page,
        "pages": pages,
        "page_numbers": _page_numbers(page, pages),
        "first_row": first + 1,
        "last_row": min(first + PAGE_ROWS, counts["rows"]),
        "inline_rows": batches.INLINE_ROWS,  # written by a job past this
    }


def _page_numbers(page: int, pages: int) -> list[int]:
    near = {1, pages, *range(page - 2, page + 3)}
    return sorted(n for n in near if 1 <= n <= pages)


def held_rows(item: PendingImport) -> list:
    """The rows with problems, [line, values, messages], for the XLSX to fix."""
    kept = PreviewRow.objects.filter(pending=item, bad=True).order_by("position")
    return [
        [shown["line"], shown["values"], shown["errors"]]
        for shown in kept.values_list("shown", flat=True).iterator(chunk_size=CHUNK)
    ]
