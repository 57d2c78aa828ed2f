from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluation.models.rulebooks import Level


class OfficialRole(models.Model):
    """An official's standing outside councils: the office that takes decisions at a level
    (district people's committee, city OCOP office, the ministry) or a read-only inspector."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Office (takes decisions)")
        INSPECTOR = "inspector", _("Inspector (read only)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="official_roles",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
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

    class Meta:
        verbose_name = _("official role")
        verbose_name_plural = _("official roles")
        constraints = [
            # Two partial constraints rather than nulls_distinct=False, which SQLite lacks.
            models.UniqueConstraint(
                fields=["user", "kind", "level", "unit"],
                condition=models.Q(unit__isnull=False),
                name="official_role_once_per_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "level"],
                condition=models.Q(unit__isnull=True),
                name="official_role_once_central",
            ),
        ]

    def __str__(self):
        where = self.unit or _("central")
        return f"{self.user} — {self.get_kind_display()} ({self.get_level_display()}, {where})"
