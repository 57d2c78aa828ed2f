"""The same import file confirmed twice at once, through the real views, with real threads.

The file updates one producer already in the registry (adding a product) and adds two new
producers: three products, three certificates. Whichever confirmation comes second must
write nothing and say, in words, that the file was already imported, and by whom.
"""

import pytest
from django.urls import reverse

from evaluation.models import Certificate
from imports.models import ImportBatch
from registry.models import Producer, Product
from tests.factories import ProducerFactory, commune
from tests.imports.rows import csv_bytes, good_row, upload_file
from tests.system.concurrency.conftest import (
    errors,
    messages_of,
    needs_postgresql,
    run_together,
    same_session,
    signed_in,
)

pytestmark = needs_postgresql

IMPORTED = "Imported {}: 2 producers created, 1 updated, 3 products and 3 certificates created."
ALREADY = "This file was already imported on "


@pytest.fixture
def the_file():
    """The rows and their bytes; the registry already knows the first row's producer."""
    known = ProducerFactory(name="HTX Cũ", commune=commune("Xã Đông Anh"))
    rows = [
        good_row(registration_number=known.registration_number, producer_name="HTX Mới"),
        good_row(),
        good_row(),
    ]
    return rows, csv_bytes(rows)


def preview(client, data, name):
    """Upload the file; the preview page's token is what the confirm button posts."""
    response = client.post(reverse("imports:upload"), {"file": upload_file(data, name)})
    assert response.status_code == 200
    return response.context["token"]


def totals():
    return (Producer.objects.count(), Product.objects.count(), Certificate.objects.count())


def assert_imported_once(the_file, before, responses, names):
    """One batch, every row written once; one official told it is done, the other that it
    was already done (and by whom)."""
    rows, _data = the_file
    [batch] = ImportBatch.objects.all()
    assert totals() == (before[0] + 2, before[1] + 3, before[2] + 3)
    numbers = [row["certificate_number"] for row in rows]
    written = Certificate.objects.filter(number__in=numbers).values_list("number", flat=True)
    assert sorted(written) == sorted(numbers)
    assert Certificate.history.filter(number__in=numbers).count() == 3
    assert Producer.objects.get(registration_number=rows[0]["registration_number"]).name == (
        "HTX Mới"
    )

    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"] for r in responses} == {reverse("imports:upload")}
    said = [messages_of(r) for r in responses]
    winner = next(i for i, messages in enumerate(said) if messages == [IMPORTED.format(names[i])])
    [refusal] = said[1 - winner]
    assert refusal.startswith(ALREADY)
    assert refusal.endswith(f" by {batch.user.get_username()}.")
    assert batch.file_name == names[winner]


def test_one_preview_confirmed_from_two_tabs_at_once_is_imported_once(the_file, people):
    _rows, data = the_file
    client = signed_in(people["city_office"])
    token = preview(client, data, "danh-sach.csv")
    tabs = [client, same_session(client)]
    url = reverse("imports:confirm")  # here: a racing thread has no language active
    before = totals()

    outcomes = run_together(2, lambda i: tabs[i].post(url, {"token": token}))

    assert errors(outcomes) == []
    assert_imported_once(the_file, before, [o.value for o in outcomes], ["danh-sach.csv"] * 2)


def test_two_officials_confirming_their_uploads_of_one_file_at_once_import_it_once(
    the_file, people
):
    _rows, data = the_file
    # Both may import the file's city certificates: Hà Nội's office and an administrator
    # (a district office may not: imports.rules.level_refusal).
    names = ["danh-sach-ha-noi.csv", "ocop-quan-tri.csv"]  # other names, the same bytes
    clients = [signed_in(people["city_office"]), signed_in(people["admin"])]
    tokens = [preview(client, data, name) for client, name in zip(clients, names, strict=True)]
    url = reverse("imports:confirm")
    before = totals()

    outcomes = run_together(2, lambda i: clients[i].post(url, {"token": tokens[i]}))

    assert errors(outcomes) == []
    assert_imported_once(the_file, before, [o.value for o in outcomes], names)


# ------------------------------------------------------------------ issue 14
@pytest.fixture
def to_the_job(monkeypatch):
    from imports import batches

    monkeypatch.setattr(batches, "INLINE_ROWS", 2)  # the three rows go to the job


def test_two_officials_queueing_one_big_file_at_once_queue_it_once(the_file, people, to_the_job):
    _rows, data = the_file
    clients = [signed_in(people["city_office"]), signed_in(people["admin"])]
    tokens = [preview(client, data, name) for client, name in zip(clients, "ab", strict=True)]
    url = reverse("imports:confirm")
    before = totals()

    outcomes = run_together(2, lambda i: clients[i].post(url, {"token": tokens[i]}))

    assert errors(outcomes) == []
    [batch] = ImportBatch.objects.all()
    assert batch.status == "queued" and totals() == before
    said = [messages_of(o.value) for o in outcomes]
    assert sorted(len(s) for s in said) == [0, 1] and any(
        s and s[0].startswith(ALREADY) for s in said
    )


def test_two_workers_running_one_batch_at_once_write_it_once(the_file, people, to_the_job):
    from imports import batches

    _rows, data = the_file
    client = signed_in(people["city_office"])
    client.post(reverse("imports:confirm"), {"token": preview(client, data, "x.csv")})
    batch = ImportBatch.objects.get()
    before = totals()

    outcomes = run_together(2, lambda i: batches.run(batch.pk))

    assert errors(outcomes) == []
    assert sorted(o.value for o in outcomes) == ["done", "done"]
    assert totals() == (before[0] + 2, before[1] + 3, before[2] + 3)


def test_two_officials_undoing_one_batch_at_once_undo_it_once(the_file, people):
    _rows, data = the_file
    owner = signed_in(people["city_office"])
    owner.post(reverse("imports:confirm"), {"token": preview(owner, data, "x.csv")})
    batch = ImportBatch.objects.get()
    # fresh sessions: the confirmation's message is not read by the undo's answer
    clients = [signed_in(people["city_office"]), signed_in(people["admin"])]
    url = reverse("imports:batch_undo", args=[batch.pk])
    imported = totals()

    outcomes = run_together(2, lambda i: clients[i].post(url, {"confirm": "yes"}))

    assert errors(outcomes) == []
    assert [o.value.status_code for o in outcomes] == [302, 302]
    said = sorted(m for o in outcomes for m in messages_of(o.value))
    assert said == [
        "Only a finished import can be undone.",
        "The import was undone: what it created was removed.",
    ]
    batch.refresh_from_db()
    assert batch.status == "undone"
    assert totals() == (imported[0] - 2, imported[1] - 3, imported[2] - 3)
