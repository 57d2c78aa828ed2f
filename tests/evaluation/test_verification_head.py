"""The certificate check's head (evaluation/verification.py find_head) is kept per number
and public data version: a check rendered again (a new query string) reads no certificate
row while nothing changed; a revocation is a new version and shows at once; a number not
found is not kept."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import caching
from evaluation import certificates
from tests.factories import ProductFactory, act, certificate_of

pytestmark = pytest.mark.django_db


def test_the_head_is_kept_and_a_revocation_shows_at_once(client, people):
    product = ProductFactory(name="Trà sen Tây Hồ", stars=5)
    certificate = certificate_of(product)
    url = reverse("evaluation:verify", args=[certificate.number])
    assert client.get(url + "?a=1").status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get(url + "?a=2").status_code == 200
    assert not [q for q in again.captured_queries if 'FROM "evaluation_certificate"' in q["sql"]]
    certificates.revoke(
        certificate,
        ground=certificate.Ground.choices[0][0],
        inspection_reference="KL-07/2026",
        concluded_on=timezone.localdate(),
        actor=people["inspector"],
        act=act(),
    )
    verdict = client.get(url + "?a=3").content.decode()
    assert 'class="alert alert-danger" id="verdict"' in verdict


def test_a_number_not_found_is_not_kept(client):
    response = client.get(reverse("evaluation:verify", args=["OCOP-99-2025-X00001"]))
    assert response.status_code in (200, 404)
    assert not [key for key in caching._local if key.startswith("certificate-head:")]
