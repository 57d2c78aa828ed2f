from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluation import rules


class CouncilResult(models.Model):
    """The stored outcome of evaluation.rules.evaluate for one dossier, with its reasons."""

    class Outcome(models.TextChoices):
        WAITING_QUORUM = rules.Outcome.WAITING_QUORUM.value, _("Waiting for quorum")
        WAITING_SPREAD = rules.Outcome.WAITING_SPREAD.value, _("Waiting: totals too far apart")
        REJECTED = rules.Outcome.REJECTED.value, _("Rejected outright")
        FINAL = rules.Outcome.FINAL.value, _("Final")

    dossier = models.OneToOneField(
        "evaluation.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="result",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    cards = models.PositiveSmallIntegerField(_("submitted cards"), default=0)
    mean = models.DecimalField(_("mean total"), max_digits=5, decimal_places=2, null=True)
    part_means = models.JSONField(_("part means"), default=dict)
    spread = models.PositiveSmallIntegerField(_("spread"), null=True)
    band_stars = models.PositiveSmallIntegerField(_("stars by score"), null=True)
    stars = models.PositiveSmallIntegerField(_("stars"), null=True)
    caps = models.JSONField(_("caps applied"), default=list)
    rejection_clause = models.PositiveSmallIntegerField(null=True)
    eliminations = models.JSONField(
        _("stop or elimination notes applied"),
        default=list,
        blank=True,
        help_text=_("Each note a majority flagged: its criterion, effect, wording and count."),
    )
    next_star = models.JSONField(_("for the next star"), null=True)
    council_rules = models.JSONField(
        _("council's rules applied"),
        default=dict,
        blank=True,
        help_text=_("The council's operating rules when the result was computed."),
    )
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("council result")
        verbose_name_plural = _("council results")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mean__isnull=True) | models.Q(mean__gte=0, mean__lte=100),
                name="result_mean_0_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(stars__isnull=True) | models.Q(stars__gte=1, stars__lte=5),
                name="result_stars_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.dossier}: {self.get_outcome_display()}"
