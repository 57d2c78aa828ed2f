from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, unique=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    producers_created = models.PositiveIntegerField(_("producers created"), default=0)
    producers_updated = models.PositiveIntegerField(_("producers updated"), default=0)
    products_created = models.PositiveIntegerField(_("products created"), default=0)
    certificates_created = models.PositiveIntegerField(_("certificates created"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


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

    class Meta:
        verbose_name = _("import waiting for confirmation")
        verbose_name_plural = _("imports waiting for confirmation")
        constraints = [
            models.UniqueConstraint(fields=["user", "sha256"], name="pending_import_once_per_user")
        ]

    def __str__(self):
        return self.file_name


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
