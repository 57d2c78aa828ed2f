from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(
    r"^\+?[0-9 .\-()]{8,20}$",
    _("Enter a phone number of 8 to 20 digits, e.g. 024 3825 1234 or +84 912 345 678."),
)


class ProducerQuerySet(models.QuerySet):
    def for_user(self, user):
        """The producers a producer account acts for; everything for staff."""
        if user.is_superuser:
            return self
        return self.filter(users=user)


class Producer(models.Model):
    """A "chủ thể OCOP": the organisation that makes and sells the products."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        COOPERATIVE = "cooperative", _("Cooperative")
        COOPERATIVE_GROUP = "coop_group", _("Cooperative group")
        FARM = "farm", _("Farm")
        HOUSEHOLD = "household", _("Registered household business")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    registration_number = models.CharField(  # noqa: DJ001 — NULL: unique, many unknown
        _("registration number"),
        max_length=30,
        unique=True,
        # NULL, never blank: provinces' old lists often give none; the import then
        # matches the producer by its name within its commune (imports.validation).
        # Forms still require it (blank=False).
        null=True,
        help_text=_("Business, cooperative or household registration number."),
    )
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("commune / ward"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "commune", "abolished_on__isnull": True},
        # NULL only for a producer imported from an old list that gave only its province
        # or district: the place is "to be completed" (then `province` holds the province,
        # `district` the old district if known). Forms still require it (blank=False).
        null=True,
    )
    province = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("province (commune to be completed)"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"level": "province"},
        help_text=_(
            "Only for a producer whose commune is not yet known (an imported old list gave "
            "only the province or district): its province, until the commune is completed."
        ),
    )
    district = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("district (before July 2025)"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"level": "district"},
        help_text=_("The district the producer belonged to before districts were abolished."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_public = models.BooleanField(
        _("show contact details publicly"),
        default=False,
        help_text=_("Phone and email appear on public pages only if the producer agrees."),
    )
    representative_name = models.CharField(_("legal representative"), max_length=120)
    representative_position = models.CharField(_("position"), max_length=120, blank=True)
    representative_gender = models.CharField(
        _("gender of the representative"), max_length=10, choices=Gender.choices, blank=True
    )
    representative_ethnicity = models.CharField(
        _("ethnicity of the representative"), max_length=60, blank=True, default="Kinh"
    )
    representative_disabled = models.BooleanField(
        _("representative is a person with a disability"), default=False
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    history = models.TextField(_("short history"), blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accounts acting for this producer"),
        blank=True,
        related_name="producers",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProducerQuerySet.as_manager()

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(registration_number=""),
                name="producer_registration_number_not_blank",
            ),
            # A place, at least a province: no producer outside every office's scope.
            models.CheckConstraint(
                condition=models.Q(commune__isnull=False) | models.Q(province__isnull=False),
                name="producer_commune_or_province",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def place_to_complete(self) -> bool:
        """Imported with only a province or district: the commune is to be completed."""
        return self.commune_id is None

    @property
    def province_unit(self):
        """The producer's province: its commune's, or the one kept while the commune is
        to be completed."""
        return self.commune.parent if self.commune_id else self.province

    @property
    def province_unit_id(self):
        """The id of `province_unit`, without loading the province."""
        return self.commune.parent_id if self.commune_id else self.province_id

    @property
    def representative_scores_inclusion_point(self) -> bool:
        """The sheets give a point when the representative is a woman, of an ethnic
        minority or (Decision 26/2026) a person with a disability."""
        minority = bool(self.representative_ethnicity) and self.representative_ethnicity != "Kinh"
        female = self.representative_gender == self.Gender.FEMALE
        return female or minority or self.representative_disabled
