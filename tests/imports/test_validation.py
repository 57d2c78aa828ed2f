"""Every kind of bad row with its reasons; create, update and unchanged; nothing written."""

import pytest

from evaluation.models import Certificate
from imports.access import import_scope
from imports.validation import validate
from registry.models import Producer, Product
from tests.factories import ProducerFactory, ProductFactory, certificate_of, commune
from tests.imports.rows import district_row, good_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-01-15 09:00 +07:00", tick=False)


def check(rows, scope):
    counts = (Producer.objects.count(), Product.objects.count(), Certificate.objects.count())
    plan = validate(list(enumerate(rows, start=2)), scope)
    assert counts == (
        Producer.objects.count(),
        Product.objects.count(),
        Certificate.objects.count(),
    ), "validation wrote something"
    return plan


def errors_of(row, scope) -> str:
    [result] = check([row], scope).rows
    assert result.action == "bad"
    return " | ".join(result.errors)


def test_a_good_row_creates_producer_product_and_certificate(hanoi_scope):
    plan = check([good_row()], hanoi_scope)
    [row] = plan.rows
    assert (row.action, row.producer_action, row.product_action) == ("create", "create", "create")
    assert row.commune.name == "Xã Đông Anh" and row.district.code == "017"
    assert row.level == "province" and row.certificate_unit == row.commune.parent
    assert plan.is_clean
    assert plan.counts["certificates_created"] == 1


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"commune_code": "99999"}, "Unknown commune code “99999”"),
        # Not found, and no district named: held with the closest (with a district, the
        # place is kept as far as known, to be completed: test_resolvable_rows.py).
        (
            {
                "commune_code": None,
                "district_code": None,
                "commune_name": "Xã Không Có",
                "province_code": "01",
            },
            "Unknown commune “Xã Không Có”",
        ),
        # Without the province, a name found in several provinces is not guessed (issue 14:
        # a name found once in the country is taken, registry/places.py).
        (
            {"commune_code": None, "district_code": None, "commune_name": "Xã Tân An"},
            "Several communes are called",
        ),
        # Only a district: imported with the place to be completed, but never outside the
        # office's province (test_resolvable_rows.py).
        ({"commune_code": None, "district_code": "Huyện Cầu Kè"}, "outside your province"),
        ({"commune_code": None, "district_code": None, "province_code": None}, "Missing commune"),
        ({"province_code": "99"}, "Unknown province code"),
        ({"commune_name": "Xã Hoài Đức"}, "is Xã Đông Anh, not “Xã Hoài Đức”"),
        ({"district_code": "999"}, "Unknown district code"),
        ({"certificate_issued_on": "31/02/2024"}, "“31/02/2024” is not a date"),
        ({"certificate_issued_on": "15.08"}, "is not a date"),
        ({"certificate_issued_on": "01/06/2026"}, "is in the future"),
        ({"stars": "6"}, "Stars must be 3, 4 or 5"),
        ({"stars": "2"}, "Stars must be 3, 4 or 5"),
        ({"stars": "ba con"}, "Stars must be 3, 4 or 5"),
        ({"product_set": "27"}, "Unknown product set “27”"),
        ({"product_set": "hoa quả"}, "Unknown product set"),
        ({"registration_number": "1.09877E+09"}, "was turned into a number by Excel"),
        ({"producer_kind": "Tập đoàn"}, "Unknown producer type “Tập đoàn”"),
        ({"issuing_level": "xã"}, "Unknown issuing level"),
        ({"email": "khong-phai-email"}, "email address"),
        ({"registration_number": "01 23@45"}, "registration number “0123@45” is not valid"),
        ({"producer_name": ""}, "Missing producer name"),
        ({"product_name": "  "}, "Missing product name"),
        ({"producer_kind": None, "producer_name": "Nguyễn Văn An"}, "Missing producer type"),
        ({"certificate_issued_on": None}, "Missing date of issue"),
        ({"product_name": "x" * 300}, "longer than 255"),
    ],
)
def test_each_kind_of_bad_row_gives_its_reason(hanoi_scope, overrides, reason):
    assert reason in errors_of(good_row(**overrides), hanoi_scope)


def test_a_bad_row_lists_all_its_reasons(hanoi_scope):
    row = good_row(stars="7", product_set="99", certificate_issued_on="hôm qua", commune_code="1")
    [result] = check([row], hanoi_scope).rows
    assert len(result.errors) == 4, result.errors


def test_a_commune_outside_the_officials_province_is_a_bad_row(people):
    hungyen = import_scope(people["far_office"])
    message = errors_of(good_row(), hungyen)
    assert "Xã Đông Anh (Thành phố Hà Nội) is outside your province" in message
    # a district office (Hoài Đức's) imports its district's certificates, for producers
    # whose commune is in Hà Nội (the communes since July 2025 belong to no district)
    district = import_scope(people["district_office"])
    assert check([district_row(commune_code="09832")], district).is_clean


def test_an_existing_producer_of_another_province_cannot_be_changed(people):
    producer = ProducerFactory(commune=commune("Xã Hoài Đức"))
    hungyen_commune = commune_of_province("33")
    row = good_row(
        registration_number=producer.registration_number,
        commune_code=hungyen_commune.code,
        district_code=None,
    )
    message = errors_of(row, import_scope(people["far_office"]))
    assert "belongs to a producer outside the area you import for" in message
    assert producer.name not in message  # nothing the importer did not type


def commune_of_province(code):
    from registry.models import AdministrativeUnit

    return AdministrativeUnit.objects.filter(level="commune", parent__code=code).first()


def test_commune_by_name_with_or_without_its_type_and_accents(hanoi_scope):
    rows = [
        good_row(commune_code=None, commune_name="Xã Đông Anh", province_code="01"),
        good_row(commune_code=None, commune_name="Đông Anh", province_code="1"),
        good_row(commune_code=None, commune_name="dong anh", province_code="01"),
        good_row(commune_code="454", province_code="01"),  # Excel dropped the zeros
    ]
    plan = check(rows, hanoi_scope)
    assert plan.is_clean, [r.errors for r in plan.rows]
    assert {r.commune.code for r in plan.rows} == {"00454"}


def test_duplicate_registration_number_with_conflicting_names(hanoi_scope):
    first = good_row()
    second = good_row(registration_number=first["registration_number"], producer_name="HTX Khác")
    plan = check([first, second], hanoi_scope)
    for row in plan.rows:
        assert "is on rows 2, 3 with different producer name" in " ".join(row.errors)


def test_the_same_producer_on_several_rows_is_fine(hanoi_scope):
    first = good_row()
    second = good_row(
        registration_number=first["registration_number"],
        producer_name=first["producer_name"].upper(),  # case is not a conflict
        email=first["email"],
        phone="",
    )
    plan = check([first, second], hanoi_scope)
    assert plan.is_clean, [r.errors for r in plan.rows]
    assert [r.producer_action for r in plan.rows] == ["create", "same"]
    assert plan.rows[1].producer_line == 2
    assert plan.counts["producers_created"] == 1 and plan.counts["products_created"] == 2


def test_duplicate_certificate_numbers_and_products_within_the_file(hanoi_scope):
    a = good_row()
    b = good_row(certificate_number=a["certificate_number"])
    c = good_row(registration_number=a["registration_number"], product_name=a["product_name"])
    c.update({k: a[k] for k in ("producer_name", "email")})
    plan = check([a, b, c], hanoi_scope)
    assert "Certificate number" in " ".join(plan.rows[1].errors)
    assert "is on several rows: 2, 3" in " ".join(plan.rows[1].errors)
    assert "of this producer is on several rows: 2, 4" in " ".join(plan.rows[2].errors)


def test_certificate_number_already_used_by_another_product(hanoi_scope):
    product = ProductFactory(name="Chè búp Thái")
    taken = certificate_of(product).number
    message = errors_of(good_row(certificate_number=taken), hanoi_scope)
    assert f"Certificate number {taken} is already used by another product: Chè búp Thái" in message


def test_an_existing_producer_shows_what_changes(hanoi_scope):
    producer = ProducerFactory(
        name="HTX Cũ", phone="024 3825 1234", email="cu@example.vn", commune=commune("Xã Đông Anh")
    )
    row = good_row(
        registration_number=producer.registration_number,
        producer_name="Hợp tác xã Mới",
        email="",
        phone="024 3825 1234",
        district_code=None,
        representative_name=producer.representative_name,
    )
    [result] = check([row], hanoi_scope).rows
    assert result.action == "create"  # a new product for an existing producer
    assert result.producer_action == "update"
    changes = {c["field"]: (c["old"], c["new"]) for c in result.changes}
    assert changes == {"name": ("HTX Cũ", "Hợp tác xã Mới")}  # blank email keeps the old one


def test_a_row_already_in_the_registry_is_unchanged(hanoi_scope):
    producer = ProducerFactory(commune=commune("Xã Đông Anh"), phone="", email="")
    product = ProductFactory(producer=producer, stars=3, product_set__number=1)
    certificate = certificate_of(product)
    row = good_row(
        registration_number=producer.registration_number,
        producer_name=producer.name,
        representative_name=producer.representative_name,
        district_code=producer.district.code,
        phone="",
        email="",
        product_name=product.name,
        product_set="1",
        certificate_number=certificate.number,
        certificate_issued_on=certificate.issued_on.strftime("%d/%m/%Y"),
        stars=str(certificate.stars),
    )
    [result] = check([row], hanoi_scope).rows
    assert (result.action, result.producer_action, result.product_action) == (
        "unchanged",
        "unchanged",
        "unchanged",
    ), result.errors
    assert result.errors == []


def test_expired_certificates_are_recorded_with_a_warning(hanoi_scope):
    [row] = check([good_row(certificate_issued_on="2021-03-01")], hanoi_scope).rows
    assert not row.errors
    assert "expired on 01/03/2024" in row.warnings[0]


def test_issuing_level_follows_the_stars_when_blank(hanoi_scope):
    rows = [good_row(issuing_level=None, stars=s) for s in ("3", "4", "5")]
    plan = check(rows, hanoi_scope)
    assert [r.level for r in plan.rows] == ["district", "province", "central"]
    assert plan.rows[1].certificate_unit.code == "01"
    assert plan.rows[2].certificate_unit is None


def test_producer_kinds_in_vietnamese_and_english(hanoi_scope):
    kinds = [
        "enterprise",
        "Doanh nghiệp",
        "HỢP TÁC XÃ",
        "Tổ hợp tác",
        "trang trai",
        "Hộ kinh doanh",
    ]
    plan = check([good_row(producer_kind=k) for k in kinds], hanoi_scope)
    assert [r.kind for r in plan.rows] == [
        "enterprise",
        "enterprise",
        "cooperative",
        "coop_group",
        "farm",
        "household",
    ]
