"""Loading a further sheet file through the admin: same validation as the command."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.models import Rulebook, Sheet
from evaluation.sheetfile import RULEBOOKS_DIR

pytestmark = pytest.mark.django_db
URL = reverse("admin:evaluation_rulebook_load_sheet")


#: The shipped Decision 148 set-1 sheet, read once: the uploads are copies of it.
SET1 = (RULEBOOKS_DIR / "qd148-2023" / "sheets" / "set-01.json").read_text(encoding="utf-8")


def sheet_json(**changes):
    data = json.loads(SET1)
    data.update(changes)
    return data


def upload(data):
    raw = json.dumps(data, ensure_ascii=False).encode()
    return SimpleUploadedFile("set-02.json", raw, content_type="application/json")


@pytest.fixture
def as_admin(as_user, people):
    return as_user(people["admin"])


def test_an_administrator_loads_a_further_sheet(as_admin):
    rulebook = Rulebook.objects.get(code="qd148-2023")
    response = as_admin.post(
        URL, {"rulebook": rulebook.pk, "file": upload(sheet_json(product_set=2))}
    )
    assert response.status_code == 302
    sheet = Sheet.objects.get(rulebook=rulebook, product_set__number=2)
    assert sheet.criteria.count() == 32


def test_a_broken_sheet_is_refused_naming_the_criterion_and_nothing_is_written(as_admin):
    data = sheet_json(product_set=2)
    data["parts"][0]["sections"][0]["criteria"][0]["max_points"] = 9
    rulebook = Rulebook.objects.get(code="qd148-2023")
    response = as_admin.post(URL, {"rulebook": rulebook.pk, "file": upload(data)})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "Nguồn gốc sản phẩm" in errors
    assert not Sheet.objects.filter(rulebook=rulebook, product_set__number=2).exists()


def test_not_json_is_refused_with_a_message(as_admin):
    rulebook = Rulebook.objects.get(code="qd148-2023")
    bad = SimpleUploadedFile("x.json", b"\x89PNG not json")
    response = as_admin.post(URL, {"rulebook": rulebook.pk, "file": bad})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_staff_who_are_not_superusers_cannot_load_sheets(client, django_user_model):
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    response = client.post(URL, {})
    assert response.status_code == 302
    assert Sheet.objects.count() == 27
