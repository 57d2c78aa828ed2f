"""A chosen facet is checked against the facet's kept options (catalogue/filters.py
KeptModelChoiceField), not by a query each: it accepts exactly what Django's
ModelChoiceField accepted, for every kind of value a hand-edited address carries, and
a group or place added since the options were kept is accepted at once."""

import pytest
from django import forms
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.filters import CatalogueFilter
from core.caching import forget_local
from registry.models import AdministrativeUnit, ProductGroup, ProductSet
from tests.factories import ProducerFactory, ProductFactory, commune, district, province

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:catalogue")
FACETS = ("group", "product_set", "province", "district", "commune")


@pytest.fixture(autouse=True)
def fresh(settings):
    settings.PUBLIC_PAGE_SECONDS = 0  # every request rendered
    cache.clear()
    forget_local()
    ProductFactory(producer=ProducerFactory(district=district("274")), stars=4)


def _plain_answer(name, value, data):
    """What Django's own ModelChoiceField says of this value, with the same queryset."""
    filterset = CatalogueFilter(data, queryset=_products())
    kept = filterset.form.fields[name]
    plain = forms.ModelChoiceField(queryset=kept.queryset, required=False)
    try:
        found = plain.clean(value)
    except forms.ValidationError:
        return "invalid"
    return None if found is None else found.pk


def _kept_answer(name, data):
    filterset = CatalogueFilter(data, queryset=_products())
    if not filterset.is_valid():
        assert name in filterset.form.errors, filterset.form.errors
        return "invalid"
    found = filterset.form.cleaned_data[name]
    return None if found is None else found.pk


def _products():
    from registry.models import Product

    return Product.objects.public()


def _values(name):
    valid = {
        "group": lambda: ProductGroup.objects.order_by("pk").first().pk,
        "product_set": lambda: ProductSet.objects.order_by("pk").first().pk,
        "province": lambda: province("01").pk,
        "district": lambda: district("274").pk,  # a district a producer names
        "commune": lambda: commune().pk,  # inside the chosen province (01)
    }[name]()
    unlisted = {
        "group": 10**6,
        "product_set": 10**6,
        "province": district("274").pk,  # a district is no province
        "district": district("282").pk,  # no producer names Mỹ Đức
        "commune": commune("Phường Sài Gòn", province="79").pk,  # another province's
    }[name]
    return [
        str(valid),
        f"0{valid}",
        f" {valid} ",
        f"{valid}.0",
        f"+{valid}",
        str(unlisted),
        "abc",
        "²",
        "9" * 40,
        "-1",
        "",
        "1\x00",
    ]


@pytest.mark.parametrize("name", FACETS)
def test_it_accepts_exactly_what_modelchoicefield_accepted(name):
    for value in _values(name):
        data = QueryDict(mutable=True)
        data["province"] = str(province("01").pk)
        data[name] = value
        assert _kept_answer(name, data) == _plain_answer(name, value, data), repr(value)


def test_a_filtered_list_reads_no_chosen_object(client):
    group = ProductGroup.objects.order_by("pk").first()
    params = {"stars": "4", "group": group.pk, "province": province("01").pk}
    client.get(URL, params)  # the facets' options are kept
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {**params, "x": "1"})
    assert response.status_code == 200
    looked_up = [
        q["sql"]
        for q in queries.captured_queries
        if any(
            f'FROM "{table}"' in q["sql"]
            for table in (
                "registry_productgroup",
                "registry_productset",
                "registry_administrativeunit",
            )
        )
        and 'WHERE "' in q["sql"].split(" FROM ", 1)[1][:80]
    ]
    assert looked_up == []
    assert len(response.context["page"].object_list) == 1
    assert f'<option value="{group.pk}" selected>' in response.content.decode()


def test_a_group_added_after_the_options_were_kept_is_accepted_at_once(client):
    client.get(URL, {"stars": "4"})  # options kept
    added = ProductGroup.objects.create(code="9", name="Nhóm mới")
    response = client.get(URL, {"group": added.pk})
    assert not response.context["filter"].form.errors
    assert f'<option value="{added.pk}" selected>Nhóm mới</option>' in response.content.decode()


def test_an_unknown_choice_is_said_in_words_and_every_product_shown(client):
    response = client.get(URL, {"group": "999999"})
    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    assert list(errors) == ["group"]
    assert len(response.context["page"].object_list) == 1
    assert AdministrativeUnit.objects.exists()
