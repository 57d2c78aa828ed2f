"""Import files built in the test (csv, openpyxl) and the officials who upload them."""

import csv
import io
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.models import OfficialRole
from imports.access import import_scope
from imports.columns import COLUMNS
from registry.models import AdministrativeUnit

HEADERS = {c.key: c.header for c in COLUMNS}
_serial = itertools.count(1)


def good_row(**overrides) -> dict:
    """A valid row for Xã Đông Anh (Hà Nội); each call a new producer and certificate."""
    n = next(_serial)
    values = {
        "registration_number": f"01099{n:05d}",
        "producer_name": f"Hợp tác xã Nông nghiệp Đông Anh số {n}",
        "producer_kind": "Hợp tác xã",
        "commune_code": "00454",
        "district_code": "017",
        "representative_name": "Nguyễn Thị Hoà",
        "phone": "0912 345 678",
        "email": f"htx{n}@example.vn",
        "product_name": f"Gạo nếp cái hoa vàng loại {n}",
        "product_set": "3",
        "stars": "3",
        "certificate_number": f"QĐ-{n:05d}/UBND",
        "certificate_issued_on": "15/08/2024",
        "issuing_level": "Cấp huyện",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def table(rows, english=False):
    keys = [c.key for c in COLUMNS if any(c.key in r for r in rows)] or [c.key for c in COLUMNS]
    header = keys if english else [HEADERS[k] for k in keys]
    return header, [[r.get(k, "") for k in keys] for r in rows]


def csv_bytes(rows, *, bom=True, english=False, delimiter=",", encoding="utf-8") -> bytes:
    header, body = table(rows, english)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(body)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows, *, english=False, convert=None) -> bytes:
    from openpyxl import Workbook

    header, body = table(rows, english)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in body:
        sheet.append([convert(header[i], v) if convert else v for i, v in enumerate(values)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload_file(data: bytes, name="danh-sach.csv"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def unit(level, code):
    return AdministrativeUnit.objects.get(level=level, code=code)


def make_user(username, *, kind=None, level=None, unit_=None, superuser=False):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.vn", "x")
    user = User.objects.create_user(username, password="x", first_name=username)
    if kind:
        OfficialRole.objects.create(user=user, kind=kind, level=level, unit=unit_)
    return user


@pytest.fixture(autouse=True)
def english(default_language):
    """Messages are asserted in their English msgids: pages and reverse() in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def people(db):
    return {
        "admin": make_user("admin", superuser=True),
        "hanoi": make_user(
            "vp.hanoi", kind="office", level="province", unit_=unit("province", "01")
        ),
        "donganh": make_user(
            "vp.donganh", kind="office", level="district", unit_=unit("district", "017")
        ),
        "hungyen": make_user(
            "vp.hungyen", kind="office", level="province", unit_=unit("province", "33")
        ),
        "inspector": make_user(
            "thanhtra", kind="inspector", level="province", unit_=unit("province", "01")
        ),
        "citizen": make_user("nguoidan"),
    }


@pytest.fixture
def hanoi_scope(people):
    return import_scope(people["hanoi"])


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def import_url():
    return reverse("imports:upload")


@pytest.fixture
def confirm_url():
    return reverse("imports:confirm")
