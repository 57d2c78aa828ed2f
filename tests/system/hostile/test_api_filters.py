"""Hostile values (hypothesis) in every filter and query parameter of the open-data API:
the answer is 200, or 400 with a JSON message per field in words (404 for a page or a
format that does not exist), never a 500."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from opendata import views
from tests.system.hostile.checks import (
    no_error_logged,
    one_example,
    refused_for_nul,
    says_something,
)
from tests.system.hostile.strategies import examples, hostile_params, hostile_text

pytestmark = pytest.mark.django_db

# Each list with its filters, read from the viewsets themselves: a filter added later is
# covered too. Paging and the format are DRF's own parameters, shared by all three.
LISTS = {
    reverse("api:product-list"): views.ProductViewSet,
    reverse("api:producer-list"): views.ProducerViewSet,
    reverse("api:certificate-list"): views.CertificateViewSet,
}
SHARED = ["page", "page_size", "format", "unknown"]
ACCEPT = ["application/json", "*/*", "text/html", "text/csv", "application/xml", ""]


def assert_json_refusal_in_words(response):
    body = response.json()
    assert body, "a refusal must say what is wrong"
    messages = body.values() if isinstance(body, dict) else [body]
    for message in messages:
        texts = message if isinstance(message, list) else [message]
        assert all(says_something(text) for text in texts), body


def assert_an_answer(response, params, accept):
    if refused_for_nul(response, params):
        return
    assert response.status_code in (200, 400, 404, 406), response.status_code
    kind = response["Content-Type"]
    if response.status_code == 404:
        # DRF's answer to ?page=abc or ?format=xml; no filter value is ever a 404.
        assert {"page", "format"} & set(params), params
    if response.status_code == 406:
        # Asked for a type the API does not speak (XML, or an empty Accept header).
        assert accept in {"application/xml", ""} or "format" in params
    if response.status_code != 200 and kind.startswith("application/json"):
        assert_json_refusal_in_words(response)
    elif response.status_code == 400 and kind.startswith("text/csv"):
        # An export refused: the CSV says which field and why.
        rows = response.content.decode("utf-8-sig").splitlines()
        assert rows[0] == "field,message" and all(says_something(r) for r in rows[1:])


@pytest.mark.parametrize("url", LISTS)
@examples(40)
@given(data=st.data())
def test_every_list_filter_answers_hostile_values_with_200_or_a_message(
    world, browser_like, url, data
):
    filters = list(LISTS[url].filterset_class.base_filters)
    params = data.draw(hostile_params(filters + SHARED), label="params")
    accept = data.draw(st.sampled_from(ACCEPT), label="accept")
    with one_example():
        response = browser_like().get(url, params, HTTP_ACCEPT=accept)
        assert_an_answer(response, params, accept)


@examples(30)
@given(
    page=st.sampled_from(["api:product-detail", "api:producer-detail", "api:certificate-detail"]),
    value=hostile_text.filter(lambda s: s and "/" not in s and s not in {".", ".."}),
)
def test_every_detail_answers_a_hostile_key_with_404_in_words(world, browser_like, page, value):
    key = {"api:product-detail": "slug", "api:producer-detail": "pk"}.get(page, "number")
    # Built by hand, not reverse(): the value need not match the route's pattern, and one
    # that does not must simply find no page.
    prefix = reverse(page, kwargs={key: "x"}).removesuffix("x/")
    with one_example():
        response = browser_like().get(
            f"{prefix}{quote(value, safe='')}/", HTTP_ACCEPT="application/json"
        )
        if refused_for_nul(response, value):
            return
        assert response.status_code in (200, 404)
        if response.status_code == 404 and response["Content-Type"].startswith("application/json"):
            assert_json_refusal_in_words(response)


@examples(20)
@given(
    url=st.sampled_from(["/api/", "/api/docs/", "/api/schema/"]),
    params=hostile_params(["format", "lang", "page", "q"]),
)
def test_the_root_docs_and_schema_take_hostile_parameters_without_a_crash(
    world, browser_like, url, params
):
    with one_example():
        response = browser_like().get(url, params)
        assert refused_for_nul(response, params) or response.status_code in (200, 400, 404, 406)


def test_a_producer_id_past_64_bits_is_a_400_that_says_why(world, browser_like):
    # Compared with the foreign key, such an id made SQLite's driver raise OverflowError.
    with no_error_logged():
        response = browser_like().get(reverse("api:product-list"), {"producer": "9" * 20})
    assert response.status_code == 400
    assert_json_refusal_in_words(response)
    assert set(response.json()) == {"producer"}
