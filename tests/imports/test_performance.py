"""A 2,000-row file previews in the queries of a 200-row one, and imports whole.

No clock: what makes an import slow is work that grows with the rows (a query per row
in the preview, rows written one by one where they could go in bulk), so the tests
count queries, and rows written, at two sizes. Seconds would measure the machine.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports import checked
from imports.apply import confirm
from imports.models import ImportBatch
from imports.preview import preview_file
from registry.models import AdministrativeUnit, Product
from tests.factories import ProducerFactory
from tests.imports.rows import csv_bytes, good_row, upload_file

pytestmark = pytest.mark.django_db

ROWS = 2000
FEW = 200


@pytest.fixture(scope="module")
def big_file(module_db):
    """2,000 good rows across Hanoi's communes; the registry already has the producers of
    a tenth of them, under an older name. Built once for the module."""
    communes = list(
        AdministrativeUnit.objects.filter(level="commune", parent__code="01").values_list(
            "code", flat=True
        )
    )
    rows = [
        good_row(commune_code=communes[i % len(communes)], district_code=None) for i in range(ROWS)
    ]
    for row in rows[::10]:
        ProducerFactory(registration_number=row["registration_number"], name="Tên cũ")
    return rows


def preview_queries(rows, scope):
    with CaptureQueriesContext(connection) as queries:
        result = preview_file(csv_bytes(rows), f"{len(rows)}.csv", scope)
    return result, len(queries)


def test_two_thousand_rows_preview_in_the_queries_of_two_hundred(big_file, hanoi_scope):
    rows = big_file
    _few, few_queries = preview_queries(rows[:FEW], hanoi_scope)
    result, queries = preview_queries(rows, hanoi_scope)

    assert result.plan.is_clean, result.plan.bad_rows[:3]
    counts = result.plan.counts
    assert counts["rows"] == counts["create"] == counts["products_created"] == ROWS
    assert counts["producers_updated"] == ROWS // 10
    assert counts["producers_created"] == ROWS - ROWS // 10
    # (two of them the savepoint imports.checked.check takes inside a transaction, as a
    # test's: a request has none)
    assert queries == few_queries <= 12


@pytest.mark.slow  # ~7 s: 2,000 products saved one by one
def test_two_thousand_rows_import_whole_in_at_most_three_queries_a_row(
    big_file, hanoi_scope, people
):
    rows = big_file
    result, _queries = preview_queries(rows, hanoi_scope)
    with CaptureQueriesContext(connection) as queries:
        batch = confirm(
            result.sheet.rows,
            scope=hanoi_scope,
            user=people["city_office"],
            file_name="2000.csv",
            sha256=result.sha256,
            expected_fingerprint=result.plan.fingerprint,
        )
    assert batch.products_created == ROWS and ImportBatch.objects.count() == 1
    assert batch.producers_created == ROWS - ROWS // 10
    assert batch.producers_updated == ROWS // 10
    assert Product.objects.filter(certified_until__isnull=False).count() >= ROWS
    # Products are saved one by one (each gets its slug and search text) and the updated
    # producers re-index theirs; new producers, certificates and their history rows go in
    # bulk (about 2.3 queries a row in all): one more query a row would go over.
    assert len(queries) <= 3 * ROWS, len(queries)


def test_the_preview_page_of_two_thousand_rows_renders_in_the_queries_of_two_hundred(
    big_file, as_user, people, import_url, monkeypatch
):
    """Checked in the request at both sizes (a file this big is otherwise checked by a
    job: tests/imports/test_preview_job.py reads its pages in constant queries)."""
    monkeypatch.setattr(checked, "INLINE_ROWS", ROWS)
    rows = big_file
    client = as_user(people["city_office"])
    client.get(import_url)  # the menu's to-do count, kept from here on
    pages = {}
    for size in (FEW, ROWS):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(import_url, {"file": upload_file(csv_bytes(rows[:size]))})
        assert response.status_code == 200
        # The checked rows are kept in bulk inserts (SQLite: about 200 rows each); every
        # other query is the same at both sizes.
        inserts = [q for q in queries if q["sql"].startswith("INSERT")]
        assert len(inserts) <= 2 + size // 100
        pages[size] = (response.content.decode(), len(queries) - len(inserts))
    assert f"{ROWS:,} rows processed" in pages[ROWS][0]
    assert pages[ROWS][1] == pages[FEW][1]
