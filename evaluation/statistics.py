"""Programme figures, each one aggregate query whatever the number of products.

Public figures count products whose certificate is in force today
(Product.objects.public()); officials also see the pipeline and expiring
certificates.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from evaluation.models import Certificate, Dossier, Rulebook, Target
from registry.models import Product

OPEN = ["submitted", "checked", "scoring", "result"]


@dataclass
class Table:
    key: str
    title: str
    rows: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(n for _label, n in self.rows)

    @property
    def peak(self) -> int:
        return max((n for _label, n in self.rows), default=0) or 1


def _rows(queryset, label_field, order="-n"):
    return [
        (str(label) if label is not None else "—", n)
        for label, n in queryset.values_list(label_field)
        .annotate(n=Count("pk"))
        .order_by(order)
        .values_list(label_field, "n")
    ]


def _group_rows(products):
    """Products by group, named in the reader's language: the groups' English names are
    data (Appendix I, registry/data), like ProductGroup.display_name."""
    english = get_language() == "en"
    rows = (
        products.values_list("product_set__group__name", "product_set__group__name_en")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("product_set__group__name", "product_set__group__name_en", "n")
    )
    return [((name_en if english and name_en else name) or "—", n) for name, name_en, n in rows]


def month_label(year: int, month: int) -> str:
    """03/2027 in Vietnamese (as offices write it); the month's name in English."""
    if get_language() == "en":
        return formats.date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")
    return f"{month:02d}/{year}"


def public_tables(today=None) -> list[Table]:
    today = today or timezone.localdate()
    products = Product.objects.public(today)
    return [
        Table(
            "stars",
            _("Certified products by stars"),
            [
                (f"{s} ★", n)
                for s, n in products.values_list("stars")
                .annotate(n=Count("pk"))
                .order_by("-stars")
                .values_list("stars", "n")
            ],
        ),
        Table(
            "provinces", _("By province / city"), _rows(products, "producer__commune__parent__name")
        ),
        Table(
            "districts",
            _("By district (before July 2025)"),
            _rows(products.filter(producer__district__isnull=False), "producer__district__name"),
        ),
        Table("groups", _("By product group"), _group_rows(products)),
        Table(
            "years",
            _("By year of certification"),
            [
                (str(y), n)
                for y, n in Certificate.objects.current(today)
                .filter(product__in=products)
                .annotate(year=ExtractYear("issued_on"))
                .values_list("year")
                .annotate(n=Count("pk"))
                .order_by("year")
                .values_list("year", "n")
            ],
        ),
    ]


def official_tables(today=None) -> list[Table]:
    today = today or timezone.localdate()
    pipeline = Dossier.objects.filter(status__in=OPEN, forwarded_from__isnull=False).aggregate(
        province=Count("pk", filter=Q(round__level="province")),
        central=Count("pk", filter=Q(round__level="central")),
    )
    # The horizon is the re-evaluation window's opening: what may be renewed from now on.
    rulebook = Rulebook.objects.governing(today)
    horizon = rulebook.renewal_opens_days if rulebook else 0
    expiring = (
        Certificate.objects.current(today)
        .filter(expires_on__lte=today + timedelta(days=horizon))
        .annotate(year=ExtractYear("expires_on"), month=ExtractMonth("expires_on"))
        .values_list("year", "month")
        .annotate(n=Count("pk"))
        .order_by("year", "month")
    )
    return [
        Table(
            "potential",
            _("Potential upgrades under evaluation"),
            [
                (str(_("potential four-star (at the province)")), pipeline["province"]),
                (str(_("potential five-star (at the centre)")), pipeline["central"]),
            ],
        ),
        Table(
            "expiring",
            _("Certificates expiring in the next %(days)s days, by month") % {"days": horizon},
            [(month_label(year, month), n) for year, month, n in expiring],
        ),
    ]


@dataclass
class Progress:
    target: Target
    actual: Decimal

    @property
    def percent(self) -> int:
        return min(100, int(self.actual * 100 / self.target.value)) if self.target.value else 0


def progress(today=None) -> list[Progress]:
    """Every target against the figures, in one aggregate per metric scope."""
    today = today or timezone.localdate()
    results = []
    targets = list(Target.objects.select_related("unit"))
    for target in targets:
        products = Product.objects.all()
        if target.unit_id:
            products = products.filter(producer__commune__parent_id=target.unit_id)
        figures = products.aggregate(
            evaluated=Count("pk", filter=Q(certificates__isnull=False), distinct=True),
            certified=Count("pk", filter=Q(pk__in=Product.objects.public(today)), distinct=True),
            five=Count(
                "pk", filter=Q(pk__in=Product.objects.public(today).filter(stars=5)), distinct=True
            ),
        )
        if target.metric == Target.Metric.EVALUATED:
            actual = Decimal(figures["evaluated"])
        elif target.metric == Target.Metric.CERTIFIED:
            actual = Decimal(figures["certified"])
        else:
            certified = figures["certified"] or 0
            share = Decimal(figures["five"]) * 100 / certified if certified else Decimal(0)
            actual = share.quantize(Decimal("0.01"))
        results.append(Progress(target, actual))
    return results
