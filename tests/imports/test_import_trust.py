"""What an import may record (issue 12, point 3): certificates of the importer's own level,
with the stars that level recognises, issued by its own unit, dated before the system's use
began; never for a product whose dossier is open, never over a producer outside the
importer's area; every number stored as the public check reads it."""

from datetime import date

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from evaluation.models import Certificate, Dossier
from imports.access import import_scope
from imports.apply import PlanChanged, confirm
from imports.models import ImportBatch
from imports.validation import validate
from registry.models import Producer, Product
from tests.factories import (
    ProducerFactory,
    ProductFactory,
    commune,
    district,
    make_dossier,
    new_product,
)
from tests.imports.rows import csv_bytes, district_row, good_row, upload_file

pytestmark = pytest.mark.django_db

OPEN = ["draft", "submitted", "returned", "checked", "scoring", "result"]
ENDED = ["recognised", "forwarded", "not_recognised"]


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-01-15 09:00 +07:00", tick=False)


def numbered(rows):
    return list(enumerate(rows, start=2))


def plan_of(user, rows):
    return validate(numbered(rows), import_scope(user))


def errors_of(user, row) -> str:
    [result] = plan_of(user, [row]).rows
    assert result.action == "bad", "the row was accepted"
    return " | ".join(result.errors)


def assert_clean(user, rows):
    plan = plan_of(user, rows)
    assert plan.is_clean, [r.errors for r in plan.rows]
    return plan


def totals():
    return (
        Producer.objects.count(),
        Product.objects.count(),
        Certificate.objects.count(),
        ImportBatch.objects.count(),
    )


def upload(client, rows, name="danh-sach.csv"):
    response = client.post(reverse("imports:upload"), {"file": upload_file(csv_bytes(rows), name)})
    assert response.status_code == 200
    return response


def row_for(product, **overrides):
    """A district row naming an existing product of a Hoài Đức producer."""
    producer = product.producer
    values = {
        "registration_number": producer.registration_number,
        "producer_name": producer.name,
        "representative_name": producer.representative_name,
        "product_name": product.name,
        "product_set": str(product.product_set.number),
    }
    values.update(overrides)
    return district_row(**values)


# ------------------------------------------------------------------ level and stars
def test_a_district_office_imports_its_own_three_star_certificate(people):
    office = people["district_office"]
    plan = assert_clean(office, [district_row(), district_row(issuing_level=None)])
    assert [r.level for r in plan.rows] == ["district", "district"]
    assert {r.certificate_unit.code for r in plan.rows} == {"274"}
    batch = confirm(
        numbered([district_row()]),
        scope=import_scope(office),
        user=office,
        file_name="a.csv",
        sha256="b" * 64,
    )
    [number] = batch.summary["certificate_numbers"]
    certificate = Certificate.objects.get(number=number)
    assert (certificate.level, certificate.unit.code, certificate.stars) == ("district", "274", 3)


@pytest.mark.parametrize(
    ("stars", "level", "reason"),
    [
        ("4", None, "This is a certificate of the province level"),
        ("5", None, "This is a certificate of the central level"),
        ("4", "Cấp huyện", "the district level does not recognise 4-star products"),
        ("5", "Cấp huyện", "the district level does not recognise 5-star products"),
    ],
)
def test_a_district_office_cannot_import_four_or_five_stars(people, stars, level, reason):
    message = errors_of(people["district_office"], district_row(stars=stars, issuing_level=level))
    assert reason in message


def test_the_refusals_read_in_vietnamese(people):
    with translation.override("vi"):
        row = district_row(stars="4", issuing_level=None, district_code="282")
        message = errors_of(people["district_office"], row)
        dated = errors_of(people["admin"], district_row(certificate_issued_on="01/03/2024"))
    assert "Đây là giấy chứng nhận cấp tỉnh/thành phố" in message
    assert "chỉ được nhập giấy chứng nhận của cấp mình (cấp quận/huyện)" in message
    assert "ngày bắt đầu sử dụng hệ thống" in dated


@pytest.mark.parametrize("stars", ["3", "5"])
def test_a_district_office_cannot_import_a_central_certificate(people, stars):
    row = district_row(stars=stars, issuing_level="Trung ương")
    message = errors_of(people["district_office"], row)
    assert "This is a certificate of the central level" in message
    assert "your office imports only certificates of its own level (district)" in message


def test_a_province_office_imports_four_stars_of_its_province_and_nothing_else(people):
    city = people["city_office"]
    office = import_scope(city)
    batch = confirm(
        numbered([good_row()]), scope=office, user=city, file_name="a.csv", sha256="c" * 64
    )
    certificate = Certificate.objects.get(number__in=batch.summary["certificate_numbers"])
    assert (certificate.level, certificate.unit.code, certificate.stars) == ("province", "01", 4)
    # 3 stars were recognised by the districts, 5 by the centre (Decision 148)
    assert "This is a certificate of the district level" in errors_of(city, district_row())
    assert "of the central level" in errors_of(city, good_row(stars="5", issuing_level=None))
    assert "does not recognise 3-star products" in errors_of(city, good_row(stars="3"))


def test_the_central_office_imports_five_stars_only(people):
    central = people["central_office"]
    assert_clean(central, [good_row(stars="5", issuing_level=None)])
    assert "This is a certificate of the province level" in errors_of(central, good_row())


def test_an_administrator_imports_any_level_but_every_other_rule_holds(people):
    admin = people["admin"]
    assert_clean(
        admin,
        [district_row(), good_row(), good_row(stars="5", issuing_level=None)],
    )
    assert "does not recognise 4-star products" in errors_of(admin, district_row(stars="4"))
    assert "came into use" in errors_of(admin, good_row(certificate_issued_on="02/01/2024"))


# ------------------------------------------------------------------ unit
def test_a_certificate_of_another_district_is_refused(people):
    message = errors_of(people["district_office"], district_row(district_code="282"))
    assert "This certificate was issued by Huyện Mỹ Đức" in message
    assert "only certificates issued by Huyện Hoài Đức" in message


def test_a_district_certificate_names_its_district(people):
    for who in ("district_office", "admin"):
        message = errors_of(people[who], district_row(district_code=None))
        assert "needs the code of the district that issued it" in message


def test_a_province_office_cannot_import_a_certificate_of_another_province(people):
    hung_yen = commune_of_province("33")
    row = good_row(commune_code=hung_yen.code, district_code=None)
    message = errors_of(people["city_office"], row)
    assert "This certificate was issued by Hưng Yên" in message


def commune_of_province(code):
    from registry.models import AdministrativeUnit

    return AdministrativeUnit.objects.filter(level="commune", parent__code=code).first()


# ------------------------------------------------------------------ before the system
def test_a_certificate_dated_on_or_after_the_start_is_refused(people):
    office = people["district_office"]
    with override_settings(SYSTEM_START_DATE=date(2025, 1, 1)):
        message = errors_of(office, district_row(certificate_issued_on="01/01/2025"))
        assert (
            "Issued on 01/01/2025, on or after 01/01/2025 when this registry came into use"
        ) in message
        assert "come from evaluations in the system, not from an import" in message
        assert "on or after" in errors_of(office, district_row(certificate_issued_on="02/03/2025"))
        assert_clean(office, [district_row(certificate_issued_on="31/12/2024")])
    # and with the default start
    start = settings.SYSTEM_START_DATE.strftime("%d/%m/%Y")
    assert "came into use" in errors_of(office, district_row(certificate_issued_on=start))


# ------------------------------------------------------------------ open dossiers
@pytest.mark.parametrize("status", OPEN + ENDED)
def test_a_product_with_an_open_dossier_is_refused(cast, status):
    product = new_product()
    make_dossier(cast["round"], status, product=product)
    [row] = plan_of(cast["district_office"], [row_for(product)]).rows
    refused = "has an evaluation dossier that is not finished" in " ".join(row.errors)
    assert refused == (status in OPEN), row.errors
    if status in ENDED:
        assert row.product_action == "certify" and not row.errors


def test_the_cast_product_being_scored_cannot_be_certified_by_import(cast):
    row = row_for(cast["product"])
    message = errors_of(cast["district_office"], row)
    assert "The product “Rau cải an toàn Hoài Đức” has an evaluation dossier" in message


def test_a_dossier_opened_between_preview_and_confirm_still_refuses(cast):
    office, product = cast["district_office"], new_product()
    rows = numbered([row_for(product)])
    preview = validate(rows, import_scope(office))
    assert preview.is_clean and preview.rows[0].product_action == "certify"
    make_dossier(cast["round"], Dossier.Status.SUBMITTED, product=product)
    before = totals()
    with pytest.raises(PlanChanged) as error:
        confirm(
            rows,
            scope=import_scope(office),
            user=office,
            file_name="a.csv",
            sha256="d" * 64,
            expected_fingerprint=preview.fingerprint,
        )
    assert "not finished" in " ".join(error.value.plan.rows[0].errors)
    assert totals() == before
    product.refresh_from_db()
    assert product.stars is None


def test_a_dossier_opened_between_preview_and_confirm_through_the_pages(cast, as_user):
    product = new_product()
    client = as_user(cast["district_office"])
    token = upload(client, [row_for(product)]).context["token"]
    make_dossier(cast["round"], Dossier.Status.DRAFT, product=product)
    before = totals()
    response = client.post(reverse("imports:confirm"), {"token": token})
    html = response.content.decode()
    assert "The registry changed since the preview, so nothing was written" in html
    assert "has an evaluation dossier that is not finished" in html
    assert 'id="confirm-form"' not in html
    assert totals() == before


# ------------------------------------------------------------------ producers outside
def my_duc_producer(**extra):
    values = {
        "name": "Hợp tác xã Chè Hương Sơn",
        "commune": commune("Xã Mỹ Đức"),
        "district": district("282"),
        "representative_name": "Đỗ Văn Bí",
        "phone": "0243 111 2222",
        "email": "bi.huongson@example.vn",
    }
    values.update(extra)
    return ProducerFactory(**values)


def test_a_producer_of_another_district_is_refused_and_left_unchanged(people, as_user):
    producer = my_duc_producer()
    row = district_row(
        registration_number=producer.registration_number,
        producer_name="Hợp tác xã Chè Hương Sơn",
        representative_name="Người Khác",
        phone="0999 888 777",
        email="khac@example.vn",
    )
    client = as_user(people["district_office"])
    response = upload(client, [row])
    html = response.content.decode()
    assert "belongs to a producer outside the area you import for" in html
    assert 'id="confirm-form"' not in html
    # Nothing of what the registry holds on that producer is shown.
    for private in ("Đỗ Văn Bí", "0243 111 2222", "bi.huongson@example.vn"):
        assert private not in html
    before = totals()
    client.post(reverse("imports:confirm"), {"token": response.context["token"]})  # forced
    assert totals() == before
    producer.refresh_from_db()
    assert (producer.representative_name, producer.phone, producer.email) == (
        "Đỗ Văn Bí",
        "0243 111 2222",
        "bi.huongson@example.vn",
    )


def test_a_producer_with_no_district_is_the_province_offices_to_change(people):
    producer = my_duc_producer(district=None, commune=commune("Xã Hoài Đức"))
    row = district_row(registration_number=producer.registration_number)
    assert "outside the area you import for" in errors_of(people["district_office"], row)
    city_row = good_row(registration_number=producer.registration_number)
    assert_clean(people["city_office"], [city_row])


def test_a_row_cannot_move_an_own_producer_out_of_the_area(people):
    """A row already recorded writes no certificate, but would give the producer another
    district: the office would be handing its producer to its neighbour."""
    producer = ProducerFactory(commune=commune("Xã Hoài Đức"), district=district("274"))
    product = ProductFactory(producer=producer, stars=3, certified=False)
    certificate = Certificate.objects.create(
        number="HD-1/2023",
        product=product,
        level="district",
        unit=district("274"),
        stars=3,
        issued_on=date(2023, 5, 1),
        expires_on=date(2026, 5, 1),
    )
    row = row_for(
        product,
        certificate_number=certificate.number,
        certificate_issued_on="01/05/2023",
        phone="",
        email="",
    )
    [same] = assert_clean(people["district_office"], [row]).rows
    assert same.action == "unchanged"
    moved = {**row, "district_code": "282"}
    message = errors_of(people["district_office"], moved)
    assert (
        f"would move the producer with registration number {producer.registration_number} "
        "to Xã Hoài Đức, Huyện Mỹ Đức, outside the area you import for"
    ) in message


def test_a_producer_of_another_province_is_refused_without_naming_it(people):
    producer = ProducerFactory(name="HTX Bí Mật", commune=commune("Xã Hoài Đức"))
    hung_yen = commune_of_province("33")
    row = good_row(
        registration_number=producer.registration_number,
        commune_code=hung_yen.code,
        district_code=None,
    )
    message = errors_of(people["far_office"], row)
    assert f"registration number {producer.registration_number} belongs to a producer" in message
    assert "HTX Bí Mật" not in message


# ------------------------------------------------------------------ numbers
def test_a_typed_number_is_stored_as_the_public_check_reads_it(people, as_user, client):
    office = as_user(people["district_office"])
    row = district_row(certificate_number="ocop h4 lower 1", product_name="Miến dong Minh Khai")
    response = upload(office, [row])
    assert response.context["plan"].rows[0].certificate_number == "OCOPH4LOWER1"
    office.post(reverse("imports:confirm"), {"token": response.context["token"]})
    certificate = Certificate.objects.get(number="OCOPH4LOWER1")
    assert certificate.product.name == "Miến dong Minh Khai"

    client.logout()
    found = client.get(reverse("evaluation:verify_form"), {"so": "ocop h4 lower 1"}, follow=True)
    assert found.status_code == 200
    assert "Miến dong Minh Khai" in found.content.decode()
    direct = client.get(reverse("evaluation:verify", args=["ocop h4 lower 1"]))
    assert direct.status_code == 200 and "Miến dong Minh Khai" in direct.content.decode()


def test_numbers_are_compared_as_the_public_check_reads_them(people):
    office = people["district_office"]
    plan = plan_of(
        office,
        [district_row(certificate_number="ab 12/qđ"), district_row(certificate_number="AB12/QĐ")],
    )
    assert all("is on several rows: 2, 3" in " ".join(r.errors) for r in plan.rows)
    taken = ProductFactory(name="Chè búp Thái", stars=3, certified=False)
    Certificate.objects.create(
        number="HD-7/2023",
        product=taken,
        level="district",
        stars=3,
        issued_on=date(2023, 5, 1),
        expires_on=date(2026, 5, 1),
    )
    message = errors_of(office, district_row(certificate_number=" hd - 7/2023 "))
    assert "Certificate number HD-7/2023 is already used by another product" in message


def test_a_number_too_long_once_spaces_are_dropped_is_refused(people):
    message = errors_of(people["district_office"], district_row(certificate_number="A" * 41))
    assert "longer than 40 characters" in message
    assert_clean(people["district_office"], [district_row(certificate_number="A " * 40)])
