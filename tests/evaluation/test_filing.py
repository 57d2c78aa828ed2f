"""Filing a dossier (evaluation.filing): the rulebook of the filing day, the re-evaluation
window, and the certificate kept in force while a late re-evaluation is pending.

Decision 26/2026 took effect on 22 May 2026. Products come from Xã Hoài Đức, Hanoi: its
commune pre-checks under 26/2026; Hoài Đức district scored under 148.
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from evaluation import certificates, validity
from evaluation.decisions import decide
from evaluation.filing import file_dossier
from evaluation.models import Certificate, Dossier, DossierStatusChange
from evaluation.workflow import TransitionError, transition
from registry.models import Product
from tests.factories import (
    act,
    bare_round,
    certify,
    commune,
    complete_papers,
    district,
    give_result,
    make_dossier,
    new_product,
    office_of,
    province,
)

pytestmark = pytest.mark.django_db

S = Dossier.Status
State = validity.State
IN_FORCE_FROM = date(2026, 5, 22)


@pytest.fixture
def commune_round(qd26):
    return bare_round(qd26, "commune", commune("Xã Hoài Đức"), "Xã Hoài Đức 2026")


@pytest.fixture
def district_round(qd148):
    return bare_round(qd148, "district", district("274"), "Hoài Đức 2026 đợt 1")


@pytest.fixture
def owner(people):
    return people["citizen"]


def file_on(day, dossier, actor):
    complete_papers(dossier)
    with time_machine.travel(day, tick=False):
        return file_dossier(dossier, actor)


def certified(expires_on):
    """A 4★ product whose certificate expires on `expires_on` (issued 36 months before)."""
    product = new_product()
    product.stars = 4
    product.save()
    certificate = certify(product, issued_on=validity.add_months(expires_on, -36))
    assert certificate.expires_on == expires_on
    return product, certificate


def reevaluation(round_, product):
    return make_dossier(round_, product=product, kind=Dossier.Kind.REEVALUATION)


# ---------------------------------------------------------------- the rulebook of the day
def test_a_dossier_filed_under_the_rulebook_in_force_is_submitted(commune_round, owner):
    dossier = make_dossier(commune_round, product=new_product())

    file_on(date(2026, 6, 1), dossier, owner)

    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED
    assert dossier.history.get().to_status == S.SUBMITTED


def test_a_148_round_takes_no_dossier_filed_since_26_2026_took_effect(district_round, owner):
    dossier = make_dossier(district_round, product=new_product())

    with pytest.raises(TransitionError, match="26/2026/QĐ-TTg") as refused:
        file_on(IN_FORCE_FROM, dossier, owner)

    assert "Điều 12 khoản 2" in str(refused.value)
    dossier.refresh_from_db()
    assert dossier.status == S.DRAFT
    assert not DossierStatusChange.objects.filter(dossier=dossier).exists()


def test_a_148_dossier_filed_the_day_before_is_taken(district_round, owner):
    dossier = make_dossier(district_round, product=new_product())
    file_on(IN_FORCE_FROM - timedelta(days=1), dossier, owner)
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED


def test_a_26_2026_round_takes_no_dossier_before_it_took_effect(commune_round, owner):
    dossier = make_dossier(commune_round, product=new_product())
    with pytest.raises(TransitionError, match="148/QĐ-TTg"):
        file_on(IN_FORCE_FROM - timedelta(days=1), dossier, owner)


def test_a_148_dossier_returned_and_filed_again_stays_under_148(district_round, owner, people):
    dossier = make_dossier(district_round, product=new_product())
    file_on(date(2026, 5, 4), dossier, owner)
    transition(dossier, S.RETURNED, people["secretary"], "Thiếu phiếu kiểm nghiệm.")

    file_on(date(2026, 6, 1), dossier, owner)

    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED


# ---------------------------------------------------------------- the re-evaluation window
@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date(2026, 8, 3), ["Quá sớm", "04/08/2026", "03/10/2026", "Điều 7 khoản 6 điểm a"]),
        (date(2026, 10, 4), ["Quá hạn", "04/08/2026", "03/10/2026", "180", "120"]),
    ],
    ids=["a day early", "a day late"],
)
def test_a_re_evaluation_outside_its_window_is_refused_in_words(commune_round, owner, day, words):
    product, certificate = certified(date(2027, 1, 31))
    dossier = reevaluation(commune_round, product)

    with pytest.raises(TransitionError) as refused:
        file_on(day, dossier, owner)

    for word in words + [certificate.number, "31/01/2027"]:
        assert word in str(refused.value)
    dossier.refresh_from_db()
    assert dossier.status == S.DRAFT


@pytest.mark.parametrize("day", [date(2026, 8, 4), date(2026, 10, 3)], ids=str)
def test_a_re_evaluation_on_either_edge_of_its_window_is_filed(commune_round, owner, day):
    product, certificate = certified(date(2027, 1, 31))
    dossier = reevaluation(commune_round, product)

    filed = file_on(day, dossier, owner)

    assert (filed.dossier.status, filed.certificate, filed.extended_until) == (
        S.SUBMITTED,
        certificate,
        None,
    )
    certificate.refresh_from_db()
    assert certificate.extended_until is None


def test_a_re_evaluation_of_a_product_without_a_certificate_is_refused(commune_round, owner):
    dossier = reevaluation(commune_round, new_product())
    with pytest.raises(TransitionError, match="đánh giá lần đầu"):
        file_on(date(2026, 8, 4), dossier, owner)


def test_a_producer_filing_too_early_sees_why_and_nothing_changes(
    as_user, commune_round, owner, english
):
    product, certificate = certified(date(2027, 1, 31))
    product.producer.users.add(owner)
    dossier = reevaluation(commune_round, product)

    with time_machine.travel(date(2026, 7, 1), tick=False):
        response = as_user(owner).post(
            reverse("evaluation:transition", args=[dossier.pk]), {"target": "submitted"}
        )
        page = as_user(owner).get(response.url).content.decode()

    assert response.status_code == 302
    assert "Too early" in page and certificate.number in page and "04/08/2026" in page
    dossier.refresh_from_db()
    assert dossier.status == S.DRAFT


# ---------------------------------------------------------------- Điều 12 khoản 3
@pytest.fixture
def late(commune_round, owner):
    """A certificate expiring on 1 August 2026, whose window closed on 3 April, before
    26/2026 took effect, and its re-evaluation filed on 1 June 2026."""
    product, certificate = certified(date(2026, 8, 1))
    dossier = reevaluation(commune_round, product)
    filed = file_on(date(2026, 6, 1), dossier, owner)
    certificate.refresh_from_db()
    return filed, certificate


def test_a_late_re_evaluation_allowed_by_12_3_keeps_the_certificate_in_force(late):
    filed, certificate = late
    assert filed.dossier.status == S.SUBMITTED
    assert filed.extended_until == certificate.extended_until == date(2027, 1, 28)
    for day, state in [
        (date(2026, 7, 31), State.VALID),
        (date(2026, 8, 1), State.EXTENDED),
        (date(2027, 1, 27), State.EXTENDED),
        (date(2027, 1, 28), State.EXPIRED),
    ]:
        assert certificates.certificate_state(certificate, day) == state, day
    product = Product.objects.get(pk=certificate.product_id)
    assert product.certified_until == date(2027, 1, 28)
    assert Product.objects.public(date(2026, 12, 1)).filter(pk=product.pk).exists()
    assert certificate.history.order_by("history_id").last().extended_until == date(2027, 1, 28)


def test_a_re_evaluation_not_recognised_ends_the_extension_that_day(late, people):
    filed, certificate = late
    dossier = filed.dossier
    upper = make_dossier(
        bare_round(dossier.round.rulebook, "province", province("01"), "Hà Nội 2026 đợt 2"),
        S.RESULT,
        product=dossier.product,
        forwarded_from=dossier,
    )
    give_result(upper, 2, "45.00")
    office = office_of("vp.hanoi.2026", "province", province("01"))

    with time_machine.travel(date(2026, 9, 15), tick=False):
        decide(upper, S.NOT_RECOGNISED, office, "Không đạt 50 điểm.", act=act())

    certificate.refresh_from_db()
    assert certificate.extended_until == date(2026, 9, 15)
    assert certificates.certificate_state(certificate, date(2026, 9, 14)) == State.EXTENDED
    assert certificates.certificate_state(certificate, date(2026, 9, 15)) == State.EXPIRED
    assert not Product.objects.public(date(2026, 9, 15)).filter(pk=certificate.product_id).exists()


def test_a_re_evaluation_recognised_replaces_the_extended_certificate(late, people):
    filed, certificate = late
    upper = make_dossier(
        bare_round(filed.dossier.round.rulebook, "province", province("01"), "Hà Nội 2026"),
        S.RESULT,
        product=filed.dossier.product,
        forwarded_from=filed.dossier,
    )
    give_result(upper, 4, "78.00")
    office = office_of("vp.hanoi.2026", "province", province("01"))

    with time_machine.travel(date(2026, 9, 15), tick=False):
        decide(upper, S.RECOGNISED, office, act=act())

    certificate.refresh_from_db()
    renewed = Certificate.objects.get(dossier=upper)
    assert certificate.superseded_by == renewed
    assert certificates.certificate_state(renewed, date(2026, 9, 15)) == State.VALID


def test_no_late_filing_once_the_window_could_have_been_met(commune_round, owner):
    # Expires 1 October 2026: its window ran to 3 June, after 26/2026 took effect.
    product, certificate = certified(date(2026, 10, 1))
    with pytest.raises(TransitionError, match="Quá hạn"):
        file_on(date(2026, 6, 10), reevaluation(commune_round, product), owner)
    certificate.refresh_from_db()
    assert certificate.extended_until is None


def test_the_transitional_extension_is_refused_to_a_148_certificate_lapsed_before(
    commune_round, owner
):
    product, certificate = certified(date(2026, 5, 1))
    with pytest.raises(TransitionError):
        file_on(date(2026, 6, 1), reevaluation(commune_round, product), owner)
