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
