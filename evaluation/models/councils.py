from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluation.models.rulebooks import Level


class Council(models.Model):
    """An evaluation council of one level and administrative unit, e.g. Hoài Đức district."""

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    unit = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="councils",
        null=True,
        blank=True,
        help_text=_("Empty for the central council."),
    )
    quorum_ratio = models.DecimalField(
        _("quorum"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.75"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of scoring members who must submit, the chair among them."),
    )
    spread_limit = models.DecimalField(
        _("spread limit (points)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("10"),
        help_text=_("Members' totals further apart than this are discussed and re-scored."),
    )

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quorum_ratio__gt=0, quorum_ratio__lte=1),
                name="council_quorum_ratio_0_1",
            ),
            models.CheckConstraint(
                condition=models.Q(spread_limit__gte=0), name="council_spread_not_negative"
            ),
        ]

    def __str__(self):
        return self.name


class CouncilMembership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        SECRETARY = "secretary", _("Secretary")

    # The chair and members score; the secretary runs the session and does not.
    SCORING_ROLES = (Role.CHAIR, Role.MEMBER)

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="council_memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    organisation = models.CharField(
        _("organisation"), max_length=200, blank=True, help_text=_("e.g. Phòng Kinh tế")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("council membership")
        verbose_name_plural = _("council memberships")
        ordering = ["council", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="membership_once_per_council"),
            models.UniqueConstraint(
                fields=["council"],
                condition=models.Q(role="chair", active=True),
                name="council_one_active_chair",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.council})"

    @property
    def scores(self) -> bool:
        return self.role in self.SCORING_ROLES


class ConflictDeclaration(models.Model):
    """A member's declared tie to a producer: they may not score its dossiers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    producer = models.ForeignKey(
        "registry.Producer",
        verbose_name=_("producer"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["user", "producer"], name="conflict_once_per_producer")
        ]

    def __str__(self):
        return f"{self.user} — {self.producer}"
