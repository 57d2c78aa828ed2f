"""Certificates (evaluation.certificates): the date rules, issuing, superseding, revoking.

The pure rules come first and touch no table. The services run on the database with a
frozen clock: a Hoài Đức district round under Decision 148 recognises a product, the
Hanoi city round upgrades it, an inspection revokes it.
"""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.db import IntegrityError, transaction

from evaluation import certificates, validity
from evaluation.access import certificates_visible_to, may_revoke, revocable_q
from evaluation.acts import ActError
from evaluation.certificates import (
    Authority,
    CertificateError,
    authority_for,
    needing_reevaluation,
    revocation_error,
    revoke,
)
from evaluation.decisions import decide
from evaluation.models import (
    Certificate,
    Dossier,
    OfficialRole,
    Rulebook,
)
from evaluation.scoring import recompute_result
from evaluation.validity import State, add_months
from registry.models import IntellectualPropertyTitle, Product
from tests.factories import (
    ProductFactory,
    act,
    at_result,
    bare_round,
    certificate_of,
    certify,
    commune,
    district,
    new_product,
)

# The terms of Decisions 148 and 26/2026 (36 months; re-evaluation 180 to 120 days before
# expiry), as the pure rules receive them from a rulebook.
TERMS = {"opens_days": 180, "closes_days": 120}


def state(**kwargs):
    return validity.state(**{**TERMS, **kwargs})


def expiry_date(issued_on, months=36):
    return validity.expiry_date(issued_on, months)


def renewal_window(expires_on, **kwargs):
    return validity.renewal_window(expires_on, **{**TERMS, **kwargs})


pytestmark = pytest.mark.django_db

S = Dossier.Status
Ground = Certificate.Ground

EXPIRES = date(2027, 1, 31)
OPENS = date(2026, 8, 4)  # 180 days before EXPIRES
CLOSES = date(2026, 10, 3)  # 120 days before EXPIRES
ISSUED = date(2024, 5, 10)  # the day the district recognises the product
QD148_SIGNED = date(2023, 2, 24)  # from then on 4★ and 5★ need a granted IP title
CONCLUDED = date(2024, 12, 2)  # an inspection conclusion, before any revocation here


# ---------------------------------------------------------------- pure: dates
@pytest.mark.parametrize(
    ("issued_on", "expires_on"),
    [
        (date(2024, 1, 31), date(2027, 1, 31)),
        (date(2024, 2, 29), date(2027, 2, 28)),  # no 29 February in 2027
        (date(2023, 11, 30), date(2026, 11, 30)),
        (date(2024, 5, 10), date(2027, 5, 10)),
    ],
)
def test_a_certificate_expires_36_months_after_issue(issued_on, expires_on):
    assert expiry_date(issued_on) == expires_on
    assert expiry_date(issued_on, 36) == expires_on


def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 3, 31), 1) == date(2024, 4, 30)
    assert add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)
    assert add_months(date(2024, 11, 30), 14) == date(2026, 1, 30)


def test_the_renewal_window_opens_180_and_closes_120_days_before_expiry():
    window = renewal_window(EXPIRES)
    assert (window.opens, window.closes) == (OPENS, CLOSES)
    assert EXPIRES - window.opens == timedelta(days=180)
    assert EXPIRES - window.closes == timedelta(days=120)


def test_both_edges_of_the_renewal_window_are_inside_it():
    window = renewal_window(EXPIRES)
    assert window.contains(OPENS)
    assert window.contains(CLOSES)
    assert window.contains(date(2026, 9, 1))
    assert not window.contains(OPENS - timedelta(days=1))
    assert not window.contains(CLOSES + timedelta(days=1))


def test_the_renewal_window_follows_the_rulebook_days():
    window = renewal_window(EXPIRES, opens_days=90, closes_days=30)
    assert (window.opens, window.closes) == (EXPIRES - timedelta(90), EXPIRES - timedelta(30))


# ---------------------------------------------------------------- pure: state
@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 1, 31), State.VALID),  # the day of issue
        (OPENS - timedelta(days=1), State.VALID),
        (OPENS, State.EXPIRING),
        (CLOSES, State.EXPIRING),
        # After the filing window closes the certificate is still in force; "expiring"
        # means "the re-evaluation window is open", which it no longer is.
        (CLOSES + timedelta(days=1), State.VALID),
        (EXPIRES - timedelta(days=1), State.VALID),
        (EXPIRES, State.EXPIRED),
        (EXPIRES + timedelta(days=400), State.EXPIRED),
    ],
    ids=str,
)
def test_state_by_date(today, expected):
    assert state(expires_on=EXPIRES, today=today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (EXPIRES - timedelta(days=1), State.VALID),
        (EXPIRES, State.EXTENDED),
        (EXPIRES + timedelta(days=179), State.EXTENDED),
        (EXPIRES + timedelta(days=180), State.EXPIRED),
    ],
    ids=str,
)
def test_a_certificate_kept_in_force_past_expiry_is_extended_until_then(today, expected):
    until = EXPIRES + timedelta(days=180)  # Điều 12 khoản 3: at most 180 days
    assert state(expires_on=EXPIRES, today=today, extended_until=until) == expected
    assert (expected in validity.IN_FORCE) is (expected != State.EXPIRED)


def test_revoked_and_superseded_win_over_an_extension():
    until = EXPIRES + timedelta(days=180)
    after = EXPIRES + timedelta(days=10)
    assert state(expires_on=EXPIRES, today=after, extended_until=until, revoked_on=after) == (
        State.REVOKED
    )
    assert state(expires_on=EXPIRES, today=after, extended_until=until, superseded=True) == (
        State.SUPERSEDED
    )


def test_the_day_before_expiry_is_expiring_when_the_window_reaches_it():
    assert state(expires_on=EXPIRES, today=EXPIRES - timedelta(1), closes_days=1) == State.EXPIRING
    assert state(expires_on=EXPIRES, today=EXPIRES, closes_days=0) == State.EXPIRED


@pytest.mark.parametrize("today", [OPENS - timedelta(1), OPENS, EXPIRES, EXPIRES + timedelta(1)])
def test_revoked_wins_over_superseded_and_over_dates(today):
    revoked_on = date(2025, 3, 1)
    assert state(expires_on=EXPIRES, today=today, revoked_on=revoked_on) == State.REVOKED
    assert (
        state(expires_on=EXPIRES, today=today, revoked_on=revoked_on, superseded=True)
        == State.REVOKED
    )


@pytest.mark.parametrize("today", [OPENS - timedelta(1), OPENS, EXPIRES, EXPIRES + timedelta(1)])
def test_superseded_wins_over_dates(today):
    assert state(expires_on=EXPIRES, today=today, superseded=True) == State.SUPERSEDED


def test_revoked_counts_from_the_day_of_revocation():
    revoked_on = date(2025, 3, 1)
    before = revoked_on - timedelta(days=1)
    assert state(expires_on=EXPIRES, today=revoked_on, revoked_on=revoked_on) == State.REVOKED
    # A revocation dated in the future has not happened yet.
    assert state(expires_on=EXPIRES, today=before, revoked_on=revoked_on) == State.VALID
    assert (
        state(expires_on=EXPIRES, today=before, revoked_on=revoked_on, superseded=True)
        == State.SUPERSEDED
    )


def test_every_state_has_a_label():
    assert set(validity.STATE_LABELS) == set(State)


# ---------------------------------------------------------------- pure: revocation grounds
# (the conclusion's date and today, as a revocation on 1 March 2025 passes them)
DATED = (date(2025, 2, 20), date(2025, 3, 1))


def test_there_are_six_grounds_for_revocation():
    assert len(Ground.values) == 6


@pytest.mark.parametrize("ground", Ground.values)
def test_each_of_the_six_grounds_is_accepted(ground):
    assert (
        revocation_error(ground, "Kết luận thanh tra số 12/KL-TTr ngày 01/3/2025", *DATED) is None
    )


@pytest.mark.parametrize("ground", ["", "bad_smell", "FALSE_INFORMATION"])
def test_an_unknown_ground_is_refused(ground):
    assert revocation_error(ground, "Kết luận số 12/KL-TTr", *DATED) is not None


@pytest.mark.parametrize("reference", ["", "   ", "\n\t"])
def test_a_blank_inspection_reference_is_refused(reference):
    assert revocation_error(Ground.MARK_MISUSE, reference, *DATED) is not None


def test_the_ground_and_the_inspection_are_refused_with_different_sentences():
    assert revocation_error("nope", "Kết luận số 12", *DATED) != revocation_error(
        Ground.MARK_MISUSE, "", *DATED
    )


def test_a_revocation_needs_the_date_of_the_conclusion_and_not_a_future_one():
    conclusion = "Kết luận số 12/KL-TTr"
    assert "Hãy ghi ngày" in revocation_error(
        Ground.MARK_MISUSE, conclusion, None, date(2026, 3, 1)
    )
    future = revocation_error(Ground.MARK_MISUSE, conclusion, date(2026, 3, 2), date(2026, 3, 1))
    assert "sau ngày hôm nay" in future


# ---------------------------------------------------------------- database: fixtures
@pytest.fixture
def district_round(qd148):
    return bare_round(qd148, "district", district("274"), "Hoài Đức 2024 đợt 1")


@pytest.fixture
def city_round(qd148, hanoi):
    return bare_round(qd148, "province", hanoi, "Hà Nội 2024 đợt 1")


@pytest.fixture
def office(people):
    """Hoài Đức district's office, of the shared cast."""
    return people["district_office"]


@pytest.fixture
def city_office(people):
    """Hà Nội's office, of the shared cast."""
    return people["city_office"]


@pytest.fixture
def inspector(people):
    """Hà Nội's inspector, of the shared cast."""
    return people["inspector"]


@pytest.fixture
def recognised(district_round, office):
    """A product recognised 3★ by Hoài Đức district on ISSUED; returns its certificate."""
    product = new_product()
    dossier = at_result(district_round, product, stars=3, mean="62.50")
    with time_machine.travel(ISSUED, tick=False):
        decide(dossier, S.RECOGNISED, office, act=act())
    return Certificate.objects.get(dossier=dossier)


def is_public(product, day):
    with time_machine.travel(day, tick=False):
        return Product.objects.public().filter(pk=product.pk).exists()


# ---------------------------------------------------------------- database: issue
def test_recognition_issues_the_certificate_and_makes_it_the_products(district_round, office):
    product = new_product()
    dossier = at_result(district_round, product, stars=4, mean="80.00")

    with time_machine.travel(ISSUED, tick=False):
        decide(dossier, S.RECOGNISED, office, act=act())

    certificate = Certificate.objects.get(dossier=dossier)
    assert certificate.number == f"OCOP-274-2024-{dossier.pk:06d}"
    assert certificate.level == "district"
    assert certificate.unit == district("274")
    assert certificate.rulebook == district_round.rulebook
    assert certificate.stars == 3  # a district recognises a 4★ result as 3★
    assert certificate.issued_on == ISSUED
    assert certificate.expires_on == date(2027, 5, 10)
    assert certificate.created_by == office
    assert certificate.product == product
    assert certificate.superseded_by is None and certificate.revoked_on is None
    product.refresh_from_db()
    assert certificate_of(product) == certificate
    assert product.stars == 3
    assert certificates.certificate_state(certificate, ISSUED) == State.VALID
    assert is_public(product, ISSUED)


def test_an_upgrade_supersedes_the_earlier_certificate(recognised, city_round, city_office, hanoi):
    product = recognised.product
    city_dossier = at_result(city_round, product, stars=4, mean="82.00")
    later = date(2025, 1, 15)

    with time_machine.travel(later, tick=False):
        decide(city_dossier, S.RECOGNISED, city_office, act=act())

    upgraded = Certificate.objects.get(dossier=city_dossier)
    recognised.refresh_from_db()
    product.refresh_from_db()
    assert (upgraded.stars, upgraded.level, upgraded.unit) == (4, "province", hanoi)
    assert upgraded.number == f"OCOP-01-2025-{city_dossier.pk:06d}"
    assert recognised.superseded_by == upgraded
    assert upgraded.superseded_by is None
    assert (certificate_of(product), product.stars) == (upgraded, 4)
    assert certificates.certificate_state(recognised, later) == State.SUPERSEDED
    assert certificates.certificate_state(upgraded, later) == State.VALID
    # One product, one certificate in force: nothing shows twice.
    assert list(Certificate.objects.filter(product=product).current(later)) == [upgraded]
    with time_machine.travel(later, tick=False):
        assert list(Product.objects.public().filter(pk=product.pk)) == [product]


# ---------------------------------------------------------------- database: revoke
@pytest.mark.parametrize(
    ("ground", "reference"),
    [("", "Kết luận số 12/KL-TTr"), ("no_such_ground", "Kết luận số 12/KL-TTr")]
    + [(Ground.LAW_VIOLATION, ""), (Ground.LAW_VIOLATION, "   ")],
)
def test_revoking_without_a_ground_or_an_inspection_writes_nothing(
    recognised, inspector, ground, reference
):
    history = recognised.history.count()

    with pytest.raises(CertificateError):
        revoke(
            recognised,
            ground=ground,
            inspection_reference=reference,
            concluded_on=CONCLUDED,
            actor=inspector,
            act=act(),
        )

    recognised.refresh_from_db()
    assert recognised.revoked_on is None
    assert (recognised.revocation_ground, recognised.inspection_reference) == ("", "")
    assert recognised.history.count() == history
    recognised.product.refresh_from_db()
    assert certificate_of(recognised.product) == recognised
    assert recognised.product.stars == 3


def test_revoking_clears_the_product_and_takes_it_off_the_public_pages(recognised, inspector):
    product = recognised.product
    day = date(2025, 3, 1)
    assert is_public(product, day)

    with time_machine.travel(day, tick=False):
        revoked = revoke(
            recognised,
            ground=Ground.MARK_MISUSE,
            inspection_reference="  Kết luận thanh tra số 12/KL-TTr ngày 01/3/2025 ",
            concluded_on=date(2025, 3, 1),
            actor=inspector,
            note="Dùng nhãn 4 sao",
            act=act(),
        )

    recognised.refresh_from_db()
    assert revoked.pk == recognised.pk
    assert recognised.revoked_on == day
    assert recognised.revocation_ground == Ground.MARK_MISUSE
    assert recognised.inspection_reference == "Kết luận thanh tra số 12/KL-TTr ngày 01/3/2025"
    assert recognised.revocation_note == "Dùng nhãn 4 sao"
    product.refresh_from_db()
    assert (certificate_of(product), product.stars) == (None, None)
    assert not is_public(product, day)
    assert certificates.certificate_state(recognised, day) == State.REVOKED


def test_a_certificate_cannot_be_revoked_twice(recognised, inspector):
    revoke(
        recognised,
        ground=Ground.CRITERIA_NOT_MET,
        inspection_reference="KL 1",
        concluded_on=CONCLUDED,
        actor=inspector,
        act=act(),
    )
    history = recognised.history.count()

    with pytest.raises(CertificateError):
        revoke(
            recognised,
            ground=Ground.MARK_MISUSE,
            inspection_reference="KL 2",
            concluded_on=CONCLUDED,
            actor=inspector,
            act=act(),
        )

    recognised.refresh_from_db()
    assert (recognised.revocation_ground, recognised.inspection_reference) == (
        Ground.CRITERIA_NOT_MET,
        "KL 1",
    )
    assert recognised.history.count() == history


def test_revoking_a_superseded_certificate_leaves_the_current_one(
    recognised, city_round, city_office, inspector
):
    product = recognised.product
    city_dossier = at_result(city_round, product, stars=4, mean="82.00")
    decide(city_dossier, S.RECOGNISED, city_office, act=act())

    revoke(
        recognised,
        ground=Ground.FALSE_INFORMATION,
        inspection_reference="KL 3",
        concluded_on=CONCLUDED,
        actor=inspector,
        act=act(),
    )

    product.refresh_from_db()
    assert certificate_of(product) == Certificate.objects.get(dossier=city_dossier)
    assert product.stars == 4


# ---------------------------------------------------------------- database: expiry
def test_a_product_leaves_the_public_pages_on_its_expiry_day(recognised):
    product = recognised.product
    assert recognised.expires_on == date(2027, 5, 10)
    assert is_public(product, recognised.expires_on - timedelta(days=1))
    assert not is_public(product, recognised.expires_on)
    assert not is_public(product, recognised.expires_on + timedelta(days=1))


def test_the_current_certificates_end_the_day_before_expiry(recognised):
    current = Certificate.objects.current
    assert current(recognised.expires_on - timedelta(days=1)).filter(pk=recognised.pk).exists()
    assert not current(recognised.expires_on).filter(pk=recognised.pk).exists()


# ---------------------------------------------------------------- database: constraints
def test_the_database_refuses_a_revoked_certificate_without_a_ground(recognised):
    rows = Certificate.objects.filter(pk=recognised.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(revoked_on=date(2025, 3, 1), inspection_reference="KL 4")
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(revoked_on=date(2025, 3, 1), revocation_ground=Ground.MARK_MISUSE)
    recognised.refresh_from_db()
    assert recognised.revoked_on is None


def test_the_database_accepts_a_revoked_row_with_ground_and_inspection(recognised):
    Certificate.objects.filter(pk=recognised.pk).update(
        revoked_on=date(2025, 3, 1),
        revocation_ground=Ground.PRODUCTION_STOPPED,
        inspection_reference="KL 5",
    )
    recognised.refresh_from_db()
    assert recognised.revoked_on == date(2025, 3, 1)


# ---------------------------------------------------------------- database: re-evaluation
def product_certified(stars, issued_on, ip_kinds=()):
    product = ProductFactory(stars=stars, certified=False)
    for kind in ip_kinds:
        IntellectualPropertyTitle.objects.create(product=product, kind=kind, number="4-2021-1")
    return certify(product, issued_on=issued_on)


def test_needing_reevaluation_lists_old_four_stars_without_a_granted_ip_title(inspector):
    Kind = IntellectualPropertyTitle.Kind
    old = date(2022, 6, 1)
    application_only = product_certified(4, old, [Kind.TRADEMARK_APPLICATION])
    no_title = product_certified(5, old)
    product_certified(4, old, [Kind.TRADEMARK_APPLICATION, Kind.TRADEMARK])
    product_certified(4, old, [Kind.GEOGRAPHICAL_INDICATION])
    product_certified(3, old, [Kind.TRADEMARK_APPLICATION])
    product_certified(4, QD148_SIGNED, [Kind.TRADEMARK_APPLICATION])  # issued under 148
    revoked = product_certified(4, old, [Kind.TRADEMARK_APPLICATION])
    revoke(
        revoked,
        ground=Ground.CRITERIA_NOT_MET,
        inspection_reference="KL 6",
        concluded_on=CONCLUDED,
        actor=inspector,
        act=act(),
    )

    listed = needing_reevaluation(Certificate.objects.all(), QD148_SIGNED)

    assert set(listed) == {application_only, no_title}
    assert listed.count() == 2  # an exclude over IP titles does not duplicate rows


def test_needing_reevaluation_leaves_out_a_superseded_certificate(city_round, city_office):
    Kind = IntellectualPropertyTitle.Kind
    old = product_certified(4, date(2022, 6, 1), [Kind.TRADEMARK_APPLICATION])
    decide(at_result(city_round, old.product, 4, "85.00"), S.RECOGNISED, city_office, act=act())
    assert not needing_reevaluation(Certificate.objects.all(), QD148_SIGNED).exists()


# ---------------------------------------------------------------- audit
def test_issuing_and_superseding_are_recorded_with_the_official(
    recognised, city_round, office, city_office
):
    [created] = recognised.history.all()
    assert created.history_type == "+"
    assert created.history_user == office
    assert (created.stars, created.issued_on) == (3, ISSUED)

    decide(
        at_result(city_round, recognised.product, 4, "82.00"), S.RECOGNISED, city_office, act=act()
    )

    superseded = recognised.history.order_by("history_id").last()
    assert superseded.history_type == "~"
    assert superseded.history_user == city_office
    assert superseded.superseded_by_id is not None
    delta = superseded.diff_against(created)
    assert delta.changed_fields == ["superseded_by"]


def test_revoking_is_recorded_with_the_inspector_and_what_changed(recognised, inspector):
    revoke(
        recognised,
        ground=Ground.LAW_VIOLATION,
        inspection_reference="Kết luận số 7/KL-QLTT",
        concluded_on=CONCLUDED,
        actor=inspector,
        act=act(),
    )

    before, after = recognised.history.order_by("history_id")
    assert after.history_type == "~"
    assert after.history_user == inspector
    delta = after.diff_against(before)
    assert "revoked_on" in delta.changed_fields
    assert {"revocation_ground", "inspection_reference"} <= set(delta.changed_fields)
    [change] = [c for c in delta.changes if c.field == "revoked_on"]
    assert change.old is None
    assert change.new is not None


def test_the_council_result_keeps_each_version(district_round):
    dossier = at_result(district_round, new_product(), stars=4, mean="80.00")
    result = dossier.result
    assert result.history.count() == 1

    # No card is submitted: recomputing finds no quorum, and the dossier goes back to scoring.
    recompute_result(dossier)

    result.refresh_from_db()
    assert result.outcome == "waiting_quorum"
    assert result.history.count() == 2
    first, second = result.history.order_by("history_id")
    assert (first.outcome, first.stars, first.mean) == ("final", 4, Decimal("80.00"))
    assert (second.outcome, second.stars) == ("waiting_quorum", None)
    assert {"outcome", "stars", "mean"} <= set(second.diff_against(first).changed_fields)
    dossier.refresh_from_db()
    assert dossier.status == S.SCORING


# ---------------------------------------------------------------- who revokes
# Decision 26/2026, Điều 8 khoản 2: the chair of the provincial people's committee revokes
# 3★ and 4★ certificates, the minister 5★ ones, whichever level issued them. A district's
# certificate (Decision 148) is the province's to revoke once districts were abolished.
def unit_of(level, pk, parent_id=None, abolished_on=None):
    return SimpleNamespace(level=level, pk=pk, parent_id=parent_id, abolished_on=abolished_on)


HANOI, HOAI_DUC = 1, 274
ABOLISHED = date(2025, 7, 1)


@pytest.mark.parametrize(
    ("level", "unit", "day", "expected"),
    [
        ("central", None, date(2026, 12, 1), Authority("central", None)),
        ("province", unit_of("province", HANOI), date(2026, 12, 1), Authority("province", HANOI)),
        # A district certificate, asked of the province: the district's province.
        (
            "province",
            unit_of("district", HOAI_DUC, HANOI, ABOLISHED),
            date(2026, 12, 1),
            Authority("province", HANOI),
        ),
        # A district's own power while it exists, the province's from its abolition.
        (
            "district",
            unit_of("district", HOAI_DUC, HANOI, ABOLISHED),
            date(2025, 6, 30),
            Authority("district", HOAI_DUC),
        ),
        (
            "district",
            unit_of("district", HOAI_DUC, HANOI, ABOLISHED),
            ABOLISHED,
            Authority("province", HANOI),
        ),
        (
            "district",
            unit_of("district", HOAI_DUC, HANOI, None),
            date(2030, 1, 1),
            Authority("district", HOAI_DUC),
        ),
        # No unit recorded (an imported list): the producer's province.
        ("province", None, date(2026, 12, 1), Authority("province", 79)),
        ("district", None, date(2024, 1, 1), Authority("province", 79)),
        (None, None, date(2026, 12, 1), None),
    ],
)
def test_where_the_power_to_revoke_lies(level, unit, day, expected):
    assert authority_for(level, unit=unit, home_province_id=79, today=day) == expected


@pytest.fixture
def district_certificate():
    """A 3★ certificate Hoài Đức district issued in 2024, under Decision 148."""
    product = ProductFactory(stars=3, certified=False)
    return certify(product, issued_on=date(2024, 5, 10), level="district", unit=district("274"))


def test_a_district_certificate_is_the_districts_to_revoke_until_july_2025(
    district_certificate, people
):
    before, after = date(2025, 6, 30), date(2026, 12, 1)
    assert may_revoke(people["district_office"], district_certificate, before)
    assert not may_revoke(people["city_office"], district_certificate, before)
    assert not may_revoke(people["district_office"], district_certificate, after)
    assert may_revoke(people["city_office"], district_certificate, after)
    assert not may_revoke(people["far_office"], district_certificate, after)
    assert not may_revoke(people["central_office"], district_certificate, after)
    assert not may_revoke(people["inspector"], district_certificate, after)
    assert may_revoke(people["admin"], district_certificate, after)


def test_a_five_star_certificate_is_the_ministrys_to_revoke(people):
    product = ProductFactory(stars=5, certified=False)
    five = certify(product, level="central")
    assert may_revoke(people["central_office"], five)
    assert not may_revoke(people["city_office"], five)


def test_the_revoking_office_lists_what_it_may_revoke(district_certificate, people):
    after = date(2026, 12, 1)
    assert district_certificate in certificates_visible_to(people["city_office"], after)
    assert district_certificate not in certificates_visible_to(people["far_office"], after)
    # The district office still sees what it issued, though it may no longer revoke it.
    assert district_certificate in certificates_visible_to(people["district_office"], after)


@pytest.mark.parametrize("day", [date(2024, 9, 1), date(2025, 6, 30), date(2026, 12, 1)])
def test_the_revocable_query_and_the_rule_agree(people, qd148, hanoi, day):
    """revocable_q (lists) and revoking_authority (each row) give the same certificates."""
    mixed = [
        certify(
            ProductFactory(stars=3, certified=False),
            issued_on=date(2024, 5, 1),
            level="district",
            unit=district("274"),
        ),
        certify(
            ProductFactory(stars=4, certified=False),
            issued_on=date(2024, 5, 1),
            level="province",
            unit=hanoi,
        ),
        certify(
            ProductFactory(stars=3, certified=False), issued_on=date(2024, 5, 1), level="district"
        ),
        certify(
            ProductFactory(stars=4, certified=False), issued_on=date(2026, 6, 1), level="province"
        ),
        certify(
            ProductFactory(stars=5, certified=False), issued_on=date(2024, 5, 1), level="central"
        ),
        certify(
            ProductFactory(
                stars=3,
                certified=False,
                producer__commune=commune("Phường Bà Rịa", "79"),
                producer__district=None,
            ),
            issued_on=date(2026, 6, 1),
            level="province",
        ),
    ]
    rulebooks = list(Rulebook.objects.all())
    rulebook = certificates.governing_rulebook(day, rulebooks)
    for who in ("district_office", "city_office", "central_office", "far_office"):
        for role in OfficialRole.objects.filter(user=people[who]).select_related("unit"):
            by_query = set(
                Certificate.objects.filter(revocable_q(role, day, rulebook)).filter(
                    pk__in=[c.pk for c in mixed]
                )
            )
            by_rule = {
                c
                for c in mixed
                if certificates.revoking_authority(c, day, rulebooks)
                == Authority(role.level, role.unit_id)
            }
            assert by_query == by_rule, (who, day)


def test_revoking_records_the_decision_of_the_authority_that_holds_the_power(
    district_certificate, people, hanoi
):
    with time_machine.travel(date(2026, 12, 1), tick=False):
        revoked = revoke(
            district_certificate,
            ground=Ground.PRODUCTION_STOPPED,
            inspection_reference="Xác nhận của UBND xã Hoài Đức số 3/XN-UBND",
            concluded_on=date(2026, 11, 20),
            actor=people["city_office"],
            act=act("45/QĐ-UBND", date(2026, 11, 28)),
        )
    record = revoked.revocation_decision
    assert (record.kind, record.level, record.unit) == ("revocation", "province", hanoi)
    assert record.rulebook.code == "qd26-2026"
    assert revoked.revoked_on == date(2026, 11, 28)  # from the decision's date
    assert revoked.inspection_concluded_on == date(2026, 11, 20)
    assert not certificates.revocation_due(revoked).late  # 15 days from the 20th
    assert (record.ground, record.inspection_reference) == (
        Ground.PRODUCTION_STOPPED,
        "Xác nhận của UBND xã Hoài Đức số 3/XN-UBND",
    )


def test_a_revocation_with_a_number_already_used_writes_nothing(district_certificate, people):
    other = certificate_of(ProductFactory(stars=4))
    revoke(
        other,
        ground=Ground.MARK_MISUSE,
        inspection_reference="KL 1",
        concluded_on=CONCLUDED,
        actor=None,
        act=act("9/QĐ-UBND"),
    )
    with pytest.raises(ActError):
        revoke(
            district_certificate,
            ground=Ground.MARK_MISUSE,
            inspection_reference="KL 2",
            concluded_on=CONCLUDED,
            actor=None,
            act=act("9/QĐ-UBND"),
        )
    district_certificate.refresh_from_db()
    assert district_certificate.revoked_on is None
