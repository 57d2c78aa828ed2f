"""Every list of the API runs the same queries for 60 public products as for 5.

The products (one in five producers, half with a photo, every seventh with a two-star
sibling that is never public) are built once for the module (`module_db`): each list's
queries are counted with 5 products, then 55 more are added and every test counts its
list's queries again.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from registry.models import Product, ProductPhoto
from tests.factories import ProducerFactory, ProductFactory, image_upload

pytestmark = pytest.mark.django_db
URLS = ["/api/products/", "/api/certificates/", "/api/producers/"]
PARAMS = {
    "plain": {},
    "filtered": {"q": "san pham", "stars": "4", "province": "01"},
    "csv": {"format": "csv"},
}


def _make_products(count):
    producers = [ProducerFactory() for _ in range(max(1, count // 5))]
    for n in range(count):
        product = ProductFactory(producer=producers[n % len(producers)], stars=3 + n % 3)
        if n % 2 == 0:
            ProductPhoto.objects.create(product=product, image=image_upload(size=(64, 48)))
        if n % 7 == 0:
            ProductFactory(producer=product.producer, stars=2)  # never public


def _params(url, params):
    if url != "/api/products/":
        params = {k: v for k, v in params.items() if k == "format"}
    if url == "/api/certificates/":
        params = {**params, "state": "valid"}
    return params


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, _params(url, params))
        assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.fixture(scope="module")
def queries_at_5(module_db):
    """Each list's queries with 5 public products; then there are 60."""
    client = Client()
    _make_products(5)
    counts = {
        (url, name): _queries(client, url, params)
        for url in URLS
        for name, params in PARAMS.items()
    }
    _make_products(55)
    return counts


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("params", list(PARAMS), ids=list(PARAMS))
def test_query_count_does_not_grow_with_products(client, queries_at_5, url, params):
    small = queries_at_5[url, params]
    assert Product.objects.public().count() == 60
    assert _queries(client, url, PARAMS[params]) == small
    assert small <= 6
