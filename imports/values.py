"""Values as people write them in provinces' OCOP lists, read into what the registry keeps.

Pure functions, no database: each takes the text of a cell and returns the value, or None
when the text cannot be read (the caller says why, in a sentence). The cases each one
accepts are tables in tests/imports/test_values.py; this module is the one place to add a
new way of writing a date, a star or a producer type.

Nothing is invented: a year without a day is kept as a year (`ParsedDate.precision`), a
registration number that lost its leading zero is warned about, not padded, and a value
that only stands for "nothing" (N/A, "-", "chưa có") reads as blank.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from registry import search

# ------------------------------------------------------------------ text
_SPACES = re.compile(r"\s+")


def clean(value) -> str:
    """NFC-composed (macOS and some Excel versions send decomposed accents), no
    non-breaking or zero-width spaces, single-spaced, trimmed."""
    text = unicodedata.normalize("NFC", str(value or ""))
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return _SPACES.sub(" ", text).strip()


def folded(value: str) -> str:
    """Accents dropped, lower case, punctuation as spaces: how words are compared."""
    return _SPACES.sub(" ", re.sub(r"[^a-z0-9*]+", " ", search.fold(clean(value)))).strip()


# Cells that stand for "nothing here" in real lists.
PLACEHOLDERS = frozenset(
    {
        "n/a",
        "na",
        "n.a",
        "#n/a",
        "-",
        "--",
        "---",
        "_",
        "x",
        "?",
        "...",
        "…",
        "0",
        "null",
        "none",
        "nil",
        "không",
        "không có",
        "chưa có",
        "chưa",
        "chưa cấp",
        "đang cập nhật",
        "k",
        "kc",
    }
)


def is_placeholder(value: str) -> bool:
    return clean(value).lower() in PLACEHOLDERS


# ------------------------------------------------------------------ dates
@dataclass(frozen=True)
class ParsedDate:
    """A date as far as the list knew it: precision "day", "month" (tháng 4/2021: the
    first of the month is stored) or "year" (2021: the first of January is stored)."""

    value: date
    precision: str = "day"

    def __str__(self):
        if self.precision == "year":
            return f"{self.value.year}"
        if self.precision == "month":
            return f"{self.value.month:02d}/{self.value.year}"
        return self.value.strftime("%d/%m/%Y")


# Excel counts days from 30 December 1899 (its 1900 leap-year bug included).
EXCEL_EPOCH = date(1899, 12, 30)
# Serials between 1 January 2000 and 31 December 2099: OCOP began in 2018.
_SERIAL_RANGE = (36526, 73415)
_WORDS_BEFORE_DATE = re.compile(
    r"^(?:ngay cap|ngay ky|ky ngay|cap ngay|vao ngay|ngay|cap|ky|nam)\s+", re.IGNORECASE
)
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_WORDED = re.compile(r"^(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{2}|\d{4})$")
_MONTH = re.compile(r"^(?:thang\s+)?(\d{1,2})\s*(?:[/.\-]|\s+nam\s+)\s*(\d{4})$")
_YEAR = re.compile(r"^(?:nam\s+)?(\d{4})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")


def _year(text: str) -> int:
    """A two-digit year is of this century: OCOP lists start in 2018."""
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def parse_date(value: str) -> ParsedDate | None:
    """06/04/2021, 6-4-21, 2021-04-06, "ngày 06/4/2021", "ngày 6 tháng 4 năm 2021",
    "tháng 4/2021", "04/2021", "2021", "năm 2021", an Excel serial (44292)."""
    # Accents dropped but separators kept ("/", "-", "."): folded() would drop them.
    raw = search.fold(clean(value).lower()).strip()
    while True:
        stripped = _WORDS_BEFORE_DATE.sub("", raw)
        if stripped == raw:
            break
        raw = stripped.strip()
    raw = raw.rstrip(".").strip()
    try:
        if match := _DMY.match(raw):
            day, month, year = int(match[1]), int(match[2]), _year(match[3])
            return ParsedDate(date(year, month, day))
        if match := _ISO.match(raw):
            return ParsedDate(date(int(match[1]), int(match[2]), int(match[3])))
        if match := _WORDED.match(raw):
            return ParsedDate(date(_year(match[3]), int(match[2]), int(match[1])))
        if match := _MONTH.match(raw):
            return ParsedDate(date(int(match[2]), int(match[1]), 1), "month")
        if match := _YEAR.match(raw):
            year = int(match[1])
            return ParsedDate(date(year, 1, 1), "year") if 1990 <= year <= 2099 else None
        if (match := _SERIAL.match(raw)) and _SERIAL_RANGE[0] <= int(match[1]) <= _SERIAL_RANGE[1]:
            return ParsedDate(EXCEL_EPOCH + timedelta(days=int(match[1])))
    except ValueError:  # 31/02/2021, month 13
        return None
    return None


_DECISION_DATE = re.compile(
    r"\bngay\s+(\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}"
    r"|\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{2,4})"
)


def decision_date(value: str) -> str:
    """The date written in a decision's reference ("348/QĐ-UBND ngày 06/4/2021"), or ""."""
    match = _DECISION_DATE.search(search.fold(clean(value).lower()))
    return match[1] if match else ""


# ------------------------------------------------------------------ stars
_STAR_WORDS = {"ba": 3, "bon": 4, "tu": 4, "nam": 5, "mot": 1, "hai": 2}
_STARS_NUMBER = re.compile(r"^(\d)(?:[.,]0+)?\s*(?:\*+|sao\b|stars?\b|★+|☆+)?")
_STARS_GLYPHS = re.compile(r"^[★☆*✩✪⭐]+$")


def parse_stars(value: str) -> int | None:
    """4, "4*", "4 *", "★★★★", "4 sao", "Bốn sao", "4 sao cấp tỉnh", "4.0", "4 stars".
    Returns the number written, whatever it is (the caller checks 3 to 5)."""
    text = clean(value)
    if not text:
        return None
    compact = text.replace(" ", "")
    if _STARS_GLYPHS.match(compact):
        return len(compact.replace("☆", "").replace("✩", "")) or None
    words = search.fold(text.lower())
    if match := _STARS_NUMBER.match(words):
        rest = words[match.end() :].strip()
        # "4 sao cấp tỉnh" is 4; "3-4" or "4/5" is not a star.
        if not rest or not re.match(r"^[\d/\-–]", rest):
            return int(match[1])
        return None
    first = words.split(" ", 1)[0]
    if first in _STAR_WORDS and ("sao" in words or words == first):
        return _STAR_WORDS[first]
    return None


# ------------------------------------------------------------------ producer types
# Folded prefixes, longest first when matched: the type written in its column, or the
# start of the producer's name ("HTX Nông nghiệp Đông Anh", "Công ty TNHH MTV ...").
ENTERPRISE, COOPERATIVE, COOPERATIVE_GROUP, FARM, HOUSEHOLD = (
    "enterprise",
    "cooperative",
    "coop_group",
    "farm",
    "household",
)
KIND_PREFIXES = {
    ENTERPRISE: (
        "enterprise",
        "doanh nghiep",
        "doanh nghiep tu nhan",
        "dntn",
        "dn",
        "cong ty",
        "cty",
        "c ty",
        "ct",
        "cong ty tnhh",
        "cong ty tnhh mtv",
        "cong ty co phan",
        "cong ty cp",
        "cty tnhh",
        "cty cp",
        "chi nhanh",
        "chi nhanh cong ty",
        "tong cong ty",
        "tnhh",
    ),
    COOPERATIVE: (
        "cooperative",
        "hop tac xa",
        "htx",
        "htxnn",
        "htx nn",
        "htx nong nghiep",
        "hop tac xa nong nghiep",
        "lien hiep hop tac xa",
        "lien hiep htx",
    ),
    COOPERATIVE_GROUP: ("coop group", "cooperative group", "to hop tac", "tht", "to hop"),
    FARM: ("farm", "trang trai", "chu trang trai"),
    HOUSEHOLD: (
        "household",
        "registered household business",
        "ho kinh doanh",
        "ho kinh doanh co dang ky",
        "ho kinh doanh ca the",
        "ho san xuat",
        "ho san xuat kinh doanh",
        "ho sxkd",
        "ho sx",
        "ho kd",
        "hkd",
        "ho gia dinh",
        "ho",
        "co so",
        "co so san xuat",
        "csxs",
        "cssx",
        "ca nhan",
        "ca the",
    ),
}
_KIND_TABLE = sorted(
    ((prefix, kind) for kind, prefixes in KIND_PREFIXES.items() for prefix in prefixes),
    key=lambda item: -len(item[0]),
)
_KIND_EXACT = dict(_KIND_TABLE)


def parse_kind(value: str) -> str | None:
    """The producer type as written in its column: "HTX", "HTXNN", "Hộ SXKD",
    "Công ty TNHH MTV", "DNTN", "Cơ sở sản xuất …", "cá nhân"."""
    words = folded(value)
    if not words:
        return None
    if words in _KIND_EXACT:
        return _KIND_EXACT[words]
    return kind_from_name(value)


def kind_from_name(name: str) -> str | None:
    """The type a producer's name starts with: "HTX Nông nghiệp Đông Anh" is a
    cooperative, "Công ty CP Thực phẩm …" an enterprise, "Hộ kinh doanh Bà Tươi" a
    household. None when the name starts with none of them (a person's name)."""
    words = folded(name)
    for prefix, kind in _KIND_TABLE:
        if words == prefix or words.startswith(prefix + " "):
            return kind
    return None


# ------------------------------------------------------------------ levels
# The centrally governed cities: "UBND thành phố Hà Nội" is a province-level office,
# "UBND thành phố Bắc Giang" (a city under a province before July 2025) a district one.
CENTRAL_CITIES = ("ha noi", "ho chi minh", "hcm", "hai phong", "da nang", "can tho", "hue")
_LEVEL_EXACT = {
    "district": "district",
    "huyen": "district",
    "cap huyen": "district",
    "quan": "district",
    "quan huyen": "district",
    "cap quan huyen": "district",
    "cap quan": "district",
    "thi xa": "district",
    "province": "province",
    "tinh": "province",
    "cap tinh": "province",
    "thanh pho": "province",
    "tinh thanh pho": "province",
    "cap thanh pho": "province",
    "cap tinh thanh pho": "province",
    "central": "central",
    "national": "central",
    "trung uong": "central",
    "cap trung uong": "central",
    "quoc gia": "central",
    "cap quoc gia": "central",
    "cap bo": "central",
}


def parse_level(value: str) -> str | None:
    """The level that recognised the stars: "Cấp tỉnh", "UBND tỉnh Bắc Giang", "UBND
    huyện Chương Mỹ", "UBND thị xã …", "Bộ Nông nghiệp và PTNT", "cấp quốc gia",
    "Quyết định của Chủ tịch UBND tỉnh …"."""
    words = folded(value)
    if not words:
        return None
    if words in _LEVEL_EXACT:
        return _LEVEL_EXACT[words]
    words = re.sub(r"^(?:quyet dinh|qd)(?: so)?(?: cua)?\s+", "", words)
    words = re.sub(r"^(?:chu tich|ct)\s+", "", words)
    words = re.sub(r"^(?:ubnd|uy ban nhan dan|ub)\s+", "", words)
    if words.startswith(("bo ", "thu tuong", "chinh phu", "cap quoc gia", "quoc gia")):
        return "central"
    if words == "bo":
        return "central"
    if words.startswith(("huyen ", "quan ", "thi xa ", "cap huyen")):
        return "district"
    if words.startswith(("tinh ", "cap tinh")):
        return "province"
    for prefix in ("thanh pho ", "tp "):
        if words.startswith(prefix):
            city = words[len(prefix) :]
            return "province" if city.startswith(CENTRAL_CITIES) else "district"
    return None


_LEVEL_PREFIX_WORDS = {"quyet", "dinh", "qd", "so", "cua", "chu", "tich", "ct", "ubnd", "ub"}
_LEVEL_PREFIX_WORDS |= {"uy", "ban", "nhan", "dan"}
_UNIT_WORDS = ("huyen", "quan", "thi xa", "thanh pho", "tp", "tx")


def level_unit_name(value: str) -> str:
    """The unit a level's text names, as written: "UBND huyện Lục Ngạn" → "huyện Lục
    Ngạn", "Quyết định của UBND thị xã Trà Vinh" → "thị xã Trà Vinh"; "" when it names
    none ("Cấp huyện", "UBND tỉnh Trà Vinh" names a province, not a district)."""
    words = clean(value).replace(".", ". ").split()
    while words and search.fold(words[0]).lower().strip(".:,") in _LEVEL_PREFIX_WORDS:
        words = words[1:]
    rest = " ".join(words)
    folded_rest = " ".join(search.fold(rest).lower().replace(".", " ").split())
    if any(folded_rest.startswith(w + " ") for w in _UNIT_WORDS) and len(words) > 1:
        return rest
    return ""


# ------------------------------------------------------------------ product sets
@dataclass(frozen=True)
class SetName:
    number: int
    name: str
    group_name: str


# The six groups of Decision 1048/QĐ-TTg (2019), which lists recognised before 2023 name,
# as today's groups (Decision 148/26 Appendix I), folded: a product of such a group is not
# yet classified, as with today's group names. "Vải và may mặc" needs no entry: it is
# today's set 22 "Vải, may mặc". docs/imports-reading.md.
OLD_GROUPS = {
    "thao duoc": "duoc lieu va san pham tu duoc lieu",
    "luu niem noi that trang tri": "hang thu cong my nghe",
    "do luu niem noi that trang tri": "hang thu cong my nghe",
    "thu cong my nghe": "hang thu cong my nghe",
    "dich vu du lich nong thon va ban hang": (
        "dich vu du lich cong dong du lich sinh thai va diem du lich"
    ),
    "dich vu du lich": "dich vu du lich cong dong du lich sinh thai va diem du lich",
    "du lich cong dong": "dich vu du lich cong dong du lich sinh thai va diem du lich",
}


def _and_key(text: str) -> str:
    return " ".join(w for w in folded(text).split() if w != "va")


def parse_product_set(value: str, sets: list[SetName]) -> tuple[int | None, bool]:
    """(the set's number, whether the text named only a group of several sets).

    "3", "Bộ 3", "3.0", the set's name ("Gạo, ngũ cốc, hạt sơ chế khác") or a name it
    starts with; a group's name ("Thực phẩm", "Đồ uống") names several sets: (None, True),
    the product is kept as not yet classified."""
    words = folded(value)
    if not words:
        return None, False
    if match := re.match(r"^(?:bo(?: san pham)?(?: so)?\s+)?(\d{1,2})(?: 0+)?$", words):
        number = int(match[1])
        return (number if any(s.number == number for s in sets) else None), False
    for item in sets:
        # "Vải và may mặc" is the set "Vải, may mặc": "và" written for the comma.
        if _and_key(item.name) == _and_key(words):
            return item.number, False
    group = words.removeprefix("san pham ").removeprefix("nhom ")
    group = OLD_GROUPS.get(group, group)
    for item in sets:
        if folded(item.group_name).removeprefix("san pham ") == group:
            return None, True
    starts = [s for s in sets if folded(s.name).startswith(words + " ")]
    if len(starts) == 1:
        return starts[0].number, False
    return None, False


# ------------------------------------------------------------------ numbers and phones
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?e\+?\d+$", re.IGNORECASE)
_REGISTRATION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z./\-]*$")


@dataclass(frozen=True)
class Registration:
    number: str = ""
    problem: str = ""  # "placeholder", "scientific", "invalid" or ""
    lost_zero: bool = False  # 9 or 12 digits: a 10- or 13-digit code without its 0


def parse_registration(value: str) -> Registration:
    """A business registration or tax number as Excel leaves it."""
    if is_placeholder(value):
        return Registration(problem="placeholder")
    text = re.sub(r"\s+", "", clean(value)).removesuffix(".0")
    if not text:
        return Registration()
    if _SCIENTIFIC.match(text):
        return Registration(problem="scientific")
    if len(text) > 30 or not _REGISTRATION.match(text):
        return Registration(problem="invalid")
    # Tax codes are 10 digits (13 for a branch: 10, "-", 3) and most start with 0.
    lost = text.isdigit() and len(text) in (9, 12)
    return Registration(number=text, lost_zero=lost)


_PHONE_SPLIT = re.compile(r"\s*(?:[;,/\n|]|\s-\s|\bhoặc\b|\bhoac\b|\bva\b|\bvà\b)\s*")


def split_phones(value: str) -> list[str]:
    """ "0912 345 678 / 0203 3456 789" is two numbers: the first is kept."""
    text = clean(value)
    if not text or is_placeholder(text):
        return []
    parts = [p.strip() for p in _PHONE_SPLIT.split(text) if p and p.strip()]
    return [part for part in parts if re.search(r"\d", part)]


def phone_lost_zero(phone: str) -> bool:
    """A Vietnamese number is 10 digits from 0 (or +84…): 9 digits lost their 0 in Excel."""
    digits = re.sub(r"\D", "", phone)
    return len(digits) == 9 and not phone.strip().startswith("+")


# ------------------------------------------------------------------ producers' names
# Abbreviations lists use for the same words, expanded before two names are compared:
# "HTX NN Cầu Kè" and "Hợp tác xã Nông nghiệp Cầu Kè" are one producer.
_ABBREVIATIONS = (
    ("htxnn", "hop tac xa nong nghiep"),
    ("htx", "hop tac xa"),
    ("nn", "nong nghiep"),
    ("cty", "cong ty"),
    ("c ty", "cong ty"),
    ("cp", "co phan"),
    ("tnhh", "trach nhiem huu han"),
    ("mtv", "mot thanh vien"),
    ("dntn", "doanh nghiep tu nhan"),
    ("dn", "doanh nghiep"),
    ("sxkd", "san xuat kinh doanh"),
    ("sx", "san xuat"),
    ("kd", "kinh doanh"),
    ("hkd", "ho kinh doanh"),
    ("tht", "to hop tac"),
    ("dv", "dich vu"),
    ("tm", "thuong mai"),
    ("xnk", "xuat nhap khau"),
    ("tp", "thuc pham"),
    ("csxs", "co so san xuat"),
    ("cssx", "co so san xuat"),
)
_ABBREVIATION = dict(_ABBREVIATIONS)


def name_key(name: str) -> str:
    """How two producers' names are compared: folded, punctuation dropped, abbreviations
    written out ("Cty TNHH MTV" = "Công ty trách nhiệm hữu hạn một thành viên")."""
    words = folded(name).replace("*", " ").split()
    return " ".join(_ABBREVIATION.get(word, word) for word in words)
