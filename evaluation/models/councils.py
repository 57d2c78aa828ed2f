from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluation import rules
from evaluation.models.rulebooks import Level


class Council(models.Model):
    """An evaluation council of one level and administrative unit, e.g. Hoài Đức district.

    Its operating rules (quy chế hoạt động) settle what the decision leaves to each
    council: the quorum, the spread that sends cards back, how members' ticks on a
    star-marked criterion combine, the chair's place in the quorum, and whether a
    majority rejection waits for re-scoring. Each rule's choices are evaluation.rules'
    enums; the defaults are the behaviour before they were settings. Changes are kept
    in the council's history, and results not yet decided are recomputed."""

    class MinimumRule(models.TextChoices):
        STRICT_MAJORITY = (
            rules.MinimumRule.STRICT_MAJORITY.value,
            _("More than half of the submitted cards; a tie is not enough"),
        )
        HALF_OR_MORE = (
            rules.MinimumRule.HALF_OR_MORE.value,
            _("Half of the submitted cards or more; a tie is enough"),
        )
        CHAIR_BREAKS_TIE = (
            rules.MinimumRule.CHAIR_BREAKS_TIE.value,
            _("More than half of the submitted cards; on a tie, the chair's card decides"),
        )
        UNANIMOUS = rules.MinimumRule.UNANIMOUS.value, _("Every submitted card")

    class ChairRule(models.TextChoices):
        REQUIRED = (
            rules.ChairRule.REQUIRED.value,
            _(
                "The chair must have submitted; if the chair is tied to the producer or "
                "none is appointed, the share of members alone counts"
            ),
        )
        ALWAYS = (
            rules.ChairRule.ALWAYS.value,
            _(
                "The chair must have submitted; if the chair is tied to the producer or "
                "none is appointed, there is no quorum until another chair is appointed"
            ),
        )
        NOT_REQUIRED = (
            rules.ChairRule.NOT_REQUIRED.value,
            _("The chair need not be among them; the share of members alone counts"),
        )

    class SpreadRule(models.TextChoices):
        WAIT = (
            rules.SpreadRule.WAIT.value,
            _("Everything waits for discussion and re-scoring, a majority rejection too"),
        )
        REJECTION_STANDS = (
            rules.SpreadRule.REJECTION_STANDS.value,
            _(
                "A rejection clause or stop or elimination note flagged by a majority "
                "applies at once; only a star rating waits"
            ),
        )

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
        help_text=_(
            "Share of scoring members who must submit; the chair rule says whether the "
            "chair must be among them."
        ),
    )
    spread_limit = models.DecimalField(
        _("spread limit (points)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("10"),
        help_text=_("Members' totals further apart than this are discussed and re-scored."),
    )
    minimum_rule = models.CharField(
        _("a star minimum is met by"),
        max_length=20,
        choices=MinimumRule.choices,
        default=MinimumRule.STRICT_MAJORITY,
        help_text=_(
            "How members' ticks on a criterion marked ★★★, ★★★★ or ★★★★★ combine. A card "
            "meets the minimum by ticking the marked option or one printed after it."
        ),
    )
    chair_rule = models.CharField(
        _("the chair and the quorum"),
        max_length=20,
        choices=ChairRule.choices,
        default=ChairRule.REQUIRED,
    )
    spread_rule = models.CharField(
        _("a spread over the limit and a majority rejection"),
        max_length=20,
        choices=SpreadRule.choices,
        default=SpreadRule.WAIT,
    )
    history = HistoricalRecords()

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

    @property
    def operating_rules(self) -> rules.CouncilRules:
        return rules.CouncilRules(
            minimums=rules.MinimumRule(self.minimum_rule),
            chair=rules.ChairRule(self.chair_rule),
            spread=rules.SpreadRule(self.spread_rule),
        )

    def rules_snapshot(self) -> dict:
        """The operating rules as a result records them (CouncilResult.council_rules)."""
        return {
            "quorum_ratio": str(self.quorum_ratio),
            "spread_limit": str(self.spread_limit),
            "minimum_rule": self.minimum_rule,
            "chair_rule": self.chair_rule,
            "spread_rule": self.spread_rule,
        }


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
