from django.db import models
from django.utils.translation import gettext_lazy as _


class Target(models.Model):
    """A programme target an administrator sets, e.g. Hanoi: 2,000 products evaluated by 2025,
    or nationally at least 3% five-star products."""

    class Metric(models.TextChoices):
        EVALUATED = "evaluated", _("Products evaluated (with a certificate, ever)")
        CERTIFIED = "certified", _("Products with a certificate in force")
        FIVE_STAR_SHARE = "five_star_share", _("Share of five-star products (%)")

    name = models.CharField(_("name"), max_length=200)
    metric = models.CharField(_("measure"), max_length=20, choices=Metric.choices)
    unit = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("province / city"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"level": "province"},
        help_text=_("Empty for a national target."),
    )
    value = models.DecimalField(_("target"), max_digits=10, decimal_places=2)
    deadline = models.DateField(_("deadline"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["deadline", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gt=0), name="target_value_positive")
        ]

    def __str__(self):
        return self.name
