"""Officials' bulk import: upload → preview → confirm, and the templates. Thin views over
imports, which does the reading, checking and writing."""

import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from evaluation.models import Certificate
from imports import batches, checked, mapping, pending
from imports.access import import_scope
from imports.apply import (
    AlreadyImported,
    ImportConflict,
    PlanChanged,
    confirm,
    previous_import,
)
from imports.checked import PAGE_ROWS
from imports.columns import COLUMNS
from imports.held import held_rows_xlsx
from imports.models import BatchStatus, ImportBatch, PreviewStatus
from imports.preview import already_imported_message, read_file
from imports.reading import (
    MAX_BYTES,
    ColumnsMissing,
    FileRefused,
    check_size,
    header_of,
    sha256,
    to_sheet,
)
from imports.tasks import check_preview
from imports.template import template_csv, template_xlsx
from imports.validation import producer_field_labels
from registry.models import Product


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


def _scope(request):
    scope = import_scope(request.user)
    if scope is None:
        raise PermissionDenied
    return scope


# Products not yet classified shown on the upload page (the count says how many in all).
UNCLASSIFIED_SHOWN = 50


def _in_scope(products, scope):
    """The products of the importer's provinces: by the producer's commune, or by its
    province while the commune is to be completed."""
    if scope.province_ids is None:
        return products
    return products.filter(
        Q(producer__commune__parent_id__in=scope.province_ids)
        | Q(producer__commune__isnull=True, producer__province_id__in=scope.province_ids)
    )


def unclassified_products(scope):
    """Products recorded without a product set in the importer's provinces: the office's
    list of what to classify before they can be shown publicly."""
    products = Product.objects.unclassified().select_related("producer__commune")
    return _in_scope(products, scope).order_by("producer__name", "name", "pk")


def place_to_complete_products(scope):
    """Products whose producer was imported with only a province or district: the
    office's list of communes to complete."""
    products = Product.objects.filter(producer__commune__isnull=True).select_related(
        "producer__province", "producer__district"
    )
    return _in_scope(products, scope).order_by("producer__name", "name", "pk")


def _upload_page(request, form, status=200):
    unclassified = unclassified_products(_scope(request))
    to_complete = place_to_complete_products(_scope(request))
    # Without the rows they carry (held rows, what they created): a list of twenty.
    listed = ImportBatch.objects.select_related("user").defer(
        "summary", "held_rows", "created_ids", "source_rows"
    )
    if not request.user.is_superuser:
        listed = listed.filter(user=request.user)
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "columns": COLUMNS,
            "max_bytes": MAX_BYTES,
            "batches": listed[:20],
            "unclassified": unclassified[:UNCLASSIFIED_SHOWN],
            "unclassified_count": unclassified.count(),
            "to_complete": to_complete[:UNCLASSIFIED_SHOWN],
            "to_complete_count": to_complete.count(),
            "system_start": settings.SYSTEM_START_DATE,
        },
        status=status,
    )


def _preview_page(request, item, *, page=1, plan=None):
    """A page of a checked preview, read from what the check kept (imports.checked);
    while a job is still checking, the page that follows it."""
    if item.status != PreviewStatus.READY:
        return render(
            request,
            "imports/checking.html",
            {"item": item, "token": item.sha256, "progress": checked.progress_of(item)},
        )
    summary = item.summary or {}
    return render(
        request,
        "imports/preview.html",
        {
            "token": item.sha256,
            "file_name": item.file_name,
            "kind": item.kind,
            "plan": plan,  # when checked in this request (tests read it)
            "ignored": summary.get("ignored", ()),
            "seconds": summary.get("seconds"),
            "header_line": summary.get("header_line", 1),
            "skipped": summary.get("skipped", ()),
            "file_columns": summary.get("columns", ()),
            "fields": mapping.field_choices(),
            "labels": producer_field_labels(),
            # An administrator looking at someone else's preview may not confirm it.
            "mine": item.user_id == request.user.pk,
            **checked.page_of(item, page),
        },
    )


SHEET_KEYS = ("ignored", "header_line", "skipped", "columns")


def _start_preview(request, scope, *, token, file_name, kind, sheet, columns, started, table=None):
    """Check the rows now (a small file) and show the preview, or keep them for the job
    that checks a big file and show the page that follows it."""
    info = {
        "ignored": sheet.ignored,
        "header_line": sheet.header_line,
        "skipped": sheet.skipped,
        "columns": columns,
    }
    stored = {"user": request.user, "sha256": token, "file_name": file_name, "kind": kind}
    if len(sheet.rows) > checked.INLINE_ROWS:
        with transaction.atomic():  # the preview and its job, both or neither
            item = pending.store(
                **stored,
                rows=sheet.rows,
                fingerprint=None,
                table=table,
                status=PreviewStatus.CHECKING,
                summary=info,
            )
            check_preview.enqueue(item.pk, item.stored_at.isoformat())
        return redirect("imports:preview", token=token)
    plan = checked.check(sheet.rows, scope)
    item = _keep(stored, sheet.rows, plan, info, started, table=table)
    return _preview_page(request, item, plan=plan)


def _keep(stored: dict, rows, plan, info: dict, started: float, table=None):
    summary = checked.summary_of(plan, seconds=round(time.perf_counter() - started, 1), **info)
    with transaction.atomic():
        item = pending.store(**stored, rows=rows, fingerprint=plan.fingerprint, table=table)
        checked.keep(item.pk, plan, summary)
    item.summary, item.status = summary, PreviewStatus.READY
    return item


def _page_argument(request) -> int:
    try:
        return int(request.GET.get("trang", "1"))
    except ValueError:
        return 1


@login_required
def import_upload(request):
    scope = _scope(request)
    if request.method != "POST":
        return _upload_page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    data = b""
    started = time.perf_counter()
    try:
        check_size(upload.size)  # before reading a byte of it
        data = upload.read()
        sheet, digest = read_file(
            data, remembered=lambda headers: mapping.remembered(scope, request.user, headers)
        )
    except ColumnsMissing as missing:
        # A header, but not every column the import needs: the official says which is which.
        token = pending.store(
            user=request.user,
            sha256=sha256(data),
            file_name=upload.name,
            kind=missing.kind,
            rows=[],
            fingerprint=None,
            table={"header_index": missing.header_index, "cells": missing.table},
        ).sha256
        return _columns_page(
            request,
            token=token,
            file_name=upload.name,
            headers=missing.headers,
            table=missing.table,
            header_index=missing.header_index,
            chosen=missing.positions,
            errors=[missing.message],
        )
    except FileRefused as refused:
        form.add_error("file", refused.message)
        return _upload_page(request, form, status=400)
    return _start_preview(
        request,
        scope,
        token=digest,
        file_name=upload.name,
        kind=sheet.kind,
        sheet=sheet,
        table={"header_index": sheet.header_line - 1, "cells": sheet.table},
        started=started,
        columns=mapping.columns_view(
            sheet.headers, sheet.table, sheet.header_line - 1, sheet.positions
        ),
    )


def _columns_page(
    request, *, token, file_name, headers, table, header_index, chosen, errors, status=200
):
    return render(
        request,
        "imports/columns.html",
        {
            "token": token,
            "file_name": file_name,
            "columns": mapping.columns_view(headers, table, header_index, chosen),
            "fields": mapping.field_choices(),
            "errors": errors,
        },
        status=status,
    )


@login_required
@require_POST
def import_columns(request):
    """The official's choice of which column is which: read the kept cells again with
    it, remember it for the office, and show the preview."""
    scope = _scope(request)
    token = request.POST.get("token", "")
    item = pending.load(token, request.user) if token else None
    if item is None or not item["table"]:
        messages.warning(
            request, _("There is no import waiting for confirmation. Upload the file again.")
        )
        return redirect("imports:upload")
    cells = item["table"]["cells"]
    header_index, headers = header_of(cells)
    chosen, errors = mapping.from_form(request.POST, headers)
    page = {
        "token": token,
        "file_name": item["file_name"],
        "headers": headers,
        "table": cells,
        "header_index": header_index,
        "chosen": chosen,
    }
    if errors:
        return _columns_page(request, errors=errors, status=400, **page)
    try:
        sheet = to_sheet(item["kind"], cells, chosen)
    except FileRefused as refused:
        return _columns_page(request, errors=[refused.message], status=400, **page)
    mapping.remember(scope, request.user, headers, chosen)
    return _start_preview(
        request,
        scope,
        token=token,
        file_name=item["file_name"],
        kind=item["kind"],
        sheet=sheet,
        started=time.perf_counter(),
        columns=mapping.columns_view(headers, cells, header_index, chosen),
    )


@login_required
@require_POST
def import_confirm(request):
    scope = _scope(request)
    token = request.POST.get("token", "")
    partial = request.POST.get("mode") == "partial"
    item = batch = None
    try:
        # One transaction for taking the preview and writing it: a second confirmation of
        # the same preview (another tab) waits on the preview's row until this one is
        # committed, then finds the import done and says so.
        with transaction.atomic():
            item = pending.take(token, request.user)
            if item is not None and len(item["rows"]) > batches.INLINE_ROWS:
                # Too many rows to write within the request: a job writes them.
                batch = batches.queue(item, user=request.user, token=token, partial=partial)
            elif item is not None:
                batch = confirm(
                    item["rows"],
                    scope=scope,
                    user=request.user,
                    file_name=item["file_name"],
                    sha256=token,
                    expected_fingerprint=item["fingerprint"],
                    partial=partial,
                )
        if item is None:
            waiting = pending.find(token, request.user) if token else None
            if waiting is not None and waiting.status == PreviewStatus.CHECKING:
                messages.warning(
                    request,
                    _("The rows are still being checked: confirm once the preview is shown."),
                )
                return redirect("imports:preview", token=token)
            done = previous_import(token) if token else None
            if done is not None:
                messages.info(request, already_imported_message(done))
            else:
                messages.warning(
                    request,
                    _("There is no import waiting for confirmation. Upload the file again."),
                )
            return redirect("imports:upload")
    except AlreadyImported as exc:
        messages.warning(request, already_imported_message(exc.batch))
        return redirect("imports:upload")
    except ImportConflict:
        messages.error(
            request,
            _(
                "Someone changed the registry while the file was being imported, so nothing "
                "was written. Upload the file again to see the rows as they are now."
            ),
        )
        return redirect("imports:upload")
    except PlanChanged as exc:
        info = {k: v for k, v in (item["summary"] or {}).items() if k in SHEET_KEYS}
        stored = {
            "user": request.user,
            "sha256": token,
            "file_name": item["file_name"],
            "kind": item["kind"],
        }
        kept = _keep(stored, item["rows"], exc.plan, info, time.perf_counter())
        messages.warning(
            request,
            _(
                "The registry changed since the preview, so nothing was written. Check the "
                "rows below again before confirming."
            ),
        )
        return _preview_page(request, kept, plan=exc.plan)
    if batch.status == BatchStatus.QUEUED:
        return redirect("imports:batch", pk=batch.pk)
    messages.success(
        request,
        _(
            "Imported %(file)s: %(producers_created)s producers created, %(producers_updated)s "
            "updated, %(products)s products and %(certificates)s certificates created."
        )
        % {
            "file": batch.file_name,
            "producers_created": batch.producers_created,
            "producers_updated": batch.producers_updated,
            "products": batch.products_created,
            "certificates": batch.certificates_created,
        },
    )
    if batch.held_count:
        return redirect("imports:batch", pk=batch.pk)
    return redirect("imports:upload")


def _download(content: bytes, content_type: str, name: str):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def template_csv_download(request):
    _scope(request)
    return _download(template_csv(), "text/csv; charset=utf-8", "mau-nhap-du-lieu-ocop.csv")


@login_required
def template_xlsx_download(request):
    _scope(request)
    return _download(
        template_xlsx(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "mau-nhap-du-lieu-ocop.xlsx",
    )


def _pending(request, token):
    """A preview its uploader (while still an office) or an administrator may see;
    anyone else: 404."""
    _scope(request)
    item = pending.find(token, request.user)
    if item is None:
        raise Http404
    return item


@login_required
def import_preview(request, token):
    """A page of a preview waiting for confirmation, read from what its check kept (or,
    while a job checks a big file, the page that follows the job)."""
    return _preview_page(request, _pending(request, token), page=_page_argument(request))


@login_required
def preview_progress(request, token):
    """What the page following a preview's check polls (JSON)."""
    return JsonResponse(checked.progress_of(_pending(request, token)))


@login_required
def import_preview_held(request, token):
    """Before importing: the rows with problems as an XLSX to fix."""
    item = _pending(request, token)
    if item.status != PreviewStatus.READY:
        raise Http404
    return _download(held_rows_xlsx(checked.held_rows(item)), XLSX, _held_name(item.file_name))


def _batch(request, pk) -> ImportBatch:
    """An import batch its importer (while still an office) or an administrator may see;
    anyone else: 404."""
    _scope(request)
    batches_seen = ImportBatch.objects.select_related("user", "undone_by")
    if not request.user.is_superuser:
        batches_seen = batches_seen.filter(user=request.user)
    return get_object_or_404(batches_seen, pk=pk)


@login_required
def batch_detail(request, pk):
    batch = _batch(request, pk)
    return render(
        request,
        "imports/batch.html",
        {
            "batch": batch,
            "progress": batches.progress_of(batch),
            "blockers": batches.undo_blockers(batch) if batch.status == BatchStatus.DONE else [],
            "held_preview": batch.held_rows[:PAGE_ROWS],
            **_created(batch),
        },
    )


def _created(batch) -> dict:
    """The certificates the batch created, a page of them, with their products."""
    if batch.status != BatchStatus.DONE:
        return {"created": [], "created_more": 0}
    ids = (batch.created_ids or {}).get("certificate_ids", [])
    created = Certificate.objects.filter(pk__in=ids[:PAGE_ROWS]).select_related("product__producer")
    return {"created": created.order_by("pk"), "created_more": max(0, len(ids) - PAGE_ROWS)}


@login_required
def batch_progress(request, pk):
    return JsonResponse(batches.progress_of(_batch(request, pk)))


@login_required
def batch_held(request, pk):
    batch = _batch(request, pk)
    if not batch.held_rows:
        raise Http404
    return _download(held_rows_xlsx(batch.held_rows), XLSX, _held_name(batch.file_name))


@login_required
@require_POST
def batch_undo(request, pk):
    batch = _batch(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.warning(request, _("Tick the box to confirm that this import is to be undone."))
        return redirect("imports:batch", pk=batch.pk)
    try:
        done = batches.ask_undo(batch.pk, request.user)
    except batches.CannotUndo as refused:
        messages.error(request, refused.message)
    else:
        if done.status == BatchStatus.UNDONE:
            messages.success(request, _("The import was undone: what it created was removed."))
    return redirect("imports:batch", pk=batch.pk)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _held_name(file_name: str) -> str:
    stem = "".join(c for c in file_name.rsplit(".", 1)[0] if c.isascii() and c.isalnum())
    return f"dong-chua-nhap-{stem[:40] or 'tep'}.xlsx"
