"""Hostile values (hypothesis) in every filter of the officials' lists and their exports:
a page (200) that names what it left out, or for an export a 400 that says why, never a
500; and never anything outside the user's scope."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.system.hostile.checks import one_example, refused_for_nul, says_something
from tests.system.hostile.strategies import examples, hostile_params

pytestmark = pytest.mark.django_db

FILTERS = ["q", "trang-thai", "sao", "don-vi", "dot", "han", "sap-xep", "page", "xuat"]
LISTS = ["evaluation:dossiers", "evaluation:certificates", "evaluation:todo"]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("who", ["inspector", "owner", "admin"])
@examples(25)
@given(data=st.data())
def test_every_list_filter_answers_hostile_values_with_a_page_or_a_400_in_words(
    world, browser_like, name, who, data
):
    params = data.draw(hostile_params(FILTERS), label="params")
    with one_example():
        response = browser_like(world[who]).get(reverse(name), params)
        if refused_for_nul(response, params):
            return
        assert response.status_code in (200, 400), response.status_code
        if response.status_code == 400:
            # Only an export refuses: it says which value it did not know.
            assert "xuat" in params
            assert says_something(response.content.decode())
        elif response.get("Content-Type", "").startswith("text/html"):
            assert "<html" in response.content.decode()


def test_a_far_inspector_filtering_on_a_unit_of_another_province_gets_nothing_of_it(
    world, browser_like
):
    unit = world["certificate"].unit_id
    client = browser_like(world["far_inspector"])
    response = client.get(reverse("evaluation:certificates"), {"don-vi": unit})
    assert response.status_code == 200
    assert response.context["rows"] == []
    exported = client.get(reverse("evaluation:certificates"), {"don-vi": unit, "xuat": "csv"})
    # A unit outside the list is not one of its filters: refused, not a file of another
    # province's certificates.
    assert exported.status_code == 400
