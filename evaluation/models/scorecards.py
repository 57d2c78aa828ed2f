from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scorecard(models.Model):
    """One person's filled sheet for one dossier: a council member's or the producer's own."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Council member")
        SELF = "self", _("Self-assessment")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    dossier = models.ForeignKey(
        "evaluation.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="scorecards",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filled by"),
        on_delete=models.PROTECT,
        related_name="scorecards",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    total = models.PositiveSmallIntegerField(_("total"), default=0, editable=False)
    rejections = models.JSONField(_("outright-rejection clauses flagged"), default=list, blank=True)
    eliminations = models.JSONField(
        _("stop or elimination notes flagged"),
        default=list,
        blank=True,
        help_text=_("Ids of the sheet's stop or elimination notes the member found to apply."),
    )
    comments = models.JSONField(
        _("notes per criterion"),
        default=dict,
        blank=True,
        help_text=_(
            "A member's own short note on each criterion (criterion id → text), saved as "
            "ticks are and frozen with the card."
        ),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["dossier", "author__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "author"],
                condition=models.Q(kind="member"),
                name="scorecard_one_per_member_per_dossier",
            ),
            models.UniqueConstraint(
                fields=["dossier"],
                condition=models.Q(kind="self"),
                name="scorecard_one_self_assessment_per_dossier",
            ),
            models.CheckConstraint(
                condition=models.Q(total__lte=100), name="scorecard_total_at_most_100"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft", submitted_at__isnull=True)
                | models.Q(status="submitted", submitted_at__isnull=False),
                name="scorecard_submitted_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.author} — {self.dossier}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(
        "evaluation.Criterion", on_delete=models.PROTECT, related_name="+"
    )
    option = models.ForeignKey("evaluation.Option", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "criterion"], name="answer_one_option_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.option_id}"


class ScorecardEvent(models.Model):
    """The audit trail of a card: every tick, submission and reopening, with before/after."""

    class Action(models.TextChoices):
        TICK = "tick", _("Option ticked")
        REJECTION = "rejection", _("Rejection clause flagged")
        NOTE = "note", _("Stop or elimination note flagged")
        COMMENT = "comment", _("Note on a criterion written")
        SUBMIT = "submit", _("Submitted")
        REOPEN = "reopen", _("Reopened")

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    criterion = models.ForeignKey(
        "evaluation.Criterion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scorecard event")
        verbose_name_plural = _("scorecard events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"
