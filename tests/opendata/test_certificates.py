"""/api/certificates/: the public register of certificates, in force or not."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from evaluation.certificates import certificate_state, legacy_certificate
from evaluation.models import Certificate, Rulebook
from tests.factories import ProductFactory, certificate_of, certify
from tests.opendata.helpers import revoke

pytestmark = pytest.mark.django_db
URL = "/api/certificates/"


def by_number(response):
    assert response.status_code == 200, response.content
    return {c["number"]: c for c in response.json()["results"]}


@pytest.fixture
def every_state():
    """One certificate in each state, on published products."""
    today = timezone.localdate()
    superseded = ProductFactory(name="Mật ong bạc hà", stars=4)
    old = certificate_of(superseded)
    new = legacy_certificate(
        superseded, issued_on=today - timedelta(days=5), number="TEST-NEW-000001"
    )
    new.save()
    old.superseded_by = new
    old.save()
    expiring = ProductFactory(name="Chè Shan tuyết", stars=3, certified=False)
    # Expires in 150 days: inside the 180-to-120-day re-evaluation window.
    certificate = certify(expiring, issued_on=today - timedelta(days=900))
    certificate.expires_on = today + timedelta(days=150)
    certificate.save()
    expired = ProductFactory(name="Cốm làng Vòng", stars=4, certified=False)
    certify(expired, issued_on=today - timedelta(days=4 * 365))
    revoked = ProductFactory(name="Nem chua", stars=5)
    revoke(certificate_of(revoked))
    valid = ProductFactory(name="Gạo nếp cái hoa vàng", stars=5)
    # Expired, but kept in force while its late re-evaluation is pending (Điều 12 khoản 3).
    extended = certify(
        ProductFactory(name="Tương Bần", stars=4, certified=False),
        issued_on=today - timedelta(days=4 * 365),
    )
    extended.extended_until = today + timedelta(days=30)
    extended.save()
    return {
        "extended": Certificate.objects.get(pk=extended.pk),
        "valid": certificate_of(valid),
        "expiring": Certificate.objects.get(pk=certificate.pk),
        "expired": certificate_of(expired),
        "revoked": Certificate.objects.get(product=revoked),
        "superseded": Certificate.objects.get(pk=old.pk),
    }


def test_lists_certificates_of_published_products_in_any_state(client, every_state):
    listed = by_number(client.get(URL))
    for state, certificate in every_state.items():
        assert listed[certificate.number]["state"] == state


def test_certificates_of_unpublished_products_are_not_listed(client, products):
    listed = by_number(client.get(URL))
    assert certificate_of(products["unpublished"]).number not in listed
    assert certificate_of(products["withdrawn_only"]).number not in listed
    response = client.get(f"{URL}{certificate_of(products['unpublished']).number}/")
    assert response.status_code == 404


def test_a_certificate_as_data(client, products):
    bun = products["bun"]
    item = by_number(client.get(URL))[certificate_of(bun).number]
    assert item == {
        "number": certificate_of(bun).number,
        "product": {
            "slug": bun.slug,
            "name": "Bún khô Minh Dương",
            "url": f"http://testserver/san-pham/{bun.slug}/",
        },
        "producer": {"name": "HTX Bún Minh Dương"},
        "stars": 4,
        "level": "province",
        "unit": None,
        "issued_on": certificate_of(bun).issued_on.isoformat(),
        "expires_on": certificate_of(bun).expires_on.isoformat(),
        "extended_until": None,
        "state": "valid",
        "revoked_on": None,
        "revocation_ground": None,
        "superseded_by": None,
    }


def test_a_revoked_certificate_says_when_and_why(client, products):
    certificate = Certificate.objects.get(product=products["revoked"])
    item = client.get(f"{URL}{certificate.number}/").json()
    assert item["state"] == "revoked"
    assert item["revoked_on"] == certificate.revoked_on.isoformat()
    assert item["revocation_ground"] == "criteria_not_met"
    assert item["product"]["url"] is None  # the product is off the catalogue
    assert "KL 12/2026" not in str(item)  # the inspection reference is not published


def test_a_certificate_kept_in_force_past_expiry_says_until_when(client, every_state):
    certificate = every_state["extended"]
    item = client.get(f"{URL}{certificate.number}/").json()
    assert item["state"] == "extended"
    assert item["extended_until"] == certificate.extended_until.isoformat()
    assert item["expires_on"] < item["extended_until"]


def test_a_superseded_certificate_names_its_successor(client, every_state):
    item = client.get(f"{URL}{every_state['superseded'].number}/").json()
    assert item["state"] == "superseded"
    assert item["superseded_by"] == "TEST-NEW-000001"


def test_detail_by_number_ignores_case_and_spaces(client, products):
    number = certificate_of(products["tra"]).number
    assert client.get(f"{URL}{number.lower()}/").json()["number"] == number
    assert client.get(f"{URL}NO-SUCH-NUMBER/").status_code == 404


def test_filter_by_number(client, products):
    number = certificate_of(products["tra"]).number
    assert list(by_number(client.get(URL, {"number": f" {number.lower()} "}))) == [number]


@pytest.mark.parametrize(
    "state", ["valid", "expiring", "extended", "expired", "revoked", "superseded"]
)
def test_filter_by_state_agrees_with_certificate_state(client, every_state, products, state):
    listed = by_number(client.get(URL, {"state": state, "page_size": 100}))
    assert every_state[state].number in listed
    today = timezone.localdate()
    for number in listed:
        assert certificate_state(Certificate.objects.get(number=number), today) == state


def test_state_filter_uses_each_rulebooks_window(client):
    """A certificate follows its own rulebook's re-evaluation window; one issued outside
    the system follows the rulebook governing its issue date (the oldest held, before
    them all)."""
    qd148, qd26 = Rulebook.objects.get(code="qd148-2023"), Rulebook.objects.get(code="qd26-2026")
    qd26.renewal_opens_days, qd26.renewal_closes_days = 400, 300
    qd26.save()
    own = certificate_of(ProductFactory(name="Theo sổ tay", stars=4))
    recent = certificate_of(ProductFactory(name="Không sổ tay", stars=4))
    old = certificate_of(ProductFactory(name="Không sổ tay cũ", stars=4))
    cases = [(own, qd148, None), (recent, None, None), (old, None, date(2020, 1, 1))]
    for certificate, rulebook, issued_on in cases:
        certificate.rulebook = rulebook
        certificate.issued_on = issued_on or certificate.issued_on
        certificate.expires_on = timezone.localdate() + timedelta(days=350)
        certificate.save()
    assert list(by_number(client.get(URL, {"state": "expiring"}))) == [recent.number]
    valid = by_number(client.get(URL, {"state": "valid"}))
    assert own.number in valid and old.number in valid and recent.number not in valid
    for certificate in (own, recent, old):
        assert certificate_state(certificate).value in ("valid", "expiring")
    assert certificate_state(recent).value == "expiring"


def test_filter_by_stars_and_product(client, products):
    listed = by_number(client.get(URL, {"product": products["tra"].slug}))
    assert list(listed) == [certificate_of(products["tra"]).number]
    assert all(c["stars"] == 5 for c in by_number(client.get(URL, {"stars": 5})).values())
    assert client.get(URL, {"state": "lost"}).status_code == 400


def test_a_longer_string_that_starts_with_a_number_is_no_certificate(client, products):
    """The number is cut to its longest length only to look up, never to match a prefix."""
    number = certificate_of(products["tra"]).number
    longer = number + "X" * 41
    assert client.get(f"{URL}{longer}/").status_code == 404
    assert by_number(client.get(URL, {"number": longer})) == {}
