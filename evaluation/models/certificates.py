from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluation.models.rulebooks import Level


class CertificateQuerySet(models.QuerySet):
    def current(self, today):
        """Neither revoked, superseded nor expired on `today`."""
        return self.filter(
            revoked_on__isnull=True, superseded_by__isnull=True, expires_on__gt=today
        )


class Certificate(models.Model):
    """An OCOP certificate: issued on recognition, valid 36 months, revocable."""

    class Ground(models.TextChoices):
        # The six grounds for revocation (Decision 26/2026, Điều 8; as in Decision 148).
        FALSE_INFORMATION = "false_information", _("False or forged information in the dossier")
        CRITERIA_NOT_MET = "criteria_not_met", _("The product no longer meets the criteria")
        LAW_VIOLATION = (
            "law_violation",
            _(
                "Violation of quality, food-safety, environment, intellectual-property or "
                "labelling law"
            ),
        )
        MARK_MISUSE = "mark_misuse", _("Misuse of the OCOP mark")
        PRODUCTION_STOPPED = "production_stopped", _("Production has stopped")
        OTHER_AUTHORITY = "other_authority", _("Other conclusion of a competent authority")

    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    product = models.ForeignKey(
        "registry.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    dossier = models.OneToOneField(
        "evaluation.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="certificate",
        null=True,
        blank=True,
        help_text=_("Empty for certificates imported from before the system."),
    )
    rulebook = models.ForeignKey(
        "evaluation.Rulebook",
        verbose_name=_("rulebook"),
        on_delete=models.PROTECT,
        related_name="certificates",
        null=True,
        blank=True,
    )
    level = models.CharField(_("issuing level"), max_length=10, choices=Level.choices)
    unit = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("issuing unit"),
        on_delete=models.PROTECT,
        related_name="certificates",
        null=True,
        blank=True,
    )
    stars = models.PositiveSmallIntegerField(_("stars"))
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("superseded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_ground = models.CharField(
        _("ground for revocation"), max_length=30, choices=Ground.choices, blank=True
    )
    inspection_reference = models.CharField(
        _("inspection conclusion"),
        max_length=200,
        blank=True,
        help_text=_("Number and date of the inspection conclusion the revocation rests on."),
    )
    revocation_note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__gte=3, stars__lte=5), name="certificate_stars_3_to_5"
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("issued_on")),
                name="certificate_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_on__isnull=True)
                | (~models.Q(revocation_ground="") & ~models.Q(inspection_reference="")),
                name="certificate_revocation_needs_ground_and_inspection",
            ),
        ]
        indexes = [models.Index(fields=["product", "expires_on"], name="cert_product_expiry_idx")]

    def __str__(self):
        return self.number
