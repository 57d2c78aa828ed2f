"""A district office imports its list in a real browser: a bad row first, then the fix."""

import pytest
from playwright.sync_api import expect

from evaluation.models import OfficialRole
from imports.models import ImportBatch
from registry.models import AdministrativeUnit, Producer
from tests.imports.rows import csv_bytes, good_row
from tests.system.browser.conftest import account, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(reference_data):
    user = account("vp.donganh", "Lê Thu Hà")
    OfficialRole.objects.create(
        user=user,
        kind="office",
        level="district",
        unit=AdministrativeUnit.objects.get(level="district", code="017"),
    )
    return user


def dong_anh_row(**overrides):
    """A 3-star certificate of Đông Anh district (017, good_row's district): the office's own."""
    return good_row(stars="3", issuing_level="Cấp huyện", **overrides)


def test_office_previews_fixes_and_imports(page, live_server, office, tmp_path, snap):
    rows = [
        dong_anh_row(producer_name="Hợp tác xã Rau an toàn Vân Nội"),
        {**dong_anh_row(), "stars": "6"},
    ]
    bad = tmp_path / "dong-anh.csv"
    bad.write_bytes(csv_bytes(rows))
    log_in(page, live_server, "vp.donganh")
    page.goto(f"{live_server.url}/nhap-du-lieu/")
    page.set_input_files("#import-form input[type=file]", str(bad))
    page.click("#import-form button[type=submit]")
    expect(page.locator("#bad-3")).to_contain_text("6")
    expect(page.locator("#confirm-form")).to_have_count(0)
    snap("bad-row-shown")
    assert Producer.objects.count() == 0

    rows[1]["stars"] = "3"
    good = tmp_path / "dong-anh-sua.csv"
    good.write_bytes(csv_bytes(rows))
    page.goto(f"{live_server.url}/nhap-du-lieu/")
    page.set_input_files("#import-form input[type=file]", str(good))
    page.click("#import-form button[type=submit]")
    expect(page.locator("#import-rows tr.action-create")).to_have_count(2)
    snap("preview")
    page.click("#confirm-form button[type=submit]")
    expect(page.locator("#import-batches")).to_contain_text("dong-anh-sua.csv")
    snap("imported")
    assert ImportBatch.objects.get().user == office
    assert Producer.objects.filter(name="Hợp tác xã Rau an toàn Vân Nội").exists()


def test_office_imports_the_rows_that_pass_follows_the_job_and_undoes_it(
    page, live_server, office, tmp_path, snap, monkeypatch
):
    """Issue 14: a file with a bad row, imported in part by the background job (the page
    follows its progress and shows the result), the held row downloaded, then undone."""
    from imports import batches

    monkeypatch.setattr(batches, "INLINE_ROWS", 2)  # three rows go to the job
    rows = [dong_anh_row(), {**dong_anh_row(), "stars": "6"}, dong_anh_row()]
    upload = tmp_path / "dong-anh-2022.csv"
    upload.write_bytes(csv_bytes(rows))
    log_in(page, live_server, "vp.donganh")
    page.goto(f"{live_server.url}/nhap-du-lieu/")
    page.set_input_files("#import-form input[type=file]", str(upload))
    page.click("#import-form button[type=submit]")
    expect(page.locator("#partial-form")).to_be_visible()
    page.click("#partial-form button[type=submit]")
    expect(page.locator("#batch-bar")).to_be_visible()
    batch = ImportBatch.objects.get()
    assert batch.status == "queued" and Producer.objects.count() == 0

    batches.run(batch.pk)  # what the worker does; the page, polling, sees it finish
    expect(page.locator("#held-rows")).to_contain_text("6", timeout=15_000)
    expect(page.locator("#batch-created tbody tr")).to_have_count(2)
    snap("partial-import-done")
    assert Producer.objects.count() == 2

    with page.expect_download() as download:
        page.click("#download-batch-held")
    assert download.value.suggested_filename.endswith(".xlsx")

    page.check("#undo-confirm")
    page.click("#undo-form button[type=submit]")
    expect(page.locator("#batch-undone")).to_be_visible()
    assert Producer.objects.count() == 0
    assert ImportBatch.objects.get().undone_by == office
