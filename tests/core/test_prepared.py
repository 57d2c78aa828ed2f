"""core/prepared.py: a statement prepared once per PostgreSQL connection, run as it is
elsewhere; a new connection prepares it again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import prepared
from tests.factories import new_product

pytestmark = pytest.mark.django_db

SQL = "SELECT name FROM registry_product WHERE id = %s AND name <> %s"


def run(pk):
    with connection.cursor() as cursor:
        prepared.execute(cursor, "ocop_test_name", SQL, [pk, ""])
        return cursor.fetchall()


def test_the_statement_answers_as_the_plain_one_and_is_prepared_once():
    product = new_product(name="Mật ong bạc hà")
    with CaptureQueriesContext(connection) as first:
        assert run(product.pk) == [("Mật ong bạc hà",)]
    with CaptureQueriesContext(connection) as second:
        assert run(product.pk) == [("Mật ong bạc hà",)]
        assert run(-1) == []
    # The preparation is not one of the request's statements: the same count each time.
    assert len(first) == 1 and len(second) == 2
    if connection.vendor == "postgresql":
        assert first[0]["sql"].startswith("EXECUTE ocop_test_name(")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE name = %s", ["ocop_test_name"]
            )
            assert cursor.fetchone() == (1,)
    else:
        assert first[0]["sql"].startswith("SELECT name FROM registry_product")


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_it_again():
    assert run(-1) == []
    connection.close()  # a restarted database, an expired connection: a new session
    assert run(-1) == []  # prepared again in the new session, else "does not exist"


def test_a_statement_without_parameters():
    with connection.cursor() as cursor:
        prepared.execute(cursor, "ocop_test_none", "SELECT 1 + 1", [])
        assert cursor.fetchall() == [(2,)]
