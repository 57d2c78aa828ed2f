"""Places as old lists write them, resolved to today's units (registry/places.py), and the
2025 conversion data checked against the published resolutions (docs/places.md)."""

import json

import pytest
from vietnam_provinces import Ward

from registry.places import CONVERTED, EXACT, PARTIAL, UNKNOWN, Places, bare, key_of
from registry.reference_data import DATA_DIR

# Old commune (its district) -> today's commune, as the National Assembly Standing
# Committee's resolutions of June 2025 say (sources in docs/places.md). Each line is one
# place whose whole area went into one new commune.
RESOLUTIONS = [
    # Resolution 1656/NQ-UBTVQH15 (Hà Nội), Điều 1 khoản 1: → phường Hoàn Kiếm
    ("01", "Quận Hoàn Kiếm", "Phường Hàng Bạc", "Phường Hoàn Kiếm"),
    ("01", "Quận Hoàn Kiếm", "Phường Hàng Bồ", "Phường Hoàn Kiếm"),
    ("01", "Quận Hoàn Kiếm", "Phường Hàng Buồm", "Phường Hoàn Kiếm"),
    ("01", "Quận Hoàn Kiếm", "Phường Hàng Đào", "Phường Hoàn Kiếm"),
    ("01", "Quận Hoàn Kiếm", "Phường Hàng Gai", "Phường Hoàn Kiếm"),
    ("01", "Quận Hoàn Kiếm", "Phường Hàng Mã", "Phường Hoàn Kiếm"),
    ("01", "Quận Hoàn Kiếm", "Phường Lý Thái Tổ", "Phường Hoàn Kiếm"),
    # khoản 2: → phường Cửa Nam
    ("01", "Quận Hoàn Kiếm", "Phường Hàng Bài", "Phường Cửa Nam"),
    ("01", "Quận Hoàn Kiếm", "Phường Phan Chu Trinh", "Phường Cửa Nam"),
    ("01", "Quận Hoàn Kiếm", "Phường Trần Hưng Đạo", "Phường Cửa Nam"),
    # khoản 3: → phường Ba Đình
    ("01", "Quận Ba Đình", "Phường Quán Thánh", "Phường Ba Đình"),
    ("01", "Quận Ba Đình", "Phường Trúc Bạch", "Phường Ba Đình"),
    # khoản 6: → phường Hai Bà Trưng
    ("01", "Quận Hai Bà Trưng", "Phường Đồng Nhân", "Phường Hai Bà Trưng"),
    ("01", "Quận Hai Bà Trưng", "Phường Phố Huế", "Phường Hai Bà Trưng"),
    # → phường Hồng Hà (whole areas of Phúc Tân, Chương Dương, Phúc Xá)
    ("01", "Quận Hoàn Kiếm", "Phường Phúc Tân", "Phường Hồng Hà"),
    ("01", "Quận Hoàn Kiếm", "Phường Chương Dương", "Phường Hồng Hà"),
    ("01", "Quận Ba Đình", "Phường Phúc Xá", "Phường Hồng Hà"),
    # → xã Đông Anh (whole areas of Cổ Loa, Đông Hội, Mai Lâm)
    ("01", "Huyện Đông Anh", "Xã Cổ Loa", "Xã Đông Anh"),
    ("01", "Huyện Đông Anh", "Xã Đông Hội", "Xã Đông Anh"),
    ("01", "Huyện Đông Anh", "Xã Mai Lâm", "Xã Đông Anh"),
    # → xã Phượng Dực (Phượng Dực, Văn Hoàng, Hoàng Long, Phú Túc, Hồng Minh)
    ("01", "Huyện Phú Xuyên", "Xã Phượng Dực", "Xã Phượng Dực"),
    ("01", "Huyện Phú Xuyên", "Xã Văn Hoàng", "Xã Phượng Dực"),
    ("01", "Huyện Phú Xuyên", "Xã Hoàng Long", "Xã Phượng Dực"),
    ("01", "Huyện Phú Xuyên", "Xã Phú Túc", "Xã Phượng Dực"),
    ("01", "Huyện Phú Xuyên", "Xã Hồng Minh", "Xã Phượng Dực"),
    # → xã Phù Đổng (Ninh Hiệp, Phù Đổng, Yên Thường, Thiên Đức of Gia Lâm)
    ("01", "Huyện Gia Lâm", "Xã Ninh Hiệp", "Xã Phù Đổng"),
    ("01", "Huyện Gia Lâm", "Xã Phù Đổng", "Xã Phù Đổng"),
    # Vĩnh Long (with Bến Tre and Trà Vinh): → xã Cái Nhum, phường Long Châu
    ("86", "Huyện Mang Thít", "Thị trấn Cái Nhum", "Xã Cái Nhum"),
    ("86", "Huyện Mang Thít", "Xã An Phước", "Xã Cái Nhum"),
    ("86", "Huyện Mang Thít", "Xã Chánh An", "Xã Cái Nhum"),
    ("86", "Thành phố Vĩnh Long", "Phường 1", "Phường Long Châu"),
    ("86", "Thành phố Vĩnh Long", "Phường 9", "Phường Long Châu"),
    ("86", "Thành phố Vĩnh Long", "Phường Trường An", "Phường Long Châu"),
]


@pytest.fixture(scope="module")
def data():
    return json.loads((DATA_DIR / "units_before_2025.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("old_province", "district", "commune", "today"), RESOLUTIONS)
def test_the_data_follows_the_resolutions(data, old_province, district, commune, today):
    names = {f"{int(w.code):05d}": w.name for w in Ward.iter_all()}
    district_code = next(
        code for code, name, _k, p in data["districts"] if name == district and p == old_province
    )
    (codes,) = [
        new for _c, name, _k, d, new in data["communes"] if (d, name) == (district_code, commune)
    ]
    assert names[codes[0]] == today


def test_a_divided_ward_lists_every_successor(data):
    """Phạm Đình Hổ went partly to Cửa Nam and partly to Hai Bà Trưng (1656, khoản 2, 6)."""
    names = {f"{int(w.code):05d}": w.name for w in Ward.iter_all()}
    (codes,) = [new for _c, name, _k, _d, new in data["communes"] if name == "Phường Phạm Đình Hổ"]
    assert {names[c] for c in codes} == {"Phường Cửa Nam", "Phường Hai Bà Trưng"}


def test_merged_provinces_point_to_today(data):
    today = {old: new for _c, old, new in data["provinces"]}
    assert today["Tỉnh Bạc Liêu"] == today["Tỉnh Cà Mau"] == "96"  # 202/2025/QH15, Điều 1.22
    assert today["Tỉnh Trà Vinh"] == today["Tỉnh Bến Tre"] == "86"  # Vĩnh Long
    assert today["Tỉnh Hà Giang"] == "08"  # Tuyên Quang


@pytest.mark.parametrize(
    ("written", "level", "key"),
    [
        ("TT Cầu Kè", "commune", "cau ke"),
        ("TT. Cầu Kè", "commune", "cau ke"),
        ("Thị trấn  Cầu Kè", "commune", "cau ke"),
        ("Xã Tân An", "commune", "tan an"),
        ("xa tan an", "commune", "tan an"),
        ("Phường 01", "commune", "1"),
        ("Xã Xuân Mai", "commune", "xuan mai"),  # "xa" must not eat "Xuân"
        ("huyện Chương Mỹ", "district", "chuong my"),
        ("H. Chương Mỹ", "district", "chuong my"),
        ("TP Hà Nội", "province", "ha noi"),
        ("Tỉnh Trà Vinh", "province", "tra vinh"),
        ("Thanh Hóa", "province", "thanh hoa"),
    ],
)
def test_names_are_compared_without_their_kind(written, level, key):
    assert key_of(written, level) == key


def test_decomposed_accents_are_the_same_name():
    import unicodedata

    assert bare(unicodedata.normalize("NFD", "Thị trấn Cầu Kè"), "commune") == "cau ke"


_loaded = []


@pytest.fixture
def places(db):
    """Built once for the module (the units are session reference data, never changed here)."""
    if not _loaded:
        _loaded.append(Places.load())
    return _loaded[0]


@pytest.mark.parametrize(
    ("given", "status", "today", "old"),
    [
        (
            {"commune": "TT Cầu Kè", "district": "huyện Cầu Kè", "province": "Trà Vinh"},
            CONVERTED,
            "Xã Cầu Kè",
            "Thị trấn Cầu Kè, Huyện Cầu Kè, Tỉnh Trà Vinh",
        ),
        (
            {"commune": "TT Cầu Kè", "province": "Tỉnh Trà Vinh"},
            CONVERTED,
            "Xã Cầu Kè",
            "Thị trấn Cầu Kè, Huyện Cầu Kè, Tỉnh Trà Vinh",
        ),
        (
            {"address": "Thôn 3, xã Vân Nội, huyện Đông Anh, TP Hà Nội"},
            CONVERTED,
            "Xã Phúc Thịnh",
            "Xã Vân Nội, Huyện Đông Anh, Thành phố Hà Nội",
        ),
        (
            {"commune": "Xã Vân Nội, huyện Đông Anh", "province": "Hà Nội"},
            CONVERTED,
            "Xã Phúc Thịnh",
            "Xã Vân Nội, Huyện Đông Anh, Thành phố Hà Nội",
        ),
        (
            {"commune": "Xa Van Noi", "district": "Dong Anh", "province": "01"},
            CONVERTED,
            "Xã Phúc Thịnh",
            "Xã Vân Nội, Huyện Đông Anh, Thành phố Hà Nội",
        ),
        (
            {"commune": "Phường 1", "district": "TP Vĩnh Long", "province": "Vĩnh Long"},
            CONVERTED,
            "Phường Long Châu",
            "Phường 1, Thành phố Vĩnh Long, Tỉnh Vĩnh Long",
        ),
        ({"commune": "Xã Phúc Thịnh", "province": "Hà Nội"}, EXACT, "Xã Phúc Thịnh", ""),
        ({"commune": "Phúc Thịnh", "province": "01"}, EXACT, "Xã Phúc Thịnh", ""),
    ],
)
def test_places_as_written_are_today_s_communes(places, given, status, today, old):
    match = places.resolve_place(**given)
    assert (match.status, match.unit.name, match.old_label) == (status, today, old)
    if status == CONVERTED:
        assert match.historical_unit.abolished_on is not None
        assert match.new_label.startswith(today)


def test_only_a_district_is_kept_to_be_completed_with_its_communes_of_today(places):
    match = places.resolve_place(district="Huyện Đông Anh", province="Hà Nội")
    assert match.status == PARTIAL
    assert match.unit.code == "01"
    assert match.historical_unit.name == "Huyện Đông Anh"
    assert "Xã Phúc Thịnh" in {u.name for u in match.suggestions}
    assert "Huyện Đông Anh" in match.message


def test_only_an_old_province_is_kept_to_be_completed(places):
    match = places.resolve_place(province="Tỉnh Hà Giang")
    assert (match.status, match.unit.name) == (PARTIAL, "Tuyên Quang")


def test_a_name_not_found_offers_the_closest_current_communes(places):
    # Phú Nam An merged into Hòa Phú before 2025: not in the 2025 data, so suggested.
    match = places.resolve_place(commune="Xã Phú Nam An", province="Hà Nội")
    assert match.status == UNKNOWN and match.unit is None
    assert match.suggestions and all(u.abolished_on is None for u in match.suggestions)
    assert "Xã Phú Nam An" in match.message


def test_a_name_not_found_in_a_known_district_keeps_the_district_to_be_completed(places):
    match = places.resolve_place(commune="Xã Phú Nam An, huyện Chương Mỹ", province="Hà Nội")
    assert match.status == PARTIAL and match.unit.code == "01"
    assert match.historical_unit.name == "Huyện Chương Mỹ"
    assert match.suggestions and all(u.abolished_on is None for u in match.suggestions)
    assert "Xã Phú Nam An" in match.message


def test_a_last_roman_numeral_is_the_number_written(places):
    match = places.resolve_place(commune="Xã Tam Xuân 1", district="Huyện Núi Thành")
    assert match.status == CONVERTED and match.historical_unit.name == "Xã Tam Xuân I"


def test_a_divided_ward_is_converted_to_its_first_successor_with_a_warning(places, english):
    match = places.resolve_place(
        commune="Phường Phạm Đình Hổ", district="Quận Hai Bà Trưng", province="Hà Nội"
    )
    assert match.status == CONVERTED
    assert {match.unit.name, *(u.name for u in match.suggestions)} == {
        "Phường Cửa Nam",
        "Phường Hai Bà Trưng",
    }
    assert "divided" in match.message


@pytest.mark.parametrize(
    "given",
    [
        {},
        {"province": "Tỉnh Không Có"},
        {"commune": "   "},
        {"address": ",,,"},
        {"district": "Huyện Không Có"},
        {"commune": "N/A", "province": "Hà Nội"},
        {"address": "x" * 5000},
    ],
)
def test_nothing_crashes_and_nothing_is_invented(places, given):
    match = places.resolve_place(**given)
    assert match.status in (UNKNOWN, PARTIAL)
    assert match.unit is None or match.unit.level == "province"
    assert match.message


def test_resolving_many_places_asks_the_database_nothing(places, django_assert_num_queries):
    with django_assert_num_queries(0):
        for _ in range(50):
            places.resolve_place(address="Thôn 3, xã Vân Nội, huyện Đông Anh, TP Hà Nội")
            places.resolve_place(district="Huyện Đông Anh", province="Hà Nội")


def test_a_province_code_of_before_2025_is_today_s_province(places):
    """Codes that exist today are today's; "02" (Hà Giang) exists no more: Tuyên Quang."""
    assert places.province_of("02") == (places.provinces["08"], "Tỉnh Hà Giang")
    assert places.province_of("1") == (places.provinces["01"], "")
    assert places.province_of("99") == (None, "")


def test_random_text_in_every_place_column_never_crashes(places):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    cell = st.one_of(
        st.text(max_size=60),
        st.sampled_from(["Hà Nội", "Huyện Đông Anh", "TT", "Xã", ",", "Phường 01", "N/A", ""]),
    )

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(cell, cell, cell, cell)
    def check(province, district, commune, address):
        match = places.resolve_place(province, district, commune, address)
        assert match.status in ("exact", "converted", "partial", "unknown")
        if match.unit is not None:
            assert match.unit.abolished_on is None  # never a unit that no longer exists
        if match.status in ("exact", "converted"):
            assert match.commune is not None

    check()


@pytest.mark.parametrize(
    ("address", "today"),
    [
        ("Xã Vân Nội, Đông Anh", "Xã Phúc Thịnh"),
        ("Số 5 Hàng Bạc, phường Hàng Bạc, quận Hoàn Kiếm, Hà Nội", "Phường Hoàn Kiếm"),
        ("phường Hàng Bạc, Số 5 phố Hàng Bạc, Hoàn Kiếm, Hà Nội", "Phường Hoàn Kiếm"),
        ("Thôn 3; TT. Cầu Kè; H. Cầu Kè; T. Trà Vinh", "Xã Cầu Kè"),
        ("xa van noi - huyen dong anh - ha noi", "Xã Phúc Thịnh"),
    ],
)
def test_an_address_is_read_wherever_its_commune_stands(places, address, today):
    match = places.resolve_place(address=address)
    assert match.status in (EXACT, CONVERTED) and match.unit.name == today
