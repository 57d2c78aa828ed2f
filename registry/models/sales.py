from django.db import models
from django.utils.translation import gettext_lazy as _


class SalesPointQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_active=True)


class SalesPoint(models.Model):
    """An OCOP sales point or showroom where buyers find certified products."""

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("street address"), max_length=255)
    commune = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("commune / ward"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "commune", "abolished_on__isnull": True},
    )
    opening_hours = models.CharField(
        _("opening hours"), max_length=200, blank=True, help_text=_("e.g. 8:00–21:00 every day")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    products = models.ManyToManyField(
        "registry.Product",
        verbose_name=_("products carried"),
        blank=True,
        related_name="sales_points",
    )
    is_active = models.BooleanField(_("open"), default=True)

    objects = SalesPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("sales point")
        verbose_name_plural = _("sales points")
        ordering = ["name"]

    def __str__(self):
        return self.name
