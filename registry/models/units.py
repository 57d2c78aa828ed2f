from django.db import models
from django.utils.translation import gettext_lazy as _


class AdministrativeUnitQuerySet(models.QuerySet):
    def provinces(self):
        return self.filter(level=AdministrativeUnit.Level.PROVINCE)

    def districts(self):
        return self.filter(level=AdministrativeUnit.Level.DISTRICT)

    def communes(self):
        return self.filter(level=AdministrativeUnit.Level.COMMUNE)

    def current(self):
        """Units in force today: not the districts and communes of before July 2025."""
        return self.filter(abolished_on__isnull=True)


class AdministrativeUnit(models.Model):
    """One node of the tree province → (district) → commune, with its official code.

    Since 1 July 2025 communes hang directly under their province; the districts of
    before that date are kept (with `abolished_on`) because certificates and
    councils of the Decision 148 era name them.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province / city")
        DISTRICT = "district", _("District / town")
        COMMUNE = "commune", _("Commune / ward")

    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(
        _("official code"), max_length=10, help_text=_("The General Statistics Office code.")
    )
    name = models.CharField(_("name"), max_length=120)
    division_type = models.CharField(
        _("division type"), max_length=40, blank=True, help_text=_("e.g. xã, phường, huyện, quận")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True)

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="unit_code_unique_per_level"),
            models.CheckConstraint(
                condition=(models.Q(level="province", parent__isnull=True))
                | (~models.Q(level="province") & models.Q(parent__isnull=False)),
                name="unit_only_provinces_are_roots",
            ),
        ]
        indexes = [models.Index(fields=["parent", "level"], name="unit_parent_level_idx")]

    def __str__(self):
        return self.name
