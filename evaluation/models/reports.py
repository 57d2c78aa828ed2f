from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluation.models.rulebooks import Level


class FakeReport(models.Model):
    """A visitor's report of a suspected fake OCOP product or certificate, sent from the
    certificate check. It goes to the office that issued the certificate (the central
    office when the number is unknown), which marks it handled with a note.

    Nothing of the visitor is kept but what they typed: no address, no cookie."""

    number = models.CharField(_("certificate number given"), max_length=40, blank=True)
    certificate = models.ForeignKey(
        "evaluation.Certificate",
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fake_reports",
    )
    seen = models.TextField(_("what was seen"), max_length=2000)
    place = models.CharField(_("where"), max_length=300)
    contact = models.CharField(_("reporter's contact"), max_length=200, blank=True)
    # The office told: the certificate's issuing level and unit, or the central level.
    level = models.CharField(_("office's level"), max_length=10, choices=Level.choices)
    unit = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("office's unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_note = models.TextField(_("what was done"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("suspected fake report")
        verbose_name_plural = _("suspected fake reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(handled_at__isnull=True, handled_by__isnull=True)
                | models.Q(handled_at__isnull=False, handled_by__isnull=False),
                name="fake_report_handled_by_someone",
            )
        ]
        indexes = [models.Index(fields=["level", "unit", "-created_at"], name="fake_report_office")]

    def __str__(self):
        return f"{self.number or '—'} ({self.created_at:%Y-%m-%d})"
