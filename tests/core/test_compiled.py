"""core/compiled.py: a query's SQL made once by the ORM, run again with other values,
gives what the ORM gives; and refuses what it could not hand over faithfully."""

import pytest
from django.db.models import F, Value
from django.db.models.functions import Concat

from core.compiled import Compiled
from registry.models import Product
from tests.factories import new_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def products():
    return [new_product(name=f"Chè Tân Cương {n}", slug=f"che-tan-cuong-{n}") for n in range(5)]


def test_rows_are_the_orms_for_each_list_of_ids(products):
    by_ids = Compiled(
        lambda ids: Product.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "name"),
        shape=lambda ids: (len(ids),),
    )
    ids = [p.pk for p in products]
    for chosen in (ids[:1], ids[1:3], ids[::2], ids[3:], [ids[0], -1]):
        expected = list(
            Product.objects.filter(pk__in=chosen).order_by("pk").values_list("pk", "name")
        )
        assert by_ids.rows(chosen) == expected
    # Lists of 1, 2 and 3 ids: three statements made; the same length again makes none.
    assert len(by_ids._made) == 3
    by_ids.rows(ids[2:4])
    assert len(by_ids._made) == 3


def test_a_string_value_and_a_fixed_value(products):
    one = Compiled(
        lambda slug, stars: Product.objects.filter(slug=slug, stars__gte=stars).values_list(
            "pk", "slug"
        )
    )
    product = products[2]
    Product.objects.filter(pk=product.pk).update(stars=4)
    assert one.rows(product.slug, fixed=(3,)) == [(product.pk, product.slug)]
    assert one.rows(product.slug, fixed=(5,)) == []  # another fixed value: another SQL
    assert one.rows("no-such-product", fixed=(3,)) == []
    # A hostile value is a value: it is a parameter of the statement, never SQL.
    assert one.rows("x' OR '1'='1", fixed=(3,)) == []


def test_it_refuses_a_column_the_orm_would_convert(products):
    # JSONField values are decoded by the ORM (from_db_value): handing the raw text over
    # would give callers a string where they expect a dict.
    from notifications.models import Notification

    refused = Compiled(lambda pk: Notification.objects.filter(pk=pk).values_list("params"))
    with pytest.raises(ValueError, match="convert"):
        refused.rows(1)


def test_it_refuses_a_placeholder_it_cannot_find_again(products):
    # The ORM folds the value into another (here into an expression's text): the place of
    # the request's value among the parameters is unknown, so no SQL is made.
    folded = Compiled(
        lambda name: Product.objects.annotate(
            label=Concat(F("name"), Value(name.upper()))
        ).values_list("pk", "label")
    )
    with pytest.raises(ValueError, match="placeholder"):
        folded.rows("abc")


def test_only_ints_and_strings_are_values(products):
    with pytest.raises(TypeError):
        Compiled(lambda flag: Product.objects.filter(is_published=flag).values_list("pk")).rows(
            True
        )


def test_on_postgresql_it_is_prepared_once_per_connection(products):
    """Planning the cards' query cost more than running it: the made SQL is prepared
    and only executed afterwards (core/prepared.py); the rows are the ORM's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    by_ids = Compiled(
        lambda ids: Product.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "name"),
        shape=lambda ids: (len(ids),),
    )
    ids = [p.pk for p in products]
    with CaptureQueriesContext(connection) as ran:
        assert by_ids.rows(ids[:2]) == [(p.pk, p.name) for p in products[:2]]
        assert by_ids.rows(ids[2:4]) == [(p.pk, p.name) for p in products[2:4]]
    assert len(ran) == 2
    if connection.vendor != "postgresql":
        assert all(q["sql"].startswith("SELECT") for q in ran.captured_queries)
        return
    (name,) = {q["sql"].split("(")[0] for q in ran.captured_queries}
    assert name.startswith("EXECUTE ocop_compiled_")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE name = %s",
            [name.removeprefix("EXECUTE ").lower()],
        )
        assert cursor.fetchone() == (1,)
