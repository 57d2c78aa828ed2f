"""The columns of an import file: keys, the Vietnamese headers of the template, aliases.

The headers are part of the file format, not of the interface: the template carries the
same Vietnamese headers whatever language the page is in, and the reader accepts them,
the English keys ("registration_number" or "registration number") and a few common
variants. Headers are compared folded (no accents, lower case, single spaces, anything
in brackets dropped), so "Số sao", "so sao" and "SỐ SAO (3-5)" are the same column.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from registry import search


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Vietnamese header written in the template
    label: object  # English msgid, shown in messages
    required: bool
    example: str
    aliases: tuple[str, ...] = ()
    text: bool = True  # formatted as text in the XLSX template (keeps leading zeros)


COLUMNS: tuple[Column, ...] = (
    Column(
        "registration_number",
        "Số đăng ký kinh doanh",
        _("registration number"),
        False,
        "0109876543",
        (
            "số đăng ký",
            "mã số doanh nghiệp",
            "mã số thuế",
            "số đkkd",
            "mst",
            "mã số dn",
            "số giấy đăng ký kinh doanh",
            "giấy đkkd",
            "đkkd",
            "mã số",
            "chủ thể mã số thuế",
        ),
    ),
    Column(
        "producer_name",
        "Tên chủ thể",
        _("producer name"),
        True,
        "Hợp tác xã Nông nghiệp Hữu cơ Đông Anh",
        (
            "chủ thể",
            "tên chủ thể ocop",
            "producer",
            "chủ thể tên",
            "chủ thể sản xuất",
            "chủ thể ocop",
            "tên cơ sở",
            "cơ sở sản xuất",
            "tên đơn vị",
            "đơn vị",
            "tên chủ thể đơn vị",
            "tên chủ thể sản xuất",
            "tên doanh nghiệp",
            "tên doanh nghiệp htx",
            "tên tổ chức cá nhân",
            "chủ thể tên chủ thể",
            "tên chủ thể kinh tế",
            "đơn vị sản xuất",
        ),
    ),
    Column(
        "producer_kind",
        "Loại hình chủ thể",
        _("producer type"),
        False,
        "Hợp tác xã",
        (
            "loại hình",
            "loại chủ thể",
            "producer type",
            "chủ thể loại hình",
            "loại hình tổ chức",
            "hình thức tổ chức",
            "loại hình chủ thể ocop",
            "loại hình kinh tế",
        ),
    ),
    Column(
        "commune_code",
        "Mã xã/phường",
        _("commune code"),
        False,
        "00454",
        ("mã xã", "mã phường", "mã xã phường"),
    ),
    Column(
        "commune_name",
        "Tên xã/phường",
        _("commune name"),
        False,
        "Xã Đông Anh",
        (
            "xã",
            "phường",
            "xã phường",
            "tên xã",
            "commune",
            "xã phường thị trấn",
            "tên xã phường thị trấn",
            "xã thị trấn",
            "phường xã",
        ),
    ),
    Column(
        "province_code",
        "Mã tỉnh/thành phố",
        _("province code"),
        False,
        "01",
        # Old lists name the province, also one merged away in 2025: imports/places.py.
        ("mã tỉnh", "mã tỉnh thành", "mã tỉnh thành phố", "tỉnh", "tỉnh thành phố", "tỉnh thành"),
    ),
    Column(
        "district_code",
        "Mã huyện (trước 7/2025)",
        _("district code (before July 2025)"),
        False,
        "017",
        (
            "mã huyện",
            "mã quận huyện",
            "huyện",
            "quận huyện",
            "huyện thị xã thành phố",
            "huyện thị",
            "huyện thị xã",
            "huyện tx tp",
            "huyện tx",
            "huyện thị xã tp",
            "quận huyện thị xã",
            "tên huyện",
        ),
    ),
    Column(
        "address",
        "Địa chỉ (nếu không có cột xã/huyện/tỉnh)",
        _("address"),
        False,
        "Thôn 3, xã Vân Nội, huyện Đông Anh, TP Hà Nội",
        ("địa chỉ", "địa chỉ chủ thể", "địa chỉ cơ sở", "address"),
    ),
    Column(
        "representative_name",
        "Người đại diện",
        _("legal representative"),
        False,
        "Nguyễn Thị Hoà",
        (
            "người đại diện theo pháp luật",
            "đại diện",
            "representative",
            "chủ thể người đại diện",
            "người đại diện pháp luật",
            "chủ cơ sở",
            "họ tên người đại diện",
            "giám đốc chủ cơ sở",
        ),
    ),
    Column(
        "phone",
        "Điện thoại",
        _("phone"),
        False,
        "0912 345 678",
        ("số điện thoại", "sđt", "đt", "điện thoại liên hệ", "chủ thể điện thoại"),
    ),
    Column("email", "Email", _("email"), False, "htx.donganh@example.vn", ("thư điện tử",)),
    Column(
        "product_name",
        "Tên sản phẩm",
        _("product name"),
        True,
        "Gạo nếp cái hoa vàng Đông Anh",
        (
            "sản phẩm",
            "tên sản phẩm ocop",
            "product",
            "sản phẩm tên",
            "sản phẩm ocop",
            "sản phẩm tên sản phẩm",
            "tên sản phẩm dự thi",
            "tên sản phẩm đánh giá",
        ),
    ),
    Column(
        "product_set",
        "Bộ sản phẩm (1–26)",
        _("product set"),
        False,
        "3",
        (
            "bộ sản phẩm",
            "số bộ sản phẩm",
            "mã bộ sản phẩm",
            "nhóm sản phẩm",
            "bộ",
            "phân nhóm",
            "phân nhóm sản phẩm",
            "nhóm bộ sản phẩm",
            "sản phẩm bộ sản phẩm",
            "sản phẩm nhóm",
            "nhóm",
        ),
        text=False,
    ),
    Column(
        "stars",
        "Số sao",
        _("stars"),
        True,
        "3",
        (
            "hạng sao",
            "sao",
            "xếp hạng",
            "hạng",
            "kết quả",
            "kết quả đánh giá",
            "kết quả xếp hạng",
            "số sao đạt",
            "hạng sao đạt",
            "phân hạng",
            "xếp hạng sao",
            "kết quả phân hạng",
            "sản phẩm số sao",
            "sao ocop",
        ),
        text=False,
    ),
    Column(
        "certificate_number",
        "Số giấy chứng nhận",
        _("certificate number"),
        False,
        "OCOP-017-2023-000123",
        ("số chứng nhận", "số gcn", "giấy chứng nhận", "số giấy chứng nhận ocop", "mã chứng nhận"),
    ),
    Column(
        "certificate_issued_on",
        "Ngày cấp (dd/mm/yyyy)",
        _("date of issue"),
        True,
        "15/08/2023",
        (
            "ngày cấp",
            "ngày cấp giấy chứng nhận",
            "ngày công nhận",
            "issued on",
            "ngày quyết định",
            "thời gian công nhận",
            "năm công nhận",
            "năm đạt",
            "năm",
            "năm đánh giá",
            "ngày ký",
            "ngày chứng nhận",
            "thời điểm công nhận",
            "ngày qđ",
            "ngày quyết định công nhận",
            "ngày ban hành",
        ),
    ),
    Column(
        "decision_number",
        "Số quyết định công nhận",
        _("recognition decision number"),
        False,
        "348/QĐ-UBND",
        (
            "số quyết định",
            "quyết định",
            "quyết định công nhận",
            "số qđ",
            "qđ công nhận",
            "số, ngày quyết định",
            "số và ngày quyết định",
            "số ngày quyết định công nhận",
            "quyết định số",
            "số qđ công nhận",
        ),
    ),
    Column(
        "issuing_level",
        "Cấp công nhận",
        _("issuing level"),
        False,
        "Cấp huyện",
        (
            "cấp cấp giấy",
            "cấp",
            "cấp đánh giá",
            "cấp quyết định",
            "cơ quan công nhận",
            "đơn vị công nhận",
            "cơ quan quyết định",
            "cấp đánh giá công nhận",
            "cấp công nhận sản phẩm",
        ),
    ),
)

BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED = [column for column in COLUMNS if column.required]

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def header_key(text: str) -> str:
    """The folded form a header is compared in."""
    folded = search.fold(_BRACKETS.sub(" ", str(text or "")))
    return _SEPARATORS.sub(" ", folded).strip()


def _lookup() -> dict[str, str]:
    table = {}
    for column in COLUMNS:
        for name in (column.key, column.header, *column.aliases):
            table.setdefault(header_key(name), column.key)
    return table


HEADER_LOOKUP = _lookup()


def column_for(header: str) -> str | None:
    return HEADER_LOOKUP.get(header_key(header))
