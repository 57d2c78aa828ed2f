from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ProductGroup(models.Model):
    """One of the six groups of Appendix I (food, drinks, herbs, handicrafts, …)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")
        ordering = ["position"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.name_en if get_language() == "en" and self.name_en else self.name


class ProductSet(models.Model):
    """One of the 26 product sets; each has its own scoring sheet."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    group = models.ForeignKey(
        ProductGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="sets"
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("product set")
        verbose_name_plural = _("product sets")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.display_name}"

    @property
    def display_name(self):
        return self.name_en if get_language() == "en" and self.name_en else self.name
