from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# WGS 84 degrees, as a phone or a map shows them; six decimals place a door (about 10 cm).
LATITUDE = (Decimal("-90"), Decimal("90"))
LONGITUDE = (Decimal("-180"), Decimal("180"))


class SalesPointQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_active=True)

    def for_listing(self):
        """The public list's rows: each point's commune and province in the same query."""
        return self.public().select_related("commune__parent").order_by("name", "pk")


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
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(LATITUDE[0]), MaxValueValidator(LATITUDE[1])],
        help_text=_("Degrees north, e.g. 21.028511 for Hoàn Kiếm. Leave both empty: no map pin."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(LONGITUDE[0]), MaxValueValidator(LONGITUDE[1])],
        help_text=_("Degrees east, e.g. 105.852387 for Hoàn Kiếm."),
    )
    is_active = models.BooleanField(_("open"), default=True)

    objects = SalesPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("sales point")
        verbose_name_plural = _("sales points")
        ordering = ["name"]
        constraints = [
            # A pin needs both numbers, each on the globe.
            models.CheckConstraint(
                name="salespoint_coordinates_both_or_neither",
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
            ),
            models.CheckConstraint(
                name="salespoint_latitude_range",
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=LATITUDE[0], latitude__lte=LATITUDE[1]),
            ),
            models.CheckConstraint(
                name="salespoint_longitude_range",
                condition=Q(longitude__isnull=True)
                | Q(longitude__gte=LONGITUDE[0], longitude__lte=LONGITUDE[1]),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            raise ValidationError(
                {missing: _("Give both latitude and longitude, or leave both empty.")}
            )

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None
