"""The catalogue's filter set copies its filters and form fields shallowly
(catalogue/filters.py): one request's form must still never reach the next."""

import pytest
from django.http import QueryDict

from catalogue.filters import CatalogueFilter
from registry.models import Product

pytestmark = pytest.mark.django_db


def filterset(query):
    return CatalogueFilter(QueryDict(query), queryset=Product.objects.all())


def test_a_widget_changed_in_one_form_is_not_changed_in_the_next():
    first = filterset("stars=9")
    first.is_valid()
    # What crispy did to an invalid field's widget, and any view might do.
    first.form.fields["stars"].widget.attrs["class"] = "is-invalid"
    first.form.fields["stars"].label = "changed"
    first.form.fields["stars"].error_messages["invalid_choice"] = "changed"
    second = filterset("stars=4")
    assert "class" not in second.form.fields["stars"].widget.attrs
    assert second.form.fields["stars"].label != "changed"
    assert second.form.fields["stars"].error_messages["invalid_choice"] != "changed"


def test_each_filter_set_has_its_own_filters_bound_to_itself():
    first, second = filterset("q=tra"), filterset("q=gao")
    assert first.filters["q"] is not second.filters["q"]
    assert first.filters["q"].parent is first and second.filters["q"].parent is second
    # The search is a `method=` filter: it reaches its own filter set's method.
    assert first.filters["q"].filter.f is first.filters["q"]
    # The communes listed follow each request's province, not the last one's.
    with_province = CatalogueFilter(QueryDict("province=1"), queryset=Product.objects.all())
    assert "parent_id" in str(with_province.filters["commune"].queryset.query)
    assert not filterset("").filters["commune"].queryset.exists()
