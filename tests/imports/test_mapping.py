"""The column-mapping page: a file whose headers the import does not know is shown with
suggestions, the official says which column is which, and the office's choice is
remembered for its next file of the same header row."""

import pytest
from django.urls import reverse

from imports.models import ColumnMapping, PendingImport
from registry.models import Producer
from tests.imports.rows import csv_text, good_row, upload_file

pytestmark = pytest.mark.django_db

# A district's own list: headers the import cannot guess ("Đơn vị SX", "Tên SP", "Đạt").
HEADER = ["STT", "Đơn vị SX", "Tên SP", "Đạt", "Mã xã", "Bộ SP", "Ngày"]


def own_list(n=2) -> bytes:
    lines = [["DANH SÁCH SẢN PHẨM OCOP"], HEADER]
    for i in range(1, n + 1):
        row = good_row()
        lines.append(
            [str(i), row["producer_name"], row["product_name"], "4 sao", "00454", "3", "2023"]
        )
    return csv_text(lines)


CHOICES = {
    "col-1": "producer_name",
    "col-2": "product_name",
    "col-3": "stars",
    "col-4": "commune_code",
    "col-5": "product_set",
    "col-6": "certificate_issued_on",
}


def upload(client, data, name="ds.csv"):
    return client.post(reverse("imports:upload"), {"file": upload_file(data, name)})


def test_unknown_headers_lead_to_the_columns_page_with_suggestions(as_user, people):
    client = as_user(people["city_office"])
    response = upload(client, own_list())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="columns-form"' in html and "Required columns are missing" in html
    # "Mã xã" is known: suggested; "Đạt" is not: left for the official.
    assert '<option value="commune_code" selected>' in html
    assert html.count(" selected>") == 1
    assert PendingImport.objects.get().rows == []


def test_the_officials_choice_gives_the_preview_and_is_remembered(as_user, people):
    client = as_user(people["city_office"])
    token = upload(client, own_list()).context["token"]
    response = client.post(reverse("imports:columns"), {"token": token, **CHOICES})
    assert response.status_code == 200
    assert response.context["plan"].is_clean, [r.errors for r in response.context["plan"].rows]
    assert response.context["counts"]["create"] == 2
    saved = ColumnMapping.objects.get()
    assert saved.mapping["stars"] == 3 and saved.headers[3] == "Đạt"
    # The next file of the same shape goes straight to the preview, with nothing to choose.
    again = upload(client, own_list(3), "ds2.csv")
    assert "plan" in again.context and again.context["counts"]["rows"] == 3
    assert again.context["plan"].is_clean
    # Confirming writes what the preview showed.
    confirmed = client.post(reverse("imports:confirm"), {"token": again.context["token"]})
    assert confirmed.status_code == 302
    assert Producer.objects.count() == 3


def test_another_office_does_not_get_the_remembered_choice(as_user, people):
    client = as_user(people["city_office"])
    token = upload(client, own_list()).context["token"]
    client.post(reverse("imports:columns"), {"token": token, **CHOICES})
    other = as_user(people["far_office"])
    response = upload(other, own_list())
    assert 'id="columns-form"' in response.content.decode()


def test_one_field_for_two_columns_is_refused_with_a_sentence(as_user, people):
    client = as_user(people["city_office"])
    token = upload(client, own_list()).context["token"]
    choices = {**CHOICES, "col-0": "stars"}
    response = client.post(reverse("imports:columns"), {"token": token, **choices})
    assert response.status_code == 400
    assert "is chosen for two columns" in response.content.decode()
    assert not ColumnMapping.objects.exists()


def test_a_choice_missing_a_required_field_says_which(as_user, people):
    client = as_user(people["city_office"])
    token = upload(client, own_list()).context["token"]
    choices = {k: v for k, v in CHOICES.items() if v != "stars"}
    response = client.post(reverse("imports:columns"), {"token": token, **choices})
    assert response.status_code == 400
    assert "Số sao (stars)" in response.content.decode()


def test_another_users_file_cannot_be_remapped(as_user, people):
    token = upload(as_user(people["city_office"]), own_list()).context["token"]
    other = as_user(people["district_office"])
    response = other.post(reverse("imports:columns"), {"token": token, **CHOICES})
    assert response.status_code == 302
    assert not ColumnMapping.objects.exists()


@pytest.mark.parametrize("who", ["citizen", "inspector"])
def test_only_offices_may_choose_columns(as_user, people, client, who):
    url = reverse("imports:columns")
    response = client.post(url, {"token": "x"})
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert as_user(people[who]).post(url, {"token": "x"}).status_code == 403
    assert as_user(people["city_office"]).get(url).status_code == 405


def test_a_template_file_preview_offers_to_change_the_columns(as_user, people):
    from tests.imports.rows import csv_bytes

    response = upload(as_user(people["city_office"]), csv_bytes([good_row()]))
    html = response.content.decode()
    assert 'id="columns-details"' in html
    assert '<option value="stars" selected>' in html
