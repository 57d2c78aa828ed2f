"""The shared cast, with what hostile tests post to: a draft dossier and cards on both."""

import pytest
from django.test import Client
from django.utils import timezone

from evaluation.models import Dossier, Scorecard
from tests.factories import ProductFactory, certificate_of, make_dossier


@pytest.fixture
def world(cast):
    """`cast` (tests/conftest.py), and:

    draft: the owner's second dossier, open for documents and self-assessment;
    scoring: the cast's dossier, which the chair has submitted a card on and member1 has a
      draft card on;
    chair_card: that submitted card;
    certificate: a certificate in force that Hoài Đức's district issued (Decision 148); the
      district abolished, Hà Nội's office revokes it.
    """
    draft = make_dossier(
        cast["round"],
        Dossier.Status.DRAFT,
        product=ProductFactory(producer=cast["producer"], stars=None, certified=False),
    )
    scoring = cast["dossier"]
    chair_card = Scorecard.objects.create(
        dossier=scoring,
        author=cast["chair"],
        status=Scorecard.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    Scorecard.objects.create(dossier=scoring, author=cast["member1"])
    # Opening a card creates it; made here, so that a request's only possible write is the
    # one it asks for.
    Scorecard.objects.create(dossier=draft, author=cast["owner"], kind=Scorecard.Kind.SELF)
    certified = ProductFactory(
        name="Gạo nếp cái hoa vàng Hoài Đức", producer=cast["producer"], stars=3
    )
    certificate = certificate_of(certified)
    certificate.level, certificate.unit = "district", cast["round"].unit
    certificate.save()
    return {
        **cast,
        "draft": draft,
        "scoring": scoring,
        "chair_card": chair_card,
        "certificate": certificate,
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
