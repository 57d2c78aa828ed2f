"""Confirming: all in one transaction or nothing, once per file, checked again first."""

from datetime import date

import pytest
from django.db import IntegrityError

from evaluation.models import Certificate
from imports import apply
from imports.apply import AlreadyImported, PlanChanged, confirm
from imports.models import ImportBatch
from imports.validation import validate
from registry.models import Producer, Product
from tests.factories import ProducerFactory, certificate_of, commune
from tests.imports.rows import good_row

pytestmark = pytest.mark.django_db


def numbered(rows):
    return list(enumerate(rows, start=2))


def run(rows, scope, user, sha="a" * 64, **kw):
    return confirm(numbered(rows), scope=scope, user=user, file_name="ds.csv", sha256=sha, **kw)


def totals():
    return (
        Producer.objects.count(),
        Product.objects.count(),
        Certificate.objects.count(),
        ImportBatch.objects.count(),
    )


def test_confirm_writes_producers_products_and_certificates(people, hanoi_scope):
    a = good_row(producer_name="Hộ kinh doanh Bà Tươi Đồng Kỵ", stars="4", issuing_level=None)
    b = good_row(registration_number=a["registration_number"], producer_name=a["producer_name"])
    b["email"] = a["email"]
    batch = run([a, b], hanoi_scope, people["city_office"])

    producer = Producer.objects.get(registration_number=a["registration_number"])
    assert producer.name == "Hộ kinh doanh Bà Tươi Đồng Kỵ"
    assert producer.kind == "cooperative" and producer.commune.code == "00454"
    assert producer.district.code == "017" and producer.phone == "0912 345 678"
    products = list(producer.products.order_by("pk"))
    assert len(products) == 2
    first = products[0]
    assert first.slug and first.stars == 4
    assert certificate_of(first).number == a["certificate_number"]
    assert certificate_of(first).issued_on == date(2023, 8, 15)
    assert certificate_of(first).expires_on == date(2026, 8, 15)
    assert certificate_of(first).level == "province" and certificate_of(first).unit.code == "01"
    assert certificate_of(first).created_by == people["city_office"]
    assert certificate_of(first).history.get().history_user == people["city_office"]
    assert certificate_of(products[1]).level == "province"  # "Cấp tỉnh", as the row says
    assert certificate_of(products[1]).unit.code == "01"
    assert "ba tuoi dong ky" in first.search_text  # indexed for search through Product.save

    assert batch.user == people["city_office"] and batch.row_count == 2
    assert (batch.producers_created, batch.producers_updated) == (1, 0)
    assert (batch.products_created, batch.certificates_created) == (2, 2)
    assert batch.summary["certificate_numbers"] == [
        a["certificate_number"],
        b["certificate_number"],
    ]
    assert batch.summary["user"] == "city_office"


def test_confirm_updates_an_existing_producer(people, hanoi_scope):
    producer = ProducerFactory(name="HTX Cũ", commune=commune("Xã Đông Anh"))
    row = good_row(registration_number=producer.registration_number, producer_name="HTX Mới")
    batch = run([row], hanoi_scope, people["city_office"])
    producer.refresh_from_db()
    assert producer.name == "HTX Mới" and producer.email == row["email"]
    assert (batch.producers_created, batch.producers_updated, batch.products_created) == (0, 1, 1)
    changes = batch.summary["producers"]["updated"][0]["changes"]
    assert changes["name"] == ["HTX Cũ", "HTX Mới"]


def test_a_failure_in_the_middle_writes_nothing(people, hanoi_scope, monkeypatch):
    rows = [good_row() for _ in range(5)]
    before = totals()
    real_save, calls = Product.save, []

    def failing_save(self, *args, **kwargs):
        calls.append(self.name)
        if len(calls) == 3:  # the third product
            raise RuntimeError("disk full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Product, "save", failing_save)
    with pytest.raises(RuntimeError, match="disk full"):
        run(rows, hanoi_scope, people["city_office"])
    assert len(calls) == 3
    assert totals() == before  # no producer, product, certificate nor batch left behind
    monkeypatch.setattr(Product, "save", real_save)
    run(rows, hanoi_scope, people["city_office"])  # and the file can still be imported afterwards
    assert Product.objects.count() == before[1] + 5


def test_the_same_file_cannot_be_imported_twice(people, hanoi_scope):
    rows = [good_row()]
    first = run(rows, hanoi_scope, people["city_office"])
    before = totals()
    with pytest.raises(AlreadyImported) as error:
        run(rows, hanoi_scope, people["admin"])
    assert error.value.batch == first
    assert totals() == before


def test_two_simultaneous_confirms_leave_one_set_of_rows(people, hanoi_scope, monkeypatch):
    """Both pass the friendly pre-check at once; the unique SHA-256 stops the second."""
    rows = [good_row(), good_row()]
    run(rows, hanoi_scope, people["city_office"])
    before = totals()
    real, first_call = apply.previous_import, iter([None])
    monkeypatch.setattr(apply, "previous_import", lambda sha: next(first_call, None) or real(sha))
    with pytest.raises(AlreadyImported):
        run(rows, hanoi_scope, people["city_office"])
    assert totals() == before
    with pytest.raises(IntegrityError):  # the database itself refuses a second batch
        ImportBatch.objects.create(sha256="a" * 64, file_name="x.csv")


def test_confirm_checks_again_and_refuses_when_the_registry_changed(people, hanoi_scope):
    rows = [good_row()]
    preview = validate(numbered(rows), hanoi_scope)
    # someone records the same registration number between preview and confirm
    ProducerFactory(registration_number=rows[0]["registration_number"])
    before = totals()
    with pytest.raises(PlanChanged) as error:
        run(rows, hanoi_scope, people["city_office"], expected_fingerprint=preview.fingerprint)
    assert error.value.plan.rows[0].producer_action == "update"
    assert totals() == before


def test_confirm_refuses_bad_rows(people, hanoi_scope):
    before = totals()
    with pytest.raises(PlanChanged) as error:
        run([good_row(), good_row(stars="9")], hanoi_scope, people["city_office"])
    assert error.value.plan.bad_rows[0].line == 3
    assert totals() == before


def test_the_fingerprint_does_not_depend_on_the_language(hanoi_scope):
    from django.utils import translation

    producer = ProducerFactory(name="HTX Cũ", kind="farm", commune=commune("Xã Đông Anh"))
    rows = numbered([good_row(registration_number=producer.registration_number)])
    with translation.override("vi"):
        vietnamese = validate(rows, hanoi_scope)
    with translation.override("en"):
        english = validate(rows, hanoi_scope)
    kind_change = [
        [c["old"] for c in p.rows[0].changes if c["field"] == "kind"] for p in (vietnamese, english)
    ]
    assert kind_change == [["Trang trại"], ["Farm"]]  # what is shown is translated
    assert vietnamese.fingerprint == english.fingerprint


def test_a_collision_while_writing_is_reported_and_writes_nothing(people, hanoi_scope, monkeypatch):
    """Another import records the same registration number between the check and the write."""
    rows = [good_row(), good_row()]
    real_validate = apply.validate

    def validate_then_collide(raw_rows, scope, **kwargs):
        plan = real_validate(raw_rows, scope, **kwargs)
        ProducerFactory(registration_number=rows[1]["registration_number"])
        return plan

    monkeypatch.setattr(apply, "validate", validate_then_collide)
    before = totals()
    with pytest.raises(apply.ImportConflict):
        run(rows, hanoi_scope, people["city_office"])
    assert totals() == before
