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
