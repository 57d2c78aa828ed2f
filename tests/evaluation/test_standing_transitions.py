"""The visibility stored on the product (`certified_until`, behind `public()`) follows the
one certificate rule through every transition: issue, expiry by the date passing (no job
runs), extension while re-evaluated, its end, supersession, revocation, deletion. At each
step and on the days around it, `public()` names the products that have a certificate
in force (`Certificate.objects.current`, validity.in_force_q)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation import certificates
from evaluation.certificates import legacy_certificate
from evaluation.models import Certificate
from registry.models import Product
from tests.factories import ProductFactory, act, certify

pytestmark = pytest.mark.django_db


def in_step(product, *days):
    """The stored standing and the rule agree on each day; returns the first day's answer."""
    answers = []
    for day in days:
        stored = Product.objects.public(day).filter(pk=product.pk).exists()
        ruled = Certificate.objects.current(day).filter(product=product).exists()
        assert stored == ruled, day
        answers.append(stored)
    return answers


def certify_again(product, issued_on):
    certificate = legacy_certificate(product, issued_on=issued_on, number=f"TEST2-{product.pk}")
    certificate.save()
    return certificate


@pytest.fixture
def product():
    return ProductFactory(name="Mật ong Ba Vì", stars=4, certified=False)


def test_issue_then_expiry_by_the_date_alone(product):
    today = timezone.localdate()
    certificate = certify(product, issued_on=today - timedelta(days=10))
    end = certificate.expires_on
    # Public until the day before expiry, not on it: nothing has to run at midnight.
    assert in_step(product, today, end - timedelta(days=1), end, end + timedelta(days=1)) == [
        True,
        True,
        False,
        False,
    ]


def test_extension_and_its_end(product, people):
    today = timezone.localdate()
    certificate = certify(product, issued_on=today - timedelta(days=3 * 365))
    end = certificate.expires_on
    certificates.extend_while_reevaluated(certificate, end + timedelta(days=180), people["admin"])
    assert in_step(product, end + timedelta(days=100), end + timedelta(days=180)) == [True, False]
    certificates.end_extension(product, end + timedelta(days=30), people["admin"])
    assert in_step(product, end + timedelta(days=29), end + timedelta(days=30)) == [True, False]


def test_supersession_keeps_the_product_public_on_the_new_certificate(product):
    today = timezone.localdate()
    older = certify(product, issued_on=today - timedelta(days=400))
    newer = certify_again(product, today - timedelta(days=2))
    older.superseded_by = newer
    older.save()
    product.refresh_from_db()
    assert product.certified_until == newer.expires_on
    assert in_step(product, today, older.expires_on, newer.expires_on) == [True, True, False]


def test_revocation_hides_the_product_from_that_day(product, people):
    today = timezone.localdate()
    certificate = certify(product, issued_on=today - timedelta(days=30))
    certificates.revoke(
        certificate,
        ground=Certificate.Ground.choices[0][0],
        inspection_reference="KL-03/2026",
        concluded_on=today,
        actor=people["inspector"],
        act=act(),
    )
    assert in_step(product, today, today + timedelta(days=1)) == [False, False]


def test_a_certificate_deleted_takes_the_standing_with_it(product):
    today = timezone.localdate()
    older = certify(product, issued_on=today - timedelta(days=300))
    newer = certify_again(product, today - timedelta(days=2))
    newer.delete()
    assert in_step(product, today) == [True]
    product.refresh_from_db()
    assert product.certified_until == older.expires_on
    older.delete()
    assert in_step(product, today) == [False]
    product.refresh_from_db()
    assert product.certified_until is None


def test_an_admin_edit_of_the_dates_is_followed(product):
    today = timezone.localdate()
    certificate = certify(product, issued_on=today - timedelta(days=30))
    certificate.expires_on = today
    certificate.save()
    assert in_step(product, today - timedelta(days=1), today) == [True, False]
