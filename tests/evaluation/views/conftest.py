"""A cast of users around one district dossier, for the view tests.

owner (producer account) · stranger (another producer) · chair, member (score) ·
secretary · outsider (member of another district's council) · admin.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation.models import (
    Council,
    CouncilMembership,
    Criterion,
    Dossier,
    DossierDocument,
    EvaluationRound,
    Rulebook,
    Sheet,
)
from registry.models import AdministrativeUnit, ProductSet
from tests.factories import ProducerFactory, ProductFactory, commune, district


def _user(username, **extra):
    return get_user_model().objects.create_user(username, password="x", **extra)


def _council(name, district_code, people):
    unit = AdministrativeUnit.objects.get(level="district", code=district_code)
    council = Council.objects.create(name=name, level="district", unit=unit)
    for user, role in people:
        CouncilMembership.objects.create(council=council, user=user, role=role)
    return council


@pytest.fixture
def cast(db):
    users = {
        name: _user(name)
        for name in ["owner", "stranger", "chair", "member", "secretary", "outsider"]
    }
    users["admin"] = get_user_model().objects.create_superuser("admin", "a@example.vn", "x")
    council = _council(
        "Hội đồng Đông Anh",
        "017",
        [(users["chair"], "chair"), (users["member"], "member"), (users["secretary"], "secretary")],
    )
    _council("Hội đồng Mỹ Đức", "282", [(users["outsider"], "member")])
    rulebook = Rulebook.objects.get(code="qd148-2023")
    round_ = EvaluationRound.objects.create(
        name="Đông Anh 2024",
        rulebook=rulebook,
        level="district",
        unit=council.unit,
        council=council,
        opens_on=date(2024, 5, 1),
        closes_on=date(2024, 6, 30),
    )
    producer = ProducerFactory(commune=commune("Xã Đông Anh"), district=district("017"))
    producer.users.add(users["owner"])
    ProducerFactory().users.add(users["stranger"])
    product = ProductFactory(producer=producer, product_set=ProductSet.objects.get(number=1))
    dossier = Dossier.objects.create(
        round=round_,
        product=product,
        sheet=Sheet.objects.get(rulebook=rulebook, product_set__number=1),
    )
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.SCORING)
    dossier.refresh_from_db()
    document = DossierDocument.objects.create(
        dossier=dossier,
        title="Giấy chứng nhận ATTP",
        file=SimpleUploadedFile("attp.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    criterion = Criterion.objects.filter(sheet=dossier.sheet).first()
    return {
        **users,
        "dossier": dossier,
        "document": document,
        "criterion": criterion,
        "option": criterion.options.order_by("-points").first(),
    }


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login
