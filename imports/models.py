from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to be written")
    RUNNING = "running", _("being written")
    DONE = "done", _("imported")
    FAILED = "failed", _("not imported")
    UNDOING = "undoing", _("being undone")
    UNDONE = "undone", _("undone")


class ImportBatch(models.Model):
    """One confirmed bulk import of producers, products and certificates from a file.

    The file's SHA-256 is unique: the same file cannot be imported twice, and two
    simultaneous confirmations of it leave one set of rows (the second insert fails).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    # Unique among the batches that count (constraint import_batch_file_once): a failed or
    # undone import's file may be imported again.
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    producers_created = models.PositiveIntegerField(_("producers created"), default=0)
    producers_updated = models.PositiveIntegerField(_("producers updated"), default=0)
    products_created = models.PositiveIntegerField(_("products created"), default=0)
    certificates_created = models.PositiveIntegerField(_("certificates created"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True, db_index=True)
    # Issue 14: partial imports, background writes, undo (see imports/batches.py).
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.DONE
    )
    partial = models.BooleanField(_("rows that pass imported, the rest held"), default=False)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    held_count = models.PositiveIntegerField(_("rows held"), default=0)
    # [[line, {column key: text as read}, [messages]]]: downloaded as an XLSX to fix.
    held_rows = models.JSONField(_("rows held"), default=list, blank=True)
    # {"producer_ids": [...], "product_ids": [...], "certificate_ids": [...]}: what undo removes.
    created_ids = models.JSONField(_("rows created"), default=dict, blank=True)
    # The rows as read, kept only while a background job has still to write them.
    source_rows = models.JSONField(default=list, blank=True)
    expected_fingerprint = models.CharField(max_length=64, blank=True)
    message = models.TextField(_("message"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"],
                condition=~models.Q(status__in=["failed", "undone"]),
                name="import_batch_file_once",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in BatchStatus]),
                name="import_batch_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(status="undone") | models.Q(undone_at__isnull=True),
                name="import_batch_undone_only_when_undone",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def percent(self) -> int:
        if self.status in (BatchStatus.DONE, BatchStatus.UNDONE):
            return 100
        return min(100, round(100 * self.rows_done / self.row_count)) if self.row_count else 0


class PreviewStatus(models.TextChoices):
    CHECKING = "checking", _("being checked")
    READY = "ready", _("checked")
    FAILED = "failed", _("not checked")


class PendingImport(models.Model):
    """A previewed file waiting for its confirmation: the rows as read, on the server.

    Kept in the database, not the session: a 10,000-row preview in the session made every
    later page of that user read and write megabytes (three previews: pages ten times
    slower), and a database row is the same on every app server.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    file_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(max_length=10)
    rows = models.JSONField(default=list)
    fingerprint = models.JSONField(default=None, null=True)
    # The file's cells as read ({"header_index": n, "cells": [[…], …]}), so the official
    # can say which column is which without sending the file again (imports.mapping).
    table = models.JSONField(default=dict, blank=True)
    stored_at = models.DateTimeField(auto_now=True, db_index=True)
    # Issue 14, point 8: the rows are checked once (in the request, or for a big file by a
    # job) and what the check said is kept (PreviewRow, and the counts here): a page of
    # the preview reads one page of it, nothing is checked again until the confirmation.
    status = models.CharField(
        _("status"), max_length=10, choices=PreviewStatus.choices, default=PreviewStatus.READY
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    # {"counts": {…}, "reasons": [[message, rows], …], "seconds": s, "ignored": […],
    #  "header_line": n, "skipped": […], "columns": […]} (imports.checked.summary_of)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("import waiting for confirmation")
        verbose_name_plural = _("imports waiting for confirmation")
        constraints = [
            models.UniqueConstraint(fields=["user", "sha256"], name="pending_import_once_per_user")
        ]

    def __str__(self):
        return self.file_name


class PreviewRow(models.Model):
    """One checked row of a preview waiting for confirmation, as the preview shows it
    (imports.checked.shown): a page of the preview is a slice of these."""

    pending = models.ForeignKey(PendingImport, on_delete=models.CASCADE, related_name="checked")
    position = models.PositiveIntegerField()  # 0, 1, … in the file's order
    line = models.PositiveIntegerField()  # the row's line in the file
    bad = models.BooleanField(default=False)
    shown = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("checked row of a preview")
        verbose_name_plural = _("checked rows of previews")
        constraints = [
            models.UniqueConstraint(fields=["pending", "position"], name="preview_row_once")
        ]
        indexes = [models.Index(fields=["pending", "bad", "position"], name="preview_row_bad")]

    def __str__(self):
        return f"{self.pending_id}:{self.line}"


class ColumnMapping(models.Model):
    """Which column of an office's files is which registry field, remembered for the next
    file whose header row reads the same (`shape`, imports.reading.header_shape).

    Kept per office ("district:274", several offices joined; an administrator's own
    "user:12"), so one office's choices never rename another's columns.
    """

    office = models.CharField(_("office"), max_length=200)
    shape = models.CharField(_("header shape"), max_length=64)
    headers = models.JSONField(_("header row"), default=list)
    mapping = models.JSONField(_("columns"), default=dict)  # column key → column index
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("remembered column mapping")
        verbose_name_plural = _("remembered column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "shape"], name="column_mapping_once_per_shape"
            )
        ]

    def __str__(self):
        return f"{self.office} {self.shape[:8]}"
