"""Browser journeys run against a live server on a real database.

They are transactional tests: the database is emptied after each, so each test
loads the reference data it needs again.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from evaluation.loading import load_all
from evaluation.models import Council, CouncilMembership, Dossier, EvaluationRound, Rulebook, Sheet
from registry.models import AdministrativeUnit, ProductSet
from registry.reference_data import (
    current_units,
    former_hanoi_districts,
    load_product_sets,
    load_units,
)
from tests.factories import ProductFactory, commune, district

PASSWORD = "browser-test-password"


@pytest.fixture
def reference_data(transactional_db):
    load_product_sets()
    load_units(current_units() + former_hanoi_districts())
    load_all()


def make_user(username, full_name=""):
    # Django shows "first_name last_name": in Vietnamese order the family and middle
    # names come first, so they go in first_name ("Trần Thị" + "Mai").
    family, _sep, given = full_name.rpartition(" ")
    return get_user_model().objects.create_user(
        username, password=PASSWORD, first_name=family, last_name=given
    )


@pytest.fixture
def district_round(reference_data):
    """Đông Anh district council under Decision 148: chair, one member, a secretary,
    and a set-1 dossier open for scoring."""
    dong_anh = AdministrativeUnit.objects.get(level="district", code="017")
    council = Council.objects.create(
        name="Hội đồng OCOP huyện Đông Anh", level="district", unit=dong_anh
    )
    people = {}
    for username, name, role in [
        ("chutich", "Nguyễn Văn Hùng", "chair"),
        ("thanhvien", "Trần Thị Mai", "member"),
        ("thuky", "Đỗ Minh Anh", "secretary"),
    ]:
        people[role] = make_user(username, name)
        CouncilMembership.objects.create(council=council, user=people[role], role=role)
    rulebook = Rulebook.objects.get(code="qd148-2023")
    round_ = EvaluationRound.objects.create(
        name="Đông Anh 2024 — đợt 1",
        rulebook=rulebook,
        level="district",
        unit=dong_anh,
        council=council,
        opens_on=date(2024, 5, 1),
        closes_on=date(2024, 6, 30),
    )
    product = ProductFactory(
        name="Rau cải an toàn Vân Nội",
        stars=None,
        product_set=ProductSet.objects.get(number=1),
        producer__commune=commune("Xã Đông Anh"),
        producer__district=district("017"),
    )
    dossier = Dossier.objects.create(
        round=round_,
        product=product,
        sheet=Sheet.objects.get(rulebook=rulebook, product_set__number=1),
    )
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.SCORING)
    dossier.refresh_from_db()
    return {"dossier": dossier, "council": council, **people}


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
