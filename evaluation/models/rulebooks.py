"""Legal documents and their scoring sheets, loaded from evaluation/rulebooks/*.json.

Rows are written only by evaluation.loading after validation; nothing in the
application edits a criterion or an option by hand.
"""

from decimal import Decimal
from functools import cached_property

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from evaluation import deadlines, rules


class Level(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province / city")
    CENTRAL = "central", _("Central")


class RulebookQuerySet(models.QuerySet):
    def governing(self, day):
        """The rulebook whose rules apply to something done on `day`: see `governing()`."""
        return governing(list(self), day)


def governing(rulebooks, day):
    """The newest rulebook in effect from `day` or earlier, or, for a day before every
    rulebook held (a certificate of Decision 1048's time, imported from a list), the oldest
    one: the earliest rules held are the closest to what applied then. None when no
    rulebook is loaded."""
    if not rulebooks:
        return None
    by_start = sorted(rulebooks, key=lambda r: (r.effective_from, r.pk or 0))
    started = [r for r in by_start if r.effective_from <= day]
    return started[-1] if started else by_start[0]


class Rulebook(models.Model):
    """A decision's rules as data (rulebook.json): tier bands, levels and who recognises
    which star, the certificate's term and re-evaluation window. No default here: every
    number comes from the decision's file, with its source."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    number = models.CharField(_("number"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    signed_on = models.DateField(_("signed on"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    source = models.JSONField(_("source"), default=dict)
    tier_bands = models.JSONField(_("tier bands"))
    levels = models.JSONField(_("evaluation levels"))
    certified_min_stars = models.PositiveSmallIntegerField(_("lowest certified star"))
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)")
    )
    renewal_opens_days = models.PositiveSmallIntegerField(
        _("re-evaluation opens (days before expiry)")
    )
    renewal_closes_days = models.PositiveSmallIntegerField(
        _("re-evaluation closes (days before expiry)")
    )
    renewal_source = models.JSONField(_("re-evaluation window: source"), default=dict)
    # Statutory time limits, each with its article and words (evaluation.deadlines).
    time_limits = models.JSONField(_("time limits"), default=dict)
    round_schedule = models.JSONField(_("evaluation rounds a year"), default=dict)
    transition = models.JSONField(
        _("transitional clause"),
        null=True,
        blank=True,
        help_text=_("How dossiers of the decision this one replaces finish."),
    )

    objects = RulebookQuerySet.as_manager()

    class Meta:
        verbose_name = _("rulebook")
        verbose_name_plural = _("rulebooks")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="rulebook_effective_range",
            ),
            models.CheckConstraint(
                condition=models.Q(renewal_opens_days__gt=models.F("renewal_closes_days")),
                name="rulebook_renewal_window_order",
            ),
        ]

    def __str__(self):
        return f"{self.number}"

    @property
    def bands(self) -> list[rules.TierBand]:
        return [rules.TierBand(b["stars"], Decimal(str(b["min_score"]))) for b in self.tier_bands]

    @cached_property
    def timing(self) -> deadlines.Timing:
        """The time limits as evaluation.deadlines reads them (checked when loaded). A row
        written before limits were data, and not loaded since, has none."""
        if not self.time_limits:
            return deadlines.Timing({}, {}, None)
        return deadlines.parse_timing(
            {
                "effective_from": self.effective_from.isoformat(),
                "time_limits": self.time_limits,
                "rounds": self.round_schedule,
                "transition": self.transition,
                "renewal_window": self.renewal_source,
            }
        )

    def level(self, code: str) -> dict | None:
        return next((lv for lv in self.levels if lv["code"] == code), None)

    def recognising_level(self, stars: int) -> str | None:
        """The level whose office recognises `stars` (Decision 148: district 3★, province 4★,
        central 5★; 26/2026: province 3★ and 4★, central 5★), or None."""
        return next((lv["code"] for lv in self.levels if stars in lv.get("recognises", [])), None)

    def revoking_level(self, stars: int) -> str | None:
        """The level whose authority revokes a `stars` certificate under this rulebook: its
        `revokes` list (26/2026, Điều 8 khoản 2: the province 3★ and 4★, the ministry 5★),
        or, where the file states none (148, whose text is not at hand), the level that
        recognises that star."""
        for lv in self.levels:
            if stars in lv.get("revokes", []):
                return lv["code"]
        if any("revokes" in lv for lv in self.levels):
            return None
        return self.recognising_level(stars)

    def level_name(self, code: str) -> str:
        level = self.level(code) or {}
        if get_language() == "en":
            return level.get("name_en") or code
        return level.get("name") or code


class Sheet(models.Model):
    """One product set's scoring sheet under one rulebook."""

    rulebook = models.ForeignKey(
        Rulebook, verbose_name=_("rulebook"), on_delete=models.CASCADE, related_name="sheets"
    )
    product_set = models.ForeignKey(
        "registry.ProductSet",
        verbose_name=_("product set"),
        on_delete=models.PROTECT,
        related_name="sheets",
    )
    title = models.CharField(_("title"), max_length=300)
    source = models.JSONField(_("source"), default=dict)
    secondary_source = models.BooleanField(_("transcribed from a secondary source"), default=False)
    rejection_clauses = models.JSONField(_("outright-rejection clauses"), default=list)
    known_discrepancies = models.JSONField(_("known discrepancies"), default=list)
    content_hash = models.CharField(max_length=64, editable=False)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("scoring sheet")
        verbose_name_plural = _("scoring sheets")
        ordering = ["rulebook", "product_set__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["rulebook", "product_set"], name="sheet_one_per_set_per_rulebook"
            )
        ]

    def __str__(self):
        return f"{self.rulebook.number} — {self.title}"


class SheetPart(models.Model):
    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="parts")
    code = models.CharField(max_length=4)
    title = models.CharField(max_length=300)
    max_points = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="part_code_unique_per_sheet")
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"


class SheetSection(models.Model):
    part = models.ForeignKey(SheetPart, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=10)
    title = models.CharField(max_length=300)
    max_points = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Criterion(models.Model):
    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="criteria")
    section = models.ForeignKey(SheetSection, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(max_length=16)
    where = models.CharField(max_length=32, help_text=_("Path in the sheet, e.g. A.1.1"))
    title = models.CharField(max_length=500)
    guidance = models.TextField(blank=True)
    group_title = models.CharField(max_length=300, blank=True)
    max_points = models.PositiveSmallIntegerField()
    star_marker = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "where"], name="criterion_unique_per_sheet")
        ]

    def __str__(self):
        return f'{self.where} "{self.title}"'


class Option(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="options")
    text = models.TextField()
    points = models.PositiveSmallIntegerField()
    min_star = models.PositiveSmallIntegerField(null=True, blank=True)
    case = models.CharField(max_length=120, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_star__isnull=True) | models.Q(min_star__in=[3, 4, 5]),
                name="option_min_star_3_to_5",
            )
        ]

    def __str__(self):
        return self.text


class EliminationNote(models.Model):
    """A stop or elimination note printed on a criterion ("Bị loại nếu …", "… sẽ không
    đánh giá các bước tiếp theo"): members flag it on their cards, and a majority leaves
    the product unrated (evaluation.rules)."""

    class Effect(models.TextChoices):
        STOP = rules.NoteEffect.STOP.value, _("Stops the evaluation")
        ELIMINATE = rules.NoteEffect.ELIMINATE.value, _("Eliminates the product")

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="eliminations")
    text = models.TextField(_("printed wording"))
    effect = models.CharField(_("effect"), max_length=10, choices=Effect.choices)
    place = models.CharField(
        _("where printed"),
        max_length=20,
        help_text=_(
            "note_row: its own row after the options; option_cell: inside the last option's cell"
        ),
    )
    line = models.PositiveIntegerField(_("line in the reference text"), null=True, blank=True)
    zero_points_on = models.JSONField(
        _("applies by itself to a 0 on"),
        default=list,
        blank=True,
        help_text=_("Criteria (their paths, e.g. C.6.1) on which a 0-point tick flags the note."),
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("stop or elimination note")
        verbose_name_plural = _("stop or elimination notes")
        ordering = ["criterion__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "position"], name="elimination_note_unique_per_criterion"
            )
        ]

    def __str__(self):
        return self.text
