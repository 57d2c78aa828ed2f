"""Issue 14, point 8: the preview of a big file is checked by a job the page follows, and
every page of a preview reads what the check kept instead of checking the rows again.

Through the web pages with real files and the real database; the job runs through
jobs/worker.py in this process (tests/conftest.py run_jobs). `few_inline` moves the limit
to three rows so that small files take the big files' road.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.models import OfficialRole
from imports import checked, validation
from imports.models import ImportBatch, PendingImport, PreviewRow, PreviewStatus
from tests.imports.rows import csv_bytes, district_row, upload_file
from tests.imports.test_mapping import CHOICES, own_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def few_inline(monkeypatch):
    monkeypatch.setattr(checked, "INLINE_ROWS", 3)


def upload(client, rows, name="danh-sach.csv"):
    return client.post(reverse("imports:upload"), {"file": upload_file(csv_bytes(rows), name)})


def page_url(token, **query):
    url = reverse("imports:preview", args=[token])
    return url + (f"?trang={query['trang']}" if query else "")


def progress_url(token):
    return reverse("imports:preview_progress", args=[token])


def token_of(response) -> str:
    return response.url.rstrip("/").split("/")[-1]


def big_upload(client, n=5, bad=()):
    rows = [
        district_row(product_name=f"Sản phẩm {i}", **({"stars": "7"} if i in bad else {}))
        for i in range(n)
    ]
    response = upload(client, rows)
    assert response.status_code == 302, response.content.decode()[:300]
    return token_of(response)


def test_a_big_file_is_checked_by_a_job_that_the_page_follows(
    as_user, people, run_jobs, few_inline
):
    client = as_user(people["district_office"])
    token = big_upload(client, 5, bad={1})
    item = PendingImport.objects.get()
    assert item.status == PreviewStatus.CHECKING and item.row_count == 5
    assert not PreviewRow.objects.exists()  # the request checked nothing

    page = client.get(page_url(token))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="batch-bar"' in html and "import-progress.js" in html
    assert 'id="import-rows"' not in html
    assert client.get(progress_url(token)).json() == {
        "status": "checking",
        "label": "being checked",
        "rows_checked": 0,
        "row_count": 5,
        "percent": 0,
        "finished": False,
    }
    # confirming before the check is done writes nothing and leads back to the page
    response = client.post(reverse("imports:confirm"), {"token": token})
    assert response.url == page_url(token) and not ImportBatch.objects.exists()

    assert run_jobs() == 1
    progress = client.get(progress_url(token)).json()
    assert progress["finished"] and progress["percent"] == 100 and progress["rows_checked"] == 5
    page = client.get(page_url(token))
    html = page.content.decode()
    assert "import-progress.js" not in html and 'id="import-rows"' in html
    counts = page.context["counts"]
    assert counts["rows"] == 5 and counts["bad"] == 1 and counts["create"] == 4
    # the summary at the top: why rows are held, each reason with its rows
    assert 'id="import-reasons"' in html and page.context["reasons"][0][1] == 1
    assert [row["line"] for row in page.context["bad_rows"]] == [3]
    assert PreviewRow.objects.count() == 5

    # the held rows download from what was kept; the rows that pass import
    held = client.get(reverse("imports:preview_held", args=[token]))
    assert held.status_code == 200 and held["Content-Type"].startswith("application/vnd")
    client.post(reverse("imports:confirm"), {"token": token, "mode": "partial"})
    batch = ImportBatch.objects.get()
    assert batch.products_created == 4 and batch.held_count == 1
    assert not PreviewRow.objects.exists()  # gone with the preview


def test_a_page_reads_the_kept_rows_in_the_same_queries_at_two_sizes(
    as_user, people, run_jobs, few_inline, monkeypatch
):
    monkeypatch.setattr(checked, "PAGE_ROWS", 4)
    client = as_user(people["district_office"])
    small = big_upload(client, 9, bad={0})
    large = big_upload(client, 40, bad={0, 30})
    assert run_jobs() == 2

    def boom(*args, **kwargs):
        raise AssertionError("a page must not check the rows again")

    monkeypatch.setattr(checked, "validate", boom)
    monkeypatch.setattr(validation, "validate", boom)
    counted = []
    for token in (small, large):
        client.get(page_url(token, trang=2))  # the to-do count and menus warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page_url(token, trang=2))
        assert response.status_code == 200
        assert [r["line"] for r in response.context["rows"]] == [6, 7, 8, 9]
        counted.append(len(queries))
    assert counted[0] == counted[1], counted
    last = client.get(page_url(large, trang=10))
    assert [r["line"] for r in last.context["rows"]] == [38, 39, 40, 41]
    assert last.context["counts"]["bad"] == 2 and "Rows 37 to 40 of 40" in last.content.decode()


def test_a_small_file_is_checked_in_the_request_and_kept(as_user, people, monkeypatch):
    client = as_user(people["district_office"])
    response = upload(client, [district_row(), district_row(stars="7")])
    assert response.status_code == 200 and response.context["plan"] is not None
    assert PreviewRow.objects.filter(bad=True).count() == 1
    monkeypatch.setattr(checked, "validate", lambda *a, **k: pytest.fail("checked again"))
    again = client.get(page_url(response.context["token"]))
    assert again.context["counts"] == response.context["counts"]


def test_a_preview_is_seen_by_its_uploader_and_administrators_only(
    as_user, people, run_jobs, few_inline
):
    owner = as_user(people["district_office"])
    token = big_upload(owner, 4)
    other = as_user(people["city_office"])
    for url in (page_url(token), progress_url(token)):
        assert other.get(url).status_code == 404
    run_jobs()
    assert other.get(reverse("imports:preview_held", args=[token])).status_code == 404
    assert other.get(page_url(token)).status_code == 404
    # another's confirmation finds nothing to confirm
    other.post(reverse("imports:confirm"), {"token": token})
    assert not ImportBatch.objects.exists()
    admin = as_user(people["admin"])
    page = admin.get(page_url(token))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="not-mine"' in html
    assert 'id="confirm-form"' not in html and 'id="partial-form"' not in html
    owner = as_user(people["district_office"])
    assert 'id="confirm-form"' in owner.get(page_url(token)).content.decode()


def test_a_job_for_an_office_that_lost_its_role_keeps_nothing(
    as_user, people, run_jobs, few_inline
):
    office = people["district_office"]
    client = as_user(office)
    token = big_upload(client, 4)
    OfficialRole.objects.filter(user=office).delete()
    assert run_jobs() == 1  # the job ends: it does not fail, it says why
    item = PendingImport.objects.get()
    assert item.status == PreviewStatus.FAILED and "không còn quyền nhập" in item.message
    assert not PreviewRow.objects.exists()
    admin = as_user(people["admin"])
    html = admin.get(page_url(token)).content.decode()
    assert 'id="preview-message"' in html and "import-progress.js" not in html


@pytest.fixture
def crash_on_nine_stars(monkeypatch):
    """A check that raises on one value, as a bug would."""
    real = validation._parse_stars

    def parse(row, raw):
        if raw == "9":
            raise RuntimeError("unforeseen")
        return real(row, raw)

    monkeypatch.setattr(validation, "_parse_stars", parse)


def test_a_row_whose_check_crashes_is_held_with_a_message(
    as_user, people, run_jobs, few_inline, crash_on_nine_stars
):
    client = as_user(people["district_office"])
    rows = [district_row(product_name=f"SP {i}") for i in range(6)]
    rows[2]["stars"] = rows[4]["stars"] = "9"
    response = upload(client, rows)
    assert response.status_code == 302
    run_jobs()
    item = PendingImport.objects.get()
    assert item.status == PreviewStatus.READY
    page = client.get(page_url(item.sha256))
    bad = page.context["bad_rows"]
    assert [row["line"] for row in bad] == [4, 6]
    # kept in the site's language, whatever the page's
    assert bad[0]["errors"] == bad[1]["errors"]
    assert bad[0]["errors"][0].startswith("Không kiểm tra được dòng này")
    assert page.context["counts"]["create"] == 4
    # small files too: a row message, not an error page
    small = upload(client, rows[:3], "nho.csv")
    assert small.status_code == 200 and small.context["counts"]["bad"] == 1
    assert small.context["bad_rows"][0]["errors"] == [checked.crash_message()]


def test_a_check_that_fails_as_a_whole_leaves_a_message(
    as_user, people, run_jobs, few_inline, monkeypatch
):
    client = as_user(people["district_office"])
    token = big_upload(client, 4)

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(checked, "validate", broken)
    run_jobs()
    item = PendingImport.objects.get()
    assert item.status == PreviewStatus.FAILED
    assert item.message.startswith("Không kiểm tra được các dòng")
    assert 'id="preview-message"' in client.get(page_url(token)).content.decode()


def test_a_second_run_of_the_check_keeps_nothing_more(as_user, people, run_jobs, few_inline):
    client = as_user(people["district_office"])
    big_upload(client, 5)
    item = PendingImport.objects.get()
    stamp = item.stored_at.isoformat()
    # a run that finds the preview stored again since (a new mapping) leaves it alone
    assert checked.run(item.pk, "2000-01-01T00:00:00+00:00") == "gone"
    assert not PreviewRow.objects.exists()
    assert run_jobs() == 1
    kept = list(PreviewRow.objects.order_by("pk").values_list("pk", flat=True))
    assert checked.run(item.pk, stamp) == "gone"  # a retry after it finished
    assert list(PreviewRow.objects.order_by("pk").values_list("pk", flat=True)) == kept


def test_the_columns_page_leads_a_big_file_to_the_job(as_user, people, run_jobs, few_inline):
    client = as_user(people["city_office"])
    response = client.post(reverse("imports:upload"), {"file": upload_file(own_list(5), "ds.csv")})
    token = response.context["token"]
    response = client.post(reverse("imports:columns"), {"token": token, **CHOICES})
    assert response.status_code == 302 and response.url == page_url(token)
    run_jobs()
    page = client.get(page_url(token))
    assert page.context["counts"]["rows"] == 5 and page.context["counts"]["bad"] == 0
    assert len(page.context["file_columns"]) == 7  # the columns form still offered
    client.post(reverse("imports:confirm"), {"token": token})
    assert ImportBatch.objects.get().products_created == 5
