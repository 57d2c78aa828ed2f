"""The catalogue runs the same queries for 300 products as for 10, whatever the filters.

The products (one in five producers, half with a photo) are built once for the module
(`module_db`): each filter's queries are counted at 10 products, then 290 more are added
and every test counts its filter's queries again.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.caching import forget_local
from registry.models import AdministrativeUnit, Product, ProductPhoto
from tests.factories import ProducerFactory, ProductFactory, image_upload

pytestmark = pytest.mark.django_db
URL = reverse("catalogue:catalogue")
SEARCH = {"q": "san pham"}
FILTERS = [{}, SEARCH, {"stars": "4", "sort": "stars"}, {"province": "PROVINCE"}]


def _make_products(count):
    producers = [ProducerFactory() for _ in range(max(1, count // 5))]
    for n in range(count):
        product = ProductFactory(producer=producers[n % len(producers)], stars=3 + n % 3)
        if n % 2 == 0:
            ProductPhoto.objects.create(product=product, image=image_upload(size=(64, 48)))


def _queries(client, params, kept=False):
    if not kept:
        cache.clear()  # measure the uncached request: counts and figures are cached
        forget_local()  # and what this process keeps (core/caching.py)
    hanoi = AdministrativeUnit.objects.get(level="province", code="01")
    params = {k: (hanoi.pk if v == "PROVINCE" else v) for k, v in params.items()}
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture(scope="module")
def queries_at_10(module_db):
    """Each filter's queries with 10 products; then the catalogue grows to 300."""
    client = Client()
    _make_products(10)
    counts = [_queries(client, params) for params in FILTERS]
    # A search's second visitor: its ranks' sizes and how to read them are kept.
    _queries(client, SEARCH)
    counts.append(_queries(client, {**SEARCH, "page": 1}, kept=True))
    _make_products(290)
    return counts


@pytest.mark.parametrize("params", FILTERS)
def test_query_count_does_not_grow_with_products(client, queries_at_10, params):
    small = queries_at_10[FILTERS.index(params)]
    assert Product.objects.count() == 300
    if params is SEARCH:
        # Every product matches: 10 are read through the full-text index, 300 by walking
        # the name index (core/pagination.RankedPaginator), which first finds where the
        # walk must stop: one query more, once per version of the list (and one more
        # again, once, were the page not found by then).
        assert _queries(client, params) == small + 1
        # Kept, the search's next visitor runs the same queries at either size.
        assert _queries(client, {**SEARCH, "page": 1}, kept=True) == queries_at_10[-1]
    else:
        assert _queries(client, params) == small
    # Of which one reads the public data version (core/page_cache.py) and one the LISTS
    # version the facets' choice lists are kept under: with the cache emptied, as here, the
    # lists are read too; once kept (catalogue/facets.py), four or five fewer.
    assert small <= 12
