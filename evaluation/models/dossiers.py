from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import DocumentField, private_storage, validate_document
from evaluation import quota
from evaluation.models.rulebooks import Level


class EvaluationRound(models.Model):
    """One evaluation round of a council under a rulebook, e.g. Hoài Đức 2024 round 1."""

    name = models.CharField(_("name"), max_length=200)
    rulebook = models.ForeignKey(
        "evaluation.Rulebook",
        verbose_name=_("rulebook"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    unit = models.ForeignKey(
        "registry.AdministrativeUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="rounds",
        null=True,
        blank=True,
    )
    council = models.ForeignKey(
        "evaluation.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="round_dates_order"
            )
        ]

    def __str__(self):
        return self.name


class DossierQuerySet(models.QuerySet):
    def for_producer_user(self, user):
        return self.filter(product__producer__users=user)

    def for_council_user(self, user):
        """Dossiers of the councils the user sits on (any role, active)."""
        return self.filter(
            round__council__memberships__user=user, round__council__memberships__active=True
        ).distinct()

    def reevaluations_under_way(self):
        """Re-evaluation dossiers started and not yet decided (a draft counts: the
        producer has begun). A certificate whose product has one needs no renewal
        reminder — the to-do page and the daily scan both ask this one question."""
        S = self.model.Status
        return self.filter(kind=self.model.Kind.REEVALUATION).exclude(
            status__in=[S.NOT_RECOGNISED, S.RECOGNISED]
        )


class Dossier(models.Model):
    class Kind(models.TextChoices):
        FIRST = "first", _("First evaluation")
        UPGRADE = "upgrade", _("Upgrade")
        REEVALUATION = "reevaluation", _("Re-evaluation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for completion")
        CHECKED = "checked", _("Checked")
        SCORING = "scoring", _("Being scored")
        RESULT = "result", _("Result ready")
        RECOGNISED = "recognised", _("Recognised")
        FORWARDED = "forwarded", _("Forwarded to the next level")
        NOT_RECOGNISED = "not_recognised", _("Not recognised")

    round = models.ForeignKey(
        EvaluationRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    product = models.ForeignKey(
        "registry.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.FIRST)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    sheet = models.ForeignKey(
        "evaluation.Sheet",
        verbose_name=_("scoring sheet"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    return_reasons = models.TextField(_("reasons for return"), blank=True)
    forwarded_from = models.ForeignKey(
        "self",
        verbose_name=_("forwarded from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forwarded_to",
        help_text=_("The lower level's dossier that sent this product up."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "product"], name="dossier_once_per_product_per_round"
            )
        ]

    def __str__(self):
        return f"{self.product} — {self.round}"


class DossierDocument(models.Model):
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    # Which paper of the rulebook's list it is (evaluation.checklist: papers.json), or
    # blank for other evidence. A code, not a foreign key: the list is data in files.
    paper = models.CharField(_("paper"), max_length=40, blank=True, default="")
    file = DocumentField(
        _("file"),
        storage=private_storage,
        upload_to="dossiers/%Y/%m/",
        validators=[validate_document],
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.file and not self.file._committed and self.dossier_id:
            try:
                quota.check_room(self.dossier, self.file.size, replacing=self.pk)
            except ValidationError as refused:
                raise ValidationError({"file": refused}) from None


class DossierStatusChange(models.Model):
    """One row per status move, written only by evaluation.workflow.transition."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=15, choices=Dossier.Status.choices)
    to_status = models.CharField(max_length=15, choices=Dossier.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    decision = models.ForeignKey(
        "evaluation.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moves",
        help_text=_("The act a decision move rests on (recognition, approval, notice)."),
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"
