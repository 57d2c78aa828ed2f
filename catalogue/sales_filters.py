"""The sales points' filter: a province, then one of its communes (today's units)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.widgets import FastSelect
from registry.models import AdministrativeUnit, SalesPoint


def _unit_id(raw) -> int | None:
    """A unit's id as typed in an address, or None: ASCII digits of a sane length only
    ("²" passes isdigit() and 5,000 digits overflow the database's integer)."""
    raw = str(raw or "")
    if raw.isascii() and raw.isdigit() and len(raw) <= 18:
        return int(raw)
    return None


class SalesPointFilter(django_filters.FilterSet):
    """Where to buy, by place: a province (today's 34), then one of its communes. Only
    places with an open sales point are offered, so no choice leads to an empty page."""

    province = django_filters.ModelChoiceFilter(
        label=_("Province / city"),
        field_name="commune__parent",
        queryset=AdministrativeUnit.objects.provinces()
        .filter(pk__in=SalesPoint.objects.public().values("commune__parent"))
        .order_by("name"),
        empty_label=_("All provinces"),
        widget=FastSelect,
    )
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune / ward"),
        field_name="commune",
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("All communes"),
        widget=FastSelect,
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # A commune is chosen inside its province (the list stays short on a phone).
        province = _unit_id((data or {}).get("province"))
        if province is not None:
            self.filters["commune"].queryset = (
                AdministrativeUnit.objects.communes()
                .filter(parent_id=province, pk__in=SalesPoint.objects.public().values("commune"))
                .order_by("name")
            )
        else:
            # Nothing to choose yet: the empty list says why.
            self.filters["commune"].extra["empty_label"] = _("Choose a province first")
