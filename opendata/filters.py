"""The API's filters: the catalogue's facets, by official codes instead of database ids.

Codes (province "01", product set 6, group "1") are the same in every copy of the
registry and in the government's own lists, so a client can filter without first
looking ids up. Search and sorting are the catalogue's own queryset methods.
"""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluation import verification
from evaluation.models import Certificate
from evaluation.validity import State
from registry.models import Producer, Product
from registry.querysets import SORTS

STAR_CHOICES = [(5, "5"), (4, "4"), (3, "3")]


class PlaceFilters(django_filters.FilterSet):
    """Province, district (before July 2025) and commune by official code."""

    province = django_filters.CharFilter(
        field_name="commune__parent__code", help_text=_("Official province code, e.g. 01.")
    )
    district = django_filters.CharFilter(
        field_name="district__code",
        help_text=_("Official code of the district of before July 2025, e.g. 274."),
    )
    commune = django_filters.CharFilter(
        field_name="commune__code", help_text=_("Official commune / ward code.")
    )


class ProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        help_text=_(
            "Words of the product, producer or place; accents and case are ignored "
            "(`hoai duc` finds Hoài Đức). Matches of the query as typed rank first."
        ),
    )
    stars = django_filters.ChoiceFilter(choices=STAR_CHOICES, help_text=_("3, 4 or 5."))
    group = django_filters.CharFilter(
        field_name="product_set__group__code", help_text=_("Product group code.")
    )
    product_set = django_filters.NumberFilter(
        field_name="product_set__number", help_text=_("Product set number (1 to 26).")
    )
    province = django_filters.CharFilter(
        field_name="producer__commune__parent__code",
        help_text=_("Official province code, e.g. 01."),
    )
    district = django_filters.CharFilter(
        field_name="producer__district__code",
        help_text=_("Official code of the district of before July 2025, e.g. 274."),
    )
    commune = django_filters.CharFilter(
        field_name="producer__commune__code", help_text=_("Official commune / ward code.")
    )
    # At most the largest 64-bit id: a larger one compared with the foreign key makes
    # SQLite's driver raise OverflowError (a 500) instead of finding nothing.
    producer = django_filters.NumberFilter(
        field_name="producer_id", help_text=_("Producer id."), max_value=2**63 - 1
    )
    sort = django_filters.ChoiceFilter(
        choices=[(key, key) for key in SORTS],
        method="filter_nothing",
        help_text=_("name (default), stars (most first) or newest."),
    )

    class Meta:
        model = Product
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_nothing(self, queryset, name, value):
        return queryset  # ordering is applied in `qs`, after ranking

    @property
    def qs(self):
        products = super().qs  # validates the form first
        data = getattr(self.form, "cleaned_data", {})
        return products.sorted_by(data.get("sort") or "name", ranked=bool(data.get("q")))


class ProducerFilter(PlaceFilters):
    kind = django_filters.ChoiceFilter(choices=Producer.Kind.choices)

    class Meta:
        model = Producer
        fields = []


class CertificateFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(
        method="filter_number", help_text=_("Certificate number; case and spaces are ignored.")
    )
    state = django_filters.ChoiceFilter(
        choices=[(s.value, s.value) for s in State],
        method="filter_state",
        help_text=_(
            "valid, expiring (re-evaluation window open), extended (in force past expiry while "
            "re-evaluated), expired, revoked or superseded."
        ),
    )
    stars = django_filters.ChoiceFilter(choices=STAR_CHOICES, help_text=_("3, 4 or 5."))
    product = django_filters.CharFilter(field_name="product__slug", help_text=_("Product slug."))

    class Meta:
        model = Certificate
        fields = []

    def filter_number(self, queryset, name, value):
        # The public check's one reading of a typed number (evaluation/verification.py).
        if verification.number_too_long(value):
            return queryset.none()
        return queryset.filter(number=verification.normalise_number(value))

    def filter_state(self, queryset, name, value):
        return queryset.in_state(State(value), timezone.localdate())
