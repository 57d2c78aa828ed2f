"""One rule, three forms: `certificate_state()` in Python, `Certificate.objects.in_state()` /
`current()` as SQL, and the product's own standing behind `Product.objects.public()`.

A grid of certificates covers every way a certificate can stand (own rulebook or none,
issued before every rulebook or after, inside or outside the re-evaluation window,
expired, kept in force past expiry while re-evaluated (and revoked meanwhile), revoked,
superseded); for several days each form must name the same rows.
"""

from datetime import date, timedelta

import pytest

from evaluation import validity
from evaluation.certificates import certificate_state, legacy_certificate, sync_standing
from evaluation.models import Certificate, Rulebook
from registry.models import Product
from tests.factories import ProductFactory

TODAY = date(2026, 12, 1)
DAYS = [
    TODAY - timedelta(days=400),
    TODAY,
    TODAY + timedelta(days=150),
    TODAY + timedelta(days=900),
]


@pytest.fixture(scope="module")
def grid(module_db):
    qd148 = Rulebook.objects.get(code="qd148-2023")
    qd26 = Rulebook.objects.get(code="qd26-2026")
    # Different windows, so that following the wrong rulebook shows.
    qd26.renewal_opens_days, qd26.renewal_closes_days = 300, 200
    qd26.save()
    made = []
    n = 0
    for rulebook in (None, qd148, qd26):
        for issued_on in (date(2021, 3, 1), date(2024, 6, 15), date(2026, 8, 1)):
            for expires_after in (30, 160, 250, 700, 1096):
                for ending in ("", "revoked", "superseded", "extended", "extended_revoked"):
                    n += 1
                    product = ProductFactory(name=f"Sản phẩm lưới {n}", stars=4, certified=False)
                    certificate = legacy_certificate(
                        product, issued_on=issued_on, number=f"GRID-{n:04d}"
                    )
                    certificate.rulebook = rulebook
                    certificate.expires_on = TODAY + timedelta(days=expires_after - 400)
                    if certificate.expires_on <= issued_on:
                        certificate.expires_on = issued_on + timedelta(days=1)
                    if ending.startswith("extended"):
                        # Điều 12 khoản 3: in force up to 180 days past expiry.
                        certificate.extended_until = certificate.expires_on + timedelta(180)
                    certificate.save()
                    if ending.endswith("revoked"):
                        certificate.revoked_on = TODAY - timedelta(days=10)
                        certificate.revocation_ground = Certificate.Ground.MARK_MISUSE
                        certificate.inspection_reference = "KL 1/2026"
                        certificate.save()
                    elif ending == "superseded":
                        newer = legacy_certificate(
                            product, issued_on=TODAY - timedelta(days=5), number=f"GRID-{n:04d}N"
                        )
                        newer.save()
                        certificate.superseded_by = newer
                        certificate.save()
                    sync_standing(product)
                    made.append(certificate)
    return made


@pytest.mark.parametrize("today", DAYS)
def test_every_state_is_the_same_rows_in_python_and_in_sql(grid, today, db):
    rulebooks = list(Rulebook.objects.all())
    everything = list(Certificate.objects.select_related("rulebook"))
    seen = set()
    for state in validity.State:
        in_python = {c.pk for c in everything if certificate_state(c, today, rulebooks) == state}
        in_sql = set(Certificate.objects.in_state(state, today).values_list("pk", flat=True))
        assert in_sql == in_python, state
        if in_python:
            seen.add(state)
    in_force = {
        c.pk for c in everything if certificate_state(c, today, rulebooks) in validity.IN_FORCE
    }
    assert set(Certificate.objects.current(today).values_list("pk", flat=True)) == in_force
    if today == TODAY:  # the grid reaches every state on this day
        assert seen == set(validity.State)


@pytest.mark.parametrize("today", [d for d in DAYS if d >= TODAY])
def test_public_products_are_those_whose_certificate_is_in_force(grid, today, db):
    # Today and later only: a product's standing is what its certificates say now, so a
    # day before a revocation no longer shows the revoked certificate's product.
    in_force = set(Certificate.objects.current(today).values_list("product_id", flat=True))
    assert set(Product.objects.public(today).values_list("pk", flat=True)) == in_force
