"""The value parsers of imports.values, as tables of what real lists write."""

from datetime import date

import pytest

from imports import values
from imports.values import ParsedDate, SetName

DATES = [
    ("06/04/2021", ParsedDate(date(2021, 4, 6))),
    ("6/4/2021", ParsedDate(date(2021, 4, 6))),
    ("06/04/21", ParsedDate(date(2021, 4, 6))),
    ("06-04-2021", ParsedDate(date(2021, 4, 6))),
    ("06.04.2021", ParsedDate(date(2021, 4, 6))),
    ("2021-04-06", ParsedDate(date(2021, 4, 6))),
    ("2021-04-06 00:00:00", ParsedDate(date(2021, 4, 6))),
    ("ngày 06/4/2021", ParsedDate(date(2021, 4, 6))),
    ("Ngày 6/4/2021.", ParsedDate(date(2021, 4, 6))),
    ("ngày 6 tháng 4 năm 2021", ParsedDate(date(2021, 4, 6))),
    ("ngày cấp 06/04/2021", ParsedDate(date(2021, 4, 6))),
    ("tháng 4/2021", ParsedDate(date(2021, 4, 1), "month")),
    ("Tháng 04/2021", ParsedDate(date(2021, 4, 1), "month")),
    ("tháng 4 năm 2021", ParsedDate(date(2021, 4, 1), "month")),
    ("04/2021", ParsedDate(date(2021, 4, 1), "month")),
    ("2021", ParsedDate(date(2021, 1, 1), "year")),
    ("Năm 2021", ParsedDate(date(2021, 1, 1), "year")),
    ("2021.0", None),
    ("44292", ParsedDate(date(2021, 4, 6))),  # Excel's serial of 6 April 2021
    ("44292.0", ParsedDate(date(2021, 4, 6))),
    ("ngày 06/4/2021", ParsedDate(date(2021, 4, 6))),  # decomposed accents
    ("31/02/2021", None),
    ("13/13/2021", None),
    ("N/A", None),
    ("", None),
    ("hôm qua", None),
    ("1850", None),
    ("12345", None),  # a serial in 1933: not a recognition date
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_dates_as_people_write_them(text, expected):
    assert values.parse_date(text) == expected


def test_a_year_is_shown_as_a_year_not_an_invented_day():
    assert str(values.parse_date("2021")) == "2021"
    assert str(values.parse_date("tháng 4/2021")) == "04/2021"
    assert str(values.parse_date("6/4/21")) == "06/04/2021"


STARS = [
    ("4", 4),
    ("4.0", 4),
    ("4*", 4),
    ("4 *", 4),
    ("4 ★", 4),
    ("★★★★", 4),
    ("★★★", 3),
    ("★★★★★", 5),
    ("***", 3),
    ("4 sao", 4),
    ("4 Sao", 4),
    ("Bốn sao", 4),
    ("bốn sao", 4),
    ("Ba sao", 3),
    ("Năm sao", 5),
    ("4 sao cấp tỉnh", 4),
    ("3 sao (cấp huyện)", 3),
    ("4 stars", 4),
    ("2", 2),  # read; the caller refuses it with "3, 4 or 5"
    ("3-4", None),
    ("4/5", None),
    ("", None),
    ("N/A", None),
    ("sao", None),
]


@pytest.mark.parametrize(("text", "expected"), STARS)
def test_stars_as_people_write_them(text, expected):
    assert values.parse_stars(text) == expected


KINDS = [
    ("HTX", "cooperative"),
    ("htx", "cooperative"),
    ("HTXNN", "cooperative"),
    ("HTX nông nghiệp", "cooperative"),
    ("Hợp tác xã", "cooperative"),
    ("Hộ SXKD", "household"),
    ("hộ kinh doanh", "household"),
    ("Hộ kinh doanh có đăng ký", "household"),
    ("Hộ sản xuất", "household"),
    ("cơ sở", "household"),
    ("Cơ sở sản xuất nước mắm Hồng Hạnh", "household"),
    ("cá nhân", "household"),
    ("Công ty TNHH MTV", "enterprise"),
    ("Công ty CP", "enterprise"),
    ("Cty TNHH", "enterprise"),
    ("DNTN", "enterprise"),
    ("Doanh nghiệp", "enterprise"),
    ("Chi nhánh công ty", "enterprise"),
    ("Chi nhánh Công ty CP Sữa", "enterprise"),
    ("Tổ hợp tác", "coop_group"),
    ("THT", "coop_group"),
    ("Trang trại", "farm"),
    ("enterprise", "enterprise"),
    ("household", "household"),
    ("", None),
    ("Nguyễn Văn A", None),
    ("Khác", None),
]


@pytest.mark.parametrize(("text", "expected"), KINDS)
def test_producer_types_as_people_write_them(text, expected):
    assert values.parse_kind(text) == expected


NAMES = [
    ("HTX Nông nghiệp Hữu cơ Đông Anh", "cooperative"),
    ("Hợp tác xã Chè Tân Cương", "cooperative"),
    ("Công ty TNHH MTV Thực phẩm Hà Nội", "enterprise"),
    ("Cty CP Nước mắm Phú Quốc", "enterprise"),
    ("DNTN Hoa Sen", "enterprise"),
    ("Hộ kinh doanh Bà Tươi", "household"),
    ("Cơ sở sản xuất bánh đa Kế", "household"),
    ("Tổ hợp tác Mây tre Phú Vinh", "coop_group"),
    ("Trang trại Gà đồi Yên Thế", "farm"),
    ("Nguyễn Thị Hoà", None),
    ("Hồng Hạnh", None),  # starts with "Hồ", not the word "Hộ"
    ("Hoàng Văn Cơ", None),
]


@pytest.mark.parametrize(("name", "expected"), NAMES)
def test_the_type_is_inferred_from_the_start_of_the_name(name, expected):
    assert values.kind_from_name(name) == expected


LEVELS = [
    ("Cấp tỉnh", "province"),
    ("cấp huyện", "district"),
    ("Tỉnh", "province"),
    ("UBND tỉnh Bắc Giang", "province"),
    ("Ủy ban nhân dân tỉnh Hà Giang", "province"),
    ("UBND huyện Chương Mỹ", "district"),
    ("UBND thị xã Sơn Tây", "district"),
    ("UBND quận Hà Đông", "district"),
    ("UBND thành phố Hà Nội", "province"),
    ("UBND TP Hồ Chí Minh", "province"),
    ("UBND thành phố Bắc Giang", "district"),
    ("Bộ Nông nghiệp và PTNT", "central"),
    ("Bộ NN&PTNT", "central"),
    ("cấp quốc gia", "central"),
    ("Quốc gia", "central"),
    ("Trung ương", "central"),
    ("Thủ tướng Chính phủ", "central"),
    ("QĐ của Chủ tịch UBND tỉnh Nghệ An", "province"),
    ("", None),
    ("Hội đồng", None),
]


@pytest.mark.parametrize(("text", "expected"), LEVELS)
def test_levels_as_people_write_them(text, expected):
    assert values.parse_level(text) == expected


SETS = [
    SetName(3, "Gạo, ngũ cốc, hạt sơ chế khác", "Sản phẩm thực phẩm"),
    SetName(11, "Chè tươi, chè chế biến", "Sản phẩm thực phẩm"),
    SetName(14, "Rượu trắng", "Sản phẩm đồ uống"),
    SetName(17, "Đồ uống không cồn khác", "Sản phẩm đồ uống"),
]
PRODUCT_SETS = [
    ("3", (3, False)),
    ("3.0", (3, False)),
    ("Bộ 3", (3, False)),
    ("bộ sản phẩm số 14", (14, False)),
    ("Rượu trắng", (14, False)),
    ("rượu trắng", (14, False)),
    ("Chè tươi, chè chế biến", (11, False)),
    ("Gạo", (3, False)),  # the start of one set's name
    ("Thực phẩm", (None, True)),  # a group: not yet classified
    ("Sản phẩm đồ uống", (None, True)),
    ("Đồ uống", (None, True)),
    ("99", (None, False)),
    ("", (None, False)),
    ("Mỹ phẩm", (None, False)),
]


@pytest.mark.parametrize(("text", "expected"), PRODUCT_SETS)
def test_product_sets_by_number_or_name(text, expected):
    assert values.parse_product_set(text, SETS) == expected


REGISTRATIONS = [
    ("0109876543", values.Registration("0109876543")),
    (" 0109 876 543 ", values.Registration("0109876543")),
    ("109876543", values.Registration("109876543", lost_zero=True)),
    ("109876543.0", values.Registration("109876543", lost_zero=True)),
    ("0109876543-001", values.Registration("0109876543-001")),
    ("27A8001234", values.Registration("27A8001234")),
    ("N/A", values.Registration(problem="placeholder")),
    ("-", values.Registration(problem="placeholder")),
    ("chưa có", values.Registration(problem="placeholder")),
    ("1.09877E+09", values.Registration(problem="scientific")),
    ("1,09877E+09", values.Registration(problem="scientific")),
    ("số 12 đường X", values.Registration(problem="invalid")),
    ("", values.Registration()),
]


@pytest.mark.parametrize(("text", "expected"), REGISTRATIONS)
def test_registration_numbers_as_excel_leaves_them(text, expected):
    assert values.parse_registration(text) == expected


PHONES = [
    ("0912 345 678", ["0912 345 678"]),
    ("0912345678 / 0203 3456 789", ["0912345678", "0203 3456 789"]),
    ("0912345678; 0987654321", ["0912345678", "0987654321"]),
    ("0912345678 - 0987654321", ["0912345678", "0987654321"]),
    ("0912345678 hoặc 0987654321", ["0912345678", "0987654321"]),
    ("N/A", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), PHONES)
def test_several_phones_in_one_cell(text, expected):
    assert values.split_phones(text) == expected


def test_a_phone_that_lost_its_zero_is_noticed():
    assert values.phone_lost_zero("912345678")
    assert not values.phone_lost_zero("0912345678")


def test_clean_composes_and_trims():
    assert values.clean("  Hoà\u00a0 Bình \u200b") == "Hoà Bình"
    assert values.clean("Hoa\u0300") == "Hoà"


SAME_PRODUCER = [
    ("HTX Nông nghiệp Cầu Kè", "Hợp tác xã Nông nghiệp Cầu Kè"),
    ("HTXNN Cầu Kè", "Hợp tác xã nông nghiệp Cầu Kè"),
    ("HTX NN Cầu Kè", "HỢP TÁC XÃ NÔNG NGHIỆP CẦU KÈ"),
    ("Cty TNHH MTV Thực phẩm Ước Lễ", "Công ty TNHH một thành viên Thực phẩm Ước Lễ"),
    ("Công ty CP Sữa", "Công ty Cổ phần Sữa"),
    ("Hộ SXKD Bà Tươi", "Hộ sản xuất kinh doanh Bà Tươi"),
    ("HTX Cầu Kè ", "HTX  Cầu  Kè"),
    ("HTX Ca\u0300u Ke\u0300", "HTX Cầu Kè"),
]


@pytest.mark.parametrize(("one", "other"), SAME_PRODUCER)
def test_the_same_producer_spelled_two_ways_has_one_name_key(one, other):
    assert values.name_key(one) == values.name_key(other)


def test_different_producers_keep_different_name_keys():
    assert values.name_key("HTX Cầu Kè") != values.name_key("HTX Cầu Ngang")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("348/QĐ-UBND ngày 06/4/2021", "06/4/2021"),
        ("Quyết định số 1234/QĐ-UBND ngày 6 tháng 4 năm 2021", "6 thang 4 nam 2021"),
        ("348/QĐ-UBND", ""),
        ("", ""),
    ],
)
def test_the_date_in_a_decision_reference(text, expected):
    assert values.decision_date(text) == expected
    if expected:
        assert values.parse_date(expected) is not None
