from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluation import validity
from evaluation.models.rulebooks import Level, Rulebook


def renewal_rules() -> list[validity.RenewalRule]:
    """Each rulebook's re-evaluation window, with the certificates it applies to: those
    issued under it, and those issued outside the system (no rulebook) on a day it governs
    (models.rulebooks.governing: the first rulebook also governs every earlier day)."""
    by_start = sorted(Rulebook.objects.all(), key=lambda r: (r.effective_from, r.pk))
    rules = []
    for i, rulebook in enumerate(by_start):
        governed = Q()
        if i > 0:
            governed &= Q(issued_on__gte=rulebook.effective_from)
        if i + 1 < len(by_start):
            governed &= Q(issued_on__lt=by_start[i + 1].effective_from)
        rules.append(
            validity.RenewalRule(
                Q(rulebook=rulebook) | (Q(rulebook__isnull=True) & governed),
                rulebook.renewal_opens_days,
                rulebook.renewal_closes_days,
            )
        )
    return rules


class CertificateQuerySet(models.QuerySet):
    def current(self, today):
        """In force on `today`: valid or expiring (validity.in_force_q)."""
        return self.filter(validity.in_force_q(today))

    def in_state(self, state: validity.State, today):
        """The certificates `certificate_state()` puts in `state` on `today`."""
        return self.filter(validity.state_q(state, today, renewal_rules()))


class Certificate(models.Model):
    """An OCOP certificate: issued on recognition, valid for the rulebook's term (36 months
    in Decisions 148 and 26/2026), revocable."""

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
    # How much of the date of issue is known: an old list may give only the month or the
    # year, kept as such (issued_on is then its first day), never a day made up.
    issued_precision = models.CharField(
        _("date of issue known to the day, month or year"),
        max_length=5,
        choices=[("day", _("day")), ("month", _("month")), ("year", _("year"))],
        default="day",
    )
    # The recognition decision's number as a list wrote it ("348/QĐ-UBND"), for
    # certificates recorded before the system (the decisions made in it are `decision`).
    decision_reference = models.CharField(
        _("recognition decision (as written)"), max_length=60, blank=True
    )
    expires_on = models.DateField(_("expires on"))
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("superseded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
    )
    extended_until = models.DateField(
        _("in force, re-evaluation pending, until"),
        null=True,
        blank=True,
        help_text=_(
            "Set when a re-evaluation is filed after its window could no longer be met "
            "(Decision 26/2026, Điều 12 khoản 3): the certificate stays in force until the "
            "result, at the latest until the day before this date (180 days after expiry)."
        ),
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
    inspection_concluded_on = models.DateField(
        _("date of the inspection conclusion"),
        null=True,
        blank=True,
        help_text=_(
            "The day the authority concluded (or the commune confirmed that production "
            "stopped): revocation is due within 15 days of it (Decision 26/2026, Điều 8 "
            "khoản 4)."
        ),
    )
    revocation_note = models.TextField(_("note"), blank=True)
    # The acts behind it. Empty on certificates from before the system (imported lists,
    # and those issued here before decisions were recorded): shown as "not recorded",
    # never made up.
    decision = models.ForeignKey(
        "evaluation.Decision",
        verbose_name=_("decision of recognition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )
    revocation_decision = models.ForeignKey(
        "evaluation.Decision",
        verbose_name=_("decision of revocation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revoked_certificates",
    )
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
                condition=models.Q(extended_until__isnull=True)
                | models.Q(extended_until__gt=models.F("expires_on")),
                name="certificate_extended_after_expiry",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_on__isnull=True)
                | (~models.Q(revocation_ground="") & ~models.Q(inspection_reference="")),
                name="certificate_revocation_needs_ground_and_inspection",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "expires_on"], name="cert_product_expiry_idx"),
            # The certificate list's default order (newest first, the id breaking ties:
            # listing.order_by) and its reverse, read from the index with the page's LIMIT
            # instead of sorting every certificate in scope (an inspector's: all of them).
            models.Index(fields=["-issued_on", "id"], name="cert_issued_idx"),
        ]

    def __str__(self):
        return self.number
