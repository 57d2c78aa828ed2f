"""The web steps: who may import, upload → preview (writes nothing) → confirm, templates."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from evaluation.models import Certificate
from imports.models import ImportBatch, PendingImport
from registry.models import Producer, Product
from tests.imports.rows import csv_bytes, district_row, good_row, upload_file, xlsx_bytes

pytestmark = pytest.mark.django_db


def totals():
    return (
        Producer.objects.count(),
        Product.objects.count(),
        Certificate.objects.count(),
        ImportBatch.objects.count(),
    )


def post_file(client, url, data, name="danh-sach.csv"):
    return client.post(url, {"file": upload_file(data, name)})


def token_of(response):
    return response.context["token"]


# ------------------------------------------------------------------ who
def test_anonymous_users_are_sent_to_sign_in(client, import_url, confirm_url):
    for url in (
        import_url,
        reverse("imports:template_csv"),
        reverse("imports:template_xlsx"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    response = client.post(confirm_url, {"token": "x"})
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.parametrize("who", ["citizen", "inspector"])
def test_users_who_are_not_an_office_get_403(as_user, people, import_url, confirm_url, who):
    client = as_user(people[who])
    assert client.get(import_url).status_code == 403
    assert post_file(client, import_url, csv_bytes([good_row()])).status_code == 403
    assert client.post(confirm_url, {"token": "x"}).status_code == 403
    assert client.get(reverse("imports:template_xlsx")).status_code == 403


@pytest.mark.parametrize("who", ["admin", "city_office", "citizen", "inspector"])
def test_the_menu_offers_the_import_only_to_those_who_may_import(as_user, people, who):
    page = as_user(people[who]).get(reverse("catalogue:sales_points")).content.decode()
    assert (f'href="{reverse("imports:upload")}"' in page) == (who in ("admin", "city_office"))


@pytest.mark.parametrize("who", ["admin", "city_office", "district_office"])
def test_offices_and_administrators_see_the_upload_page(as_user, people, import_url, who):
    response = as_user(people[who]).get(import_url)
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content
    assert "Số đăng ký kinh doanh" in response.content.decode()


def test_an_office_of_another_province_gets_bad_rows(as_user, people, import_url):
    before = totals()
    response = post_file(as_user(people["far_office"]), import_url, csv_bytes([good_row()]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "is outside your province" in html
    assert 'id="confirm-form"' not in html
    assert totals() == before


# ------------------------------------------------------------------ upload and preview
def test_preview_lists_rows_and_writes_nothing(as_user, people, import_url):
    client = as_user(people["city_office"])
    rows = [good_row(producer_name="Hộ kinh doanh Bà Tươi Đồng Kỵ"), good_row(), good_row()]
    before = totals()
    response = post_file(client, import_url, csv_bytes(rows, bom=False))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 rows processed" in html
    assert "Hộ kinh doanh Bà Tươi Đồng Kỵ" in html
    assert html.count('class="action-create') == 3
    assert 'id="confirm-form"' in html
    assert totals() == before
    # Kept on the server, not in the session (which every later page would read).
    assert PendingImport.objects.filter(sha256=token_of(response)).exists()
    assert not any("import" in key for key in client.session.keys())  # noqa: SIM118 (not iterable)


def test_bad_rows_are_listed_with_all_reasons_and_block_confirmation(
    as_user, people, import_url, confirm_url
):
    client = as_user(people["city_office"])
    rows = [good_row(), good_row(stars="6", certificate_issued_on="32/01/2024")]
    response = post_file(client, import_url, csv_bytes(rows))
    html = response.content.decode()
    assert 'id="bad-3"' in html
    assert "Stars must be 3, 4 or 5" in html and "“32/01/2024” is not a date" in html
    assert 'id="confirm-form"' not in html
    before = totals()
    response = client.post(confirm_url, {"token": token_of(response)})  # forced anyway
    assert response.status_code == 200 and "Stars must be 3, 4 or 5" in response.content.decode()
    assert totals() == before


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        ("png", "danh-sach.csv", "This file is a picture"),
        ("docx", "danh-sach.docx", "This is a Word document"),
        (b"", "danh-sach.csv", "The submitted file is empty."),
        (b"\xef\xbb\xbf\r\n", "danh-sach.csv", "The file is empty."),
        ("header", "danh-sach.csv", "no data rows"),
        ("big", "danh-sach.csv", "the limit is 5.0"),
        ("cp1252", "danh-sach.csv", "not in UTF-8"),
    ],
)
def test_files_that_cannot_be_imported_are_refused_with_a_message(
    as_user, people, import_url, data, name, message
):
    from tests.imports.test_reading import docx_bytes, png_bytes

    header = csv_bytes([good_row()]).split(b"\r\n")[0] + b"\r\n"
    data = {
        "png": png_bytes,
        "docx": docx_bytes,
        "header": lambda: header,
        "big": lambda: b"a," * (5 * 1024 * 1024),
        "cp1252": lambda: "registration_number,producer_name\r\n1,Straße\r\n".encode("cp1252"),
    }.get(data, lambda: data)()
    before = totals()
    response = post_file(as_user(people["city_office"]), import_url, data, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert totals() == before


# ------------------------------------------------------------------ confirm
def test_confirm_writes_everything_and_records_the_batch(as_user, people, import_url, confirm_url):
    client = as_user(people["district_office"])
    rows = [district_row(producer_name="Hợp tác xã Rau an toàn Vân Nội"), district_row()]
    token = token_of(post_file(client, import_url, csv_bytes(rows), "Đông Anh 2024.csv"))
    response = client.post(confirm_url, {"token": token}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 producers created, 0 updated, 2 products and 2 certificates created" in html
    batch = ImportBatch.objects.get()
    assert batch.user == people["district_office"] and batch.file_name == "Đông Anh 2024.csv"
    assert batch.sha256 == token and len(token) == 64
    assert 'id="import-batches"' in html and "Đông Anh 2024.csv" in html
    assert Producer.objects.filter(name="Hợp tác xã Rau an toàn Vân Nội").exists()

    # a second confirmation of the same preview does nothing
    before = totals()
    response = client.post(confirm_url, {"token": token}, follow=True)
    assert "already imported" in response.content.decode()
    assert totals() == before

    # and uploading the identical file again is refused with who and when
    response = post_file(client, import_url, csv_bytes(rows), "again.csv")
    assert response.status_code == 400
    assert "This file was already imported on" in response.content.decode()
    assert "by district_office" in response.content.decode()


def test_confirm_needs_the_csrf_token(people, import_url, confirm_url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["city_office"])
    before = totals()
    assert client.post(confirm_url, {"token": "a" * 64}).status_code == 403
    assert totals() == before


def test_an_unknown_token_confirms_nothing(as_user, people, confirm_url):
    before = totals()
    response = as_user(people["city_office"]).post(confirm_url, {"token": "f" * 64}, follow=True)
    assert "no import waiting for confirmation" in response.content.decode()
    assert totals() == before


def test_another_users_preview_cannot_be_confirmed(as_user, people, import_url, confirm_url):
    client = as_user(people["city_office"])
    token = token_of(post_file(client, import_url, csv_bytes([good_row()])))
    client.force_login(
        people["admin"]
    )  # a new login starts a new session: the preview is not theirs
    before = totals()
    response = client.post(confirm_url, {"token": token}, follow=True)
    assert "no import waiting for confirmation" in response.content.decode()
    assert totals() == before


def test_xlsx_import_keeps_accents_and_leading_zeros(as_user, people, import_url, confirm_url):
    client = as_user(people["city_office"])
    row = good_row(
        producer_name="Làng nghề gốm Bát Tràng", commune_code="00583", district_code=None
    )
    response = post_file(client, import_url, xlsx_bytes([row]), "bat-trang.xlsx")
    assert response.status_code == 200 and response.context["kind"] == "xlsx"
    client.post(confirm_url, {"token": token_of(response)})
    producer = Producer.objects.get(registration_number=row["registration_number"])
    assert producer.name == "Làng nghề gốm Bát Tràng" and producer.commune.name == "Xã Bát Tràng"
    assert producer.registration_number.startswith("0")


# ------------------------------------------------------------------ templates
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_templates_download_and_parse_back_cleanly(as_user, people, import_url, kind):
    """The example row is a 3-star certificate of Đông Anh district: what its office imports."""
    from tests.factories import district, office_of

    client = as_user(office_of("vp.donganh", "district", district("017")))
    response = client.get(reverse(f"imports:template_{kind}"))
    assert response.status_code == 200
    assert f'filename="mau-nhap-du-lieu-ocop.{kind}"' in response["Content-Disposition"]
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if kind == "csv":
        assert data.startswith(b"\xef\xbb\xbf")
        assert "Hợp tác xã Nông nghiệp Hữu cơ Đông Anh" in data.decode("utf-8-sig")
    preview = post_file(client, import_url, data, f"mau.{kind}")
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert plan.is_clean and len(plan.rows) == 1
    [row] = plan.rows
    assert row.action == "create" and row.commune.name == "Xã Đông Anh"
    assert row.producer_name == "Hợp tác xã Nông nghiệp Hữu cơ Đông Anh"
    assert any("template's example row" in w for w in row.warnings)
    assert preview.context["ignored"] == []


def test_the_xlsx_template_has_an_instructions_sheet(as_user, people):
    from openpyxl import load_workbook

    response = as_user(people["city_office"]).get(reverse("imports:template_xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Danh sách"
    assert workbook.worksheets[0]["A2"].value == "0109876543"
    assert len(workbook.sheetnames) == 2


def test_a_picture_upload_with_an_image_content_type_is_still_refused(as_user, people, import_url):
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="JPEG")
    response = post_file(as_user(people["city_office"]), import_url, buffer.getvalue(), "a.csv")
    assert "This file is a picture" in response.content.decode()


def test_a_change_between_preview_and_confirm_shows_the_new_preview(
    as_user, people, import_url, confirm_url
):
    from tests.factories import ProducerFactory, commune

    client = as_user(people["city_office"])
    rows = [good_row(), good_row()]
    token = token_of(post_file(client, import_url, csv_bytes(rows)))
    ProducerFactory(
        registration_number=rows[0]["registration_number"],
        name="Tên đã có",
        commune=commune("Xã Đông Anh"),
    )
    before = totals()
    response = client.post(confirm_url, {"token": token})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The registry changed since the preview, so nothing was written" in html
    assert "existing producer, changed:" in html and "Tên đã có" in html
    assert totals() == before
    # the new preview can be confirmed as it now stands
    client.post(confirm_url, {"token": token})
    assert ImportBatch.objects.filter(sha256=token).exists()
    assert (
        Producer.objects.get(registration_number=rows[0]["registration_number"]).name
        == (rows[0]["producer_name"])
    )


def test_previews_live_on_the_server_and_each_confirms_once(
    as_user, people, import_url, confirm_url
):
    client = as_user(people["district_office"])
    token = token_of(post_file(client, import_url, csv_bytes([district_row()], bom=False)))
    assert PendingImport.objects.filter(user=people["district_office"], sha256=token).count() == 1
    # Another official cannot confirm it: the preview is this user's.
    other = as_user(people["city_office"])
    other.post(confirm_url, {"token": token})
    assert PendingImport.objects.filter(sha256=token).exists()
    client = as_user(people["district_office"])
    first = client.post(confirm_url, {"token": token})
    assert first.status_code == 302
    assert not PendingImport.objects.filter(sha256=token).exists()


def test_a_user_keeps_only_the_newest_previews(as_user, people, import_url):
    from imports import pending

    client = as_user(people["district_office"])
    for n in range(pending.KEEP + 2):
        row = district_row(registration_number=f"01070{n:05d}")
        post_file(client, import_url, csv_bytes([row], bom=False))
    assert PendingImport.objects.filter(user=people["district_office"]).count() == pending.KEEP
