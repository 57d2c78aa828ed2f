"""The legal acts behind dossiers and certificates: each recognition, approval, notice of
non-recognition and revocation is recorded as the document the authority issued.

A recognition is not a status change; it is a decision ("Quyết định") numbered and dated by
the people's committee (or the ministry) and signed by a named official, citing the
rulebook it applies. The status moves (`DossierStatusChange.decision`) and certificates
(`Certificate.decision`, `Certificate.revocation_decision`) point to the act they rest on.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluation.models.rulebooks import Level


def number_key(number: str) -> str:
    """The number as compared for uniqueness: "12/QĐ-UBND", " 12 / qđ-ubnd" are one number.
    Python's upper() folds Vietnamese letters (đ → Đ), which SQLite's UPPER() does not, so
    the key is stored rather than computed in the database."""
    return "".join((number or "").split()).upper()


class Decision(models.Model):
    class Kind(models.TextChoices):
        # Quyết định công nhận (26/2026, Điều 4 khoản 1; Điều 7 khoản 3 điểm e, khoản 4).
        RECOGNITION = "recognition", _("Decision of recognition")
        # Quyết định phê duyệt kết quả đánh giá and the letter sending the dossier up
        # (Điều 7 khoản 3 điểm e; the commune's proposal, khoản 2 điểm b).
        FORWARDING = "forwarding", _("Approval of the result and proposal to the next level")
        # No decision is issued under three stars (Điều 4 khoản 1 điểm a): the result is
        # notified in writing (Điều 7 khoản 3 điểm g; khoản 4 điểm g).
        REFUSAL = "refusal", _("Written notice of non-recognition")
        # Quyết định thu hồi giấy chứng nhận (Điều 8 khoản 2, 3).
        REVOCATION = "revocation", _("Decision of revocation")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(
        _("number"), max_length=60, help_text=_("As printed on the decision, e.g. 1234/QĐ-UBND.")
    )
    number_key = models.CharField(max_length=60, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    signed_on = models.DateField(_("dated"))
    authority = models.CharField(
        _("issuing authority"),
        max_length=200,
        help_text=_("As printed at the head of the decision, e.g. UBND thành phố Hà Nội."),
    )
    signer_name = models.CharField(_("signed by"), max_length=120)
    signer_title = models.CharField(
        _("signer's title"), max_length=200, help_text=_("e.g. Phó Chủ tịch (ký thay Chủ tịch)")
    )
    # The authority in the system's terms: the office of this level and unit took it. The
    # number is unique per authority and year, whatever spelling `authority` is given.
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    unit = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the central level."),
    )
    rulebook = models.ForeignKey(
        "evaluation.Rulebook",
        verbose_name=_("legal basis"),
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text=_("The decision of the Prime Minister whose criteria and procedure it applies."),
    )
    ground = models.CharField(_("ground for revocation"), max_length=30, blank=True)
    inspection_reference = models.CharField(_("inspection conclusion"), max_length=200, blank=True)
    note = models.TextField(_("reasons"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-signed_on", "-id"]
        constraints = [
            # Two partial constraints rather than nulls_distinct=False, which SQLite lacks.
            models.UniqueConstraint(
                fields=["level", "unit", "year", "number_key"],
                condition=models.Q(unit__isnull=False),
                name="decision_number_once_per_authority_year",
            ),
            models.UniqueConstraint(
                fields=["level", "year", "number_key"],
                condition=models.Q(unit__isnull=True),
                name="decision_number_once_central_year",
            ),
            models.CheckConstraint(
                condition=~models.Q(number_key="")
                & ~models.Q(authority="")
                & ~models.Q(signer_name=""),
                name="decision_number_authority_signer",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="revocation")
                | (~models.Q(ground="") & ~models.Q(inspection_reference="")),
                name="decision_revocation_needs_ground_and_inspection",
            ),
        ]

    def __str__(self):
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        # Derived from the number and the date, so that an edit in the admin keeps the
        # uniqueness check true; nothing outside this row is touched.
        self.number = " ".join(self.number.split())
        self.number_key = number_key(self.number)
        self.year = self.signed_on.year
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "number", "number_key", "year"}
        super().save(*args, **kwargs)
