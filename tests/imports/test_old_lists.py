"""Fields old lists lack are optional, with warnings: no registration number, no
representative, no certificate number, a year for a date, the decision's number on every
row; producers matched by number, else by name within the commune."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation.models import Certificate
from imports.apply import confirm
from imports.columns import COLUMNS
from imports.validation import generated_certificate_number, validate
from registry.models import Producer, Product
from tests.factories import ProducerFactory, commune
from tests.imports.rows import good_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-01-15 09:00 +07:00", tick=False)


def old_row(**overrides):
    """A row as a 2021 province list has it: no number, representative, certificate number
    nor type; a year; the decision's number."""
    values = {
        "registration_number": None,
        "representative_name": None,
        "certificate_number": None,
        "producer_kind": None,
        "phone": "0912 345 678 / 0243 123 4567",
        "email": None,
        "district_code": None,
        "certificate_issued_on": "2021",
        "decision_number": "348/QĐ-UBND",
        "stars": "4 sao",
        "issuing_level": "UBND thành phố Hà Nội",
    }
    values.update(overrides)
    return good_row(**values)


def plan_of(rows, scope):
    return validate(list(enumerate(rows, start=2)), scope)


def run(rows, scope, user, sha):
    return confirm(
        list(enumerate(rows, start=2)), scope=scope, user=user, file_name="ds.csv", sha256=sha
    )


def test_an_old_list_row_passes_with_warnings_not_refusals(hanoi_scope):
    row = old_row(producer_name="HTX Nông nghiệp Cầu Kè")
    [result] = plan_of([row], hanoi_scope).rows
    assert result.errors == []
    assert result.kind == "cooperative"
    assert result.stars == 4 and result.level == "province"
    assert result.issued_on == date(2021, 1, 1) and result.issued_precision == "year"
    assert result.phone == "0912 345 678"
    assert result.certificate_number == generated_certificate_number(result)
    assert result.certificate_number.startswith("NK-2021-")
    text = " ".join(result.warnings)
    assert "No registration number" in text
    assert "Producer type taken from the name" in text
    assert "Only 2021 is known" in text
    assert "Several phone numbers" in text
    assert "it is recorded as NK-2021-" in text


def test_confirming_keeps_what_the_list_said_and_invents_nothing(people, hanoi_scope):
    row = old_row(producer_name="HTX Nông nghiệp Cầu Kè", product_name="Dừa sáp")
    run([row], hanoi_scope, people["city_office"], "a" * 64)
    producer = Producer.objects.get(name="HTX Nông nghiệp Cầu Kè")
    assert producer.registration_number is None
    assert producer.representative_name == ""
    certificate = Certificate.objects.get(product__producer=producer)
    assert certificate.issued_precision == "year"
    assert certificate.issued_on == date(2021, 1, 1)
    assert certificate.decision_reference == "348/QĐ-UBND"
    assert certificate.number.startswith("NK-2021-")


def test_the_decision_number_may_repeat_on_every_row(hanoi_scope):
    rows = [old_row(), old_row(), old_row()]
    plan = plan_of(rows, hanoi_scope)
    assert plan.is_clean, [r.errors for r in plan.rows]
    assert len({r.certificate_number for r in plan.rows}) == 3


def test_a_producer_spelled_another_way_in_a_later_file_is_the_same_producer(people, hanoi_scope):
    first = old_row(producer_name="Hợp tác xã Nông nghiệp Cầu Kè", product_name="Dừa sáp")
    run([first], hanoi_scope, people["city_office"], "a" * 64)
    later = old_row(producer_name="HTX NN Cầu Kè", product_name="Kẹo dừa")
    [result] = plan_of([later], hanoi_scope).rows
    assert result.errors == []
    assert result.producer == Producer.objects.get()
    assert result.producer_action == "unchanged"
    run([later], hanoi_scope, people["city_office"], "b" * 64)
    assert Producer.objects.count() == 1 and Product.objects.count() == 2


def test_a_later_list_with_the_number_completes_the_producer(people, hanoi_scope):
    run([old_row(producer_name="HTX Cầu Kè")], hanoi_scope, people["city_office"], "a" * 64)
    later = good_row(producer_name="Hợp tác xã Cầu Kè", registration_number="0101234567")
    [result] = plan_of([later], hanoi_scope).rows
    assert result.errors == [] and result.producer_action == "update"
    assert "gets this registration number" in " ".join(result.warnings)
    run([later], hanoi_scope, people["city_office"], "b" * 64)
    assert Producer.objects.get().registration_number == "0101234567"


def test_a_same_name_producer_under_another_number_is_flagged(hanoi_scope):
    ProducerFactory(
        name="HTX Cầu Kè", registration_number="0109999999", commune=commune("Xã Đông Anh")
    )
    row = good_row(producer_name="Hợp tác xã Cầu Kè", registration_number="0101234567")
    [result] = plan_of([row], hanoi_scope).rows
    assert result.producer_action == "create"
    assert "registered as 0109999999" in " ".join(result.warnings)


def test_two_same_name_producers_need_the_number(hanoi_scope):
    for number in ("0109999998", "0109999999"):
        ProducerFactory(
            name="HTX Cầu Kè", registration_number=number, commune=commune("Xã Đông Anh")
        )
    [result] = plan_of([old_row(producer_name="HTX Cầu Kè")], hanoi_scope).rows
    assert "2 producers called “HTX Cầu Kè”" in " ".join(result.errors)


def test_a_registration_number_excel_shortened_is_warned(hanoi_scope):
    [result] = plan_of([good_row(registration_number="109876543")], hanoi_scope).rows
    assert result.errors == []
    assert "dropped its leading 0" in " ".join(result.warnings)


KEYS = [c.key for c in COLUMNS]
CELL = st.one_of(
    st.just(""),
    st.just("N/A"),
    st.sampled_from(["4*", "★★★", "2021", "44292", "HTX", "UBND tỉnh", "00454", "0"]),
    st.text(max_size=40),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cells=st.fixed_dictionaries(dict.fromkeys(KEYS, CELL)))
def test_any_cells_give_row_messages_never_an_exception(hanoi_scope, cells):
    [result] = plan_of([cells], hanoi_scope).rows
    assert result.action in {"bad", "create", "update", "unchanged"}
    assert all(isinstance(m, str) for m in result.errors + result.warnings)


def test_a_group_name_keeps_the_product_as_not_yet_classified_and_out_of_public(
    people, hanoi_scope, as_user
):
    from django.urls import reverse

    row = old_row(
        product_set="Thực phẩm", product_name="Mật ong rừng", certificate_issued_on="15/12/2023"
    )
    [result] = plan_of([row], hanoi_scope).rows
    assert result.errors == [] and result.product_set is None
    assert "not yet classified" in " ".join(result.warnings)
    run([row], hanoi_scope, people["city_office"], "a" * 64)
    product = Product.objects.get(name="Mật ong rừng")
    assert product.product_set is None and product.stars == 4
    assert product.certified_until is not None
    assert not Product.objects.public().filter(pk=product.pk).exists()
    # The office sees it listed to classify; an office of another province does not.
    page = as_user(people["city_office"]).get(reverse("imports:upload")).content.decode()
    assert 'id="unclassified-products"' in page and "Mật ong rừng" in page
    other = as_user(people["far_office"]).get(reverse("imports:upload")).content.decode()
    assert "Mật ong rừng" not in other
    # Classified, it is public.
    from registry.models import ProductSet

    product.product_set = ProductSet.objects.get(number=4)
    product.save()
    assert Product.objects.public().filter(pk=product.pk).exists()


def test_a_blank_product_set_is_not_a_refusal(hanoi_scope):
    [result] = plan_of([old_row(product_set=None)], hanoi_scope).rows
    assert result.errors == []


def test_the_date_may_come_from_the_decision_column(hanoi_scope):
    row = old_row(certificate_issued_on=None, decision_number="348/QĐ-UBND ngày 06/4/2021")
    [result] = plan_of([row], hanoi_scope).rows
    assert result.errors == []
    assert result.issued_on == date(2021, 4, 6) and result.issued_precision == "day"
