"""The cast every hostile test posts as: one district with its council, office and producer."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from evaluation.models import (
    Council,
    CouncilMembership,
    Dossier,
    EvaluationRound,
    OfficialRole,
    Rulebook,
    Scorecard,
    Sheet,
)
from registry.models import AdministrativeUnit, ProductSet
from tests.factories import ProducerFactory, ProductFactory, certificate_of, commune, district


def _user(username):
    """Without a usable password: tests sign in with force_login, so no typed password,
    however hostile, can ever be the right one."""
    return get_user_model().objects.create_user(username, f"{username}@example.vn")


@pytest.fixture
def world(db):
    """One district (Đông Anh) with its council, office, a producer and its dossiers.

    draft: the producer's dossier, open for documents and self-assessment.
    scoring: the council scores it; the chair has submitted, the member has a draft card.
    certificate: a certificate in force that Đông Anh's office may revoke.
    """
    people = {
        name: _user(name) for name in ["owner", "chair", "member", "secretary", "office", "citizen"]
    }
    people["admin"] = get_user_model().objects.create_superuser("admin", "admin@example.vn")
    dong_anh = AdministrativeUnit.objects.get(level="district", code="017")
    OfficialRole.objects.create(
        user=people["office"], kind="office", level="district", unit=dong_anh
    )
    council = Council.objects.create(name="Hội đồng Đông Anh", level="district", unit=dong_anh)
    for name in ["chair", "member", "secretary"]:
        CouncilMembership.objects.create(council=council, user=people[name], role=name)
    rulebook = Rulebook.objects.get(code="qd148-2023")
    sheet = Sheet.objects.get(rulebook=rulebook, product_set__number=1)
    round_ = EvaluationRound.objects.create(
        name="Đông Anh 2024",
        rulebook=rulebook,
        level="district",
        unit=dong_anh,
        council=council,
        opens_on=date(2024, 5, 1),
        closes_on=date(2024, 6, 30),
    )
    producer = ProducerFactory(commune=commune("Xã Đông Anh"), district=district("017"))
    producer.users.add(people["owner"])

    def dossier(status):
        product = ProductFactory(
            producer=producer, product_set=ProductSet.objects.get(number=1), stars=None
        )
        made = Dossier.objects.create(round=round_, product=product, sheet=sheet)
        Dossier.objects.filter(pk=made.pk).update(status=status)
        made.refresh_from_db()
        return made

    draft = dossier(Dossier.Status.DRAFT)
    scoring = dossier(Dossier.Status.SCORING)
    chair_card = Scorecard.objects.create(
        dossier=scoring,
        author=people["chair"],
        status=Scorecard.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    Scorecard.objects.create(dossier=scoring, author=people["member"])
    # Opening a card creates it; made here, so that a request's only possible write is the
    # one it asks for.
    Scorecard.objects.create(dossier=draft, author=people["owner"], kind=Scorecard.Kind.SELF)
    certified = ProductFactory(name="Gạo nếp cái hoa vàng Đông Anh", producer=producer, stars=3)
    certificate = certificate_of(certified)
    certificate.level, certificate.unit = "district", dong_anh
    certificate.save()
    return {
        **people,
        "producer": producer,
        "draft": draft,
        "scoring": scoring,
        "chair_card": chair_card,
        "certificate": certificate,
        "sheet": sheet,
    }


@pytest.fixture(autouse=True)
def static_files_found_on_request(settings):
    """Every example makes a new client, and each new client starts the middleware again:
    WhiteNoise would index every static file each time (0.2 s, most of an example's cost).
    With autorefresh it looks a file up only when one is asked for, which these tests never do."""
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture
def browser_like():
    """A client that answers 500 like a server would instead of raising into the test, so
    the status code itself is asserted; errors are still caught by no_error_logged()."""

    def make(user=None):
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        return client

    return make
