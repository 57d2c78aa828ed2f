"""2,000 rows preview in a few seconds, in a fixed number of queries."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.apply import confirm
from imports.models import ImportBatch
from imports.preview import preview_file
from registry.models import AdministrativeUnit, Product
from tests.factories import ProducerFactory
from tests.imports.rows import csv_bytes, good_row, upload_file

pytestmark = pytest.mark.django_db

ROWS = 2000


def big_file():
    communes = list(
        AdministrativeUnit.objects.filter(level="commune", parent__code="01").values_list(
            "code", flat=True
        )
    )
    rows = [
        good_row(commune_code=communes[i % len(communes)], district_code=None) for i in range(ROWS)
    ]
    # a tenth of the rows are for producers the registry already has, under an older name
    for row in rows[::10]:
        ProducerFactory(registration_number=row["registration_number"], name="Tên cũ")
    return rows


def test_two_thousand_rows_preview_fast_in_constant_queries(hanoi_scope, people, record_property):
    rows = big_file()
    data = csv_bytes(rows)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = preview_file(data, "2000.csv", hanoi_scope)
        seconds = time.perf_counter() - started
    record_property("preview_seconds", round(seconds, 2))
    print(f"\n2,000-row preview: {seconds:.2f} s, {len(queries)} queries")
    assert result.plan.is_clean, result.plan.bad_rows[:3]
    counts = result.plan.counts
    assert counts["rows"] == counts["create"] == counts["products_created"] == ROWS
    assert counts["producers_updated"] == ROWS // 10
    assert counts["producers_created"] == ROWS - ROWS // 10
    assert len(queries) <= 10
    assert seconds < 5

    started = time.perf_counter()
    batch = confirm(
        result.sheet.rows,
        scope=hanoi_scope,
        user=people["city_office"],
        file_name="2000.csv",
        sha256=result.sha256,
        expected_fingerprint=result.plan.fingerprint,
    )
    seconds = time.perf_counter() - started
    print(f"2,000-row confirm: {seconds:.2f} s")
    assert batch.products_created == ROWS and ImportBatch.objects.count() == 1
    assert Product.objects.filter(certified_until__isnull=False).count() >= ROWS


def test_the_preview_page_of_two_thousand_rows_renders(as_user, people, import_url):
    rows = big_file()
    client = as_user(people["city_office"])
    started = time.perf_counter()
    response = client.post(import_url, {"file": upload_file(csv_bytes(rows))})
    seconds = time.perf_counter() - started
    print(f"\n2,000-row preview page (upload, check, render): {seconds:.2f} s")
    assert response.status_code == 200
    assert "2,000 rows processed" in response.content.decode()
    assert seconds < 10
