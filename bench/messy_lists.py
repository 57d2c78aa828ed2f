"""OCOP lists as provinces keep them, for measuring the import (issue 14, point 9).

Eight lists built like the published ones: recognition decisions' annexes, district
assessment tables, lists compiled for the press — from several provinces, with the places
as written when the products were recognised (pre-2025 provinces, districts and communes,
some only a district or a province, some one free-text address), no registration numbers
or only some (a few turned into numbers by Excel), the decision's number on every row,
years, two-digit years, "ngày …", Excel serials, producer types as people write them,
stars as "4*", "★★★★", "Bốn sao", "4 sao cấp tỉnh", product groups by name, "N/A", two
phone numbers in a cell, trailing spaces, decomposed Unicode, a Windows-1258 CSV; title
rows, the list on the second sheet, merged header cells, an STT column, notes at the end.

`build_all(folder)` writes them (and each "renamed" variant: the same values with the
columns renamed to the template's headers and nothing else — the second way the issue
tried them); `messy_rows(n)` makes an n-row list for timing. Deterministic (seeded), so a
re-run measures the same files. The names are plausible, not a record of real products.
"""

import csv
import io
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

# Pre-2025 province → {district: [communes]}; the names as they were before the 2025
# reorganisation (several of these provinces and all districts no longer exist).
PLACES = {
    "Hà Nội": {
        "huyện Chương Mỹ": ["Xã Phú Nam An", "Xã Hoàng Văn Thụ", "Xã Đại Yên", "TT Chúc Sơn"],
        "huyện Đông Anh": ["Xã Vân Nội", "Xã Uy Nỗ", "Xã Xuân Canh", "TT Đông Anh"],
        "huyện Hoài Đức": ["Xã An Khánh", "Xã Đức Giang", "TT Trạm Trôi"],
    },
    "Trà Vinh": {
        "huyện Cầu Kè": ["TT Cầu Kè", "Xã Hòa Ân", "Xã Phong Phú"],
        "huyện Trà Cú": ["Xã Ngãi Xuyên", "Xã Tập Sơn", "TT Trà Cú"],
    },
    "Hà Giang": {
        "huyện Đồng Văn": ["Xã Lũng Cú", "Xã Sà Phìn", "TT Phó Bảng"],
        "huyện Quản Bạ": ["Xã Cán Tỷ", "TT Tam Sơn"],
    },
    "Quảng Nam": {
        "huyện Đại Lộc": ["Xã Đại Hiệp", "Xã Đại Đồng", "TT Ái Nghĩa"],
        "huyện Núi Thành": ["Xã Tam Hiệp", "Xã Tam Xuân 1"],
    },
    "Bắc Giang": {
        "huyện Lục Ngạn": ["Xã Phượng Sơn", "Xã Quý Sơn", "TT Chũ"],
        "huyện Yên Thế": ["Xã Đồng Tâm", "TT Cầu Gồ"],
    },
    "Thái Bình": {
        "huyện Vũ Thư": ["Xã Song Lãng", "Xã Hồng Lý"],
        "huyện Thái Thụy": ["Xã Thụy Hải", "TT Diêm Điền"],
    },
    "Sóc Trăng": {
        "huyện Mỹ Xuyên": ["Xã Đại Tâm", "TT Mỹ Xuyên"],
        "huyện Long Phú": ["Xã Long Đức", "TT Long Phú"],
    },
    "Lâm Đồng": {
        "huyện Đức Trọng": ["Xã Hiệp Thạnh", "TT Liên Nghĩa"],
        "thành phố Bảo Lộc": ["Xã Đại Lào", "Phường Lộc Phát"],
    },
}

KINDS = [
    "HTX",
    "HTXNN",
    "HTX nông nghiệp",
    "Hộ SXKD",
    "hộ kinh doanh",
    "Cơ sở sản xuất",
    "cá nhân",
    "Công ty TNHH MTV",
    "Công ty CP",
    "DNTN",
    "Chi nhánh công ty",
    "Tổ hợp tác",
]
PRODUCTS = [
    ("Thực phẩm", ["Miến dong", "Chả cá", "Mật ong bạc hà", "Gạo ST25", "Bưởi", "Vải thiều"]),
    ("Đồ uống", ["Trà shan tuyết", "Rượu ngô", "Cà phê bột", "Nước cốt dừa"]),
    ("Thảo dược", ["Cao gắm", "Trà atiso", "Tinh dầu sả"]),
    ("Vải và may mặc", ["Khăn thổ cẩm", "Lụa tơ tằm"]),
    ("Lưu niệm - nội thất - trang trí", ["Mây tre đan", "Gốm sứ"]),
]
STARS = {
    3: ["3", "3*", "★★★", "3 sao", "Ba sao", "3 sao cấp huyện"],
    4: ["4", "4*", "★★★★", "4 sao", "Bốn sao", "4 sao cấp tỉnh"],
    5: ["5 sao", "★★★★★", "Năm sao"],
}
NAMES = ["Phú", "An", "Hưng", "Thịnh", "Phát"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
GIVEN = ["Thị Hoà", "Văn Minh", "Thị Lan", "Văn Hùng", "Thị Thu", "Đức Anh", "Văn Tài"]


@dataclass
class Product:
    """One recognised product, as the truth the lists are written from."""

    province: str
    district: str
    commune: str
    producer: str
    kind: str
    registration: str  # "" when the list has none
    representative: str
    phone: str
    name: str
    group: str
    stars: int
    decision: str
    recognised: date
    extra: dict = field(default_factory=dict)


def _products(rng: random.Random, province: str, count: int, year: int) -> list[Product]:
    decision = f"{rng.randint(100, 3999)}/QĐ-UBND"
    out = []
    for n in range(count):
        district = rng.choice(list(PLACES[province]))
        commune = rng.choice(PLACES[province][district])
        kind = rng.choice(KINDS)
        village = commune.split(" ", 1)[1]
        group, names = rng.choice(PRODUCTS)
        stars = rng.choices([3, 4, 5], weights=[6, 3, 1])[0]
        out.append(
            Product(
                province=province,
                district=district,
                commune=commune,
                producer=f"{kind} {rng.choice(NAMES)} {village} {n + 1}",
                kind=kind,
                registration=f"{rng.randint(1, 9):02d}{rng.randint(0, 99999999):08d}"
                if rng.random() < 0.4
                else "",
                representative=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                phone=f"09{rng.randint(10000000, 99999999)}",
                name=f"{rng.choice(names)} {village}",
                group=group,
                stars=stars,
                decision=decision,
                recognised=date(year, rng.randint(1, 12), rng.randint(1, 28)),
            )
        )
    return out


# ------------------------------------------------------------------ the eight lists
@dataclass
class MessyList:
    file_name: str
    province: str
    title: list[str]
    headers: list[str]
    rows: list[list]
    notes: list[str] = field(default_factory=list)
    second_sheet: bool = False
    merged_header: bool = False
    encoding: str = ""  # a CSV in this encoding; "" = XLSX


def _stt(rows):
    return [[n, *row] for n, row in enumerate(rows, 1)]


def lists(seed: int = 14) -> list[MessyList]:
    rng = random.Random(seed)
    out = []

    # 1. Hà Nội, an annex to a recognition decision: two title rows, merged header cells,
    # STT, the commune and the district in one cell, "4*", two-digit years, notes.
    items = _products(rng, "Hà Nội", 40, 2021)
    out.append(
        MessyList(
            "01-ha-noi-chuong-my-2021.xlsx",
            "Hà Nội",
            [
                "DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN NĂM 2021",
                f"(Kèm theo Quyết định số {items[0].decision} ngày 06/4/2021 của UBND thành phố)",
            ],
            ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Số QĐ", "Ngày QĐ"],
            _stt(
                [
                    p.name,
                    p.producer,
                    f"{p.commune}, {p.district}",
                    f"{p.stars}*",
                    p.decision,
                    p.recognised.strftime("%d/%m/%y"),
                ]
                for p in items
            ),
            notes=[
                "Ghi chú: danh sách gồm các sản phẩm đạt từ 3 sao trở lên.",
                "Nguồn: Sở NN&PTNT",
            ],
            merged_header=True,
        )
    )

    # 2. Trà Vinh: the list on the second sheet, stars in words and as ★, "ngày …".
    items = _products(rng, "Trà Vinh", 35, 2022)
    out.append(
        MessyList(
            "02-tra-vinh-2022.xlsx",
            "Trà Vinh",
            ["UBND TỈNH TRÀ VINH", "KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP NĂM 2022"],
            [
                "STT",
                "Tên sản phẩm",
                "Tên chủ thể",
                "Loại hình",
                "Huyện/TX/TP",
                "Xã/Phường/Thị trấn",
                "Phân hạng",
                "Cấp công nhận",
                "Ngày công nhận",
            ],
            _stt(
                [
                    p.name,
                    p.producer,
                    p.kind,
                    p.district,
                    p.commune,
                    rng.choice(STARS[p.stars]),
                    "UBND tỉnh Trà Vinh" if p.stars >= 4 else f"UBND {p.district}",
                    f"ngày {p.recognised.day:02d}/{p.recognised.month}/{p.recognised.year}",
                ]
                for p in items
            ),
            second_sheet=True,
        )
    )

    # 3. Hà Giang, exported as a Windows-1258 CSV; only a district for some rows.
    items = _products(rng, "Hà Giang", 30, 2020)
    out.append(
        MessyList(
            "03-ha-giang-2020.csv",
            "Hà Giang",
            [],
            ["STT", "Tên sản phẩm", "Chủ thể sản xuất", "Huyện", "Xã", "Số sao", "Năm công nhận"],
            _stt(
                [
                    p.name,
                    p.producer,
                    p.district,
                    p.commune if n % 4 else "",
                    str(p.stars),
                    str(p.recognised.year),
                ]
                for n, p in enumerate(items)
            ),
            encoding="cp1258",
        )
    )

    # 4. Quảng Nam: Excel serial dates, registration numbers as numbers (leading zero
    # lost), "N/A", two phone numbers in a cell.
    items = _products(rng, "Quảng Nam", 45, 2023)
    out.append(
        MessyList(
            "04-quang-nam-2023.xlsx",
            "Quảng Nam",
            ["DANH SÁCH SẢN PHẨM OCOP TỈNH QUẢNG NAM NĂM 2023"],
            [
                "STT",
                "Tên sản phẩm",
                "Tên chủ thể",
                "Mã số DN/HTX",
                "Điện thoại",
                "Địa chỉ",
                "Số sao",
                "Nhóm sản phẩm",
                "Ngày cấp",
            ],
            _stt(
                [
                    p.name,
                    p.producer,
                    int(p.registration) if p.registration else "N/A",
                    f"{p.phone} - 0235{rng.randint(100000, 999999)}" if n % 3 == 0 else p.phone,
                    f"{p.commune}, {p.district}, tỉnh Quảng Nam",
                    p.stars,
                    p.group,
                    (p.recognised - date(1899, 12, 30)).days,  # as Excel stores it
                ]
                for n, p in enumerate(items)
            ),
        )
    )

    # 5. Bắc Giang, a district assessment table: only the district, groups by name, a year.
    items = _products(rng, "Bắc Giang", 30, 2019)
    out.append(
        MessyList(
            "05-bac-giang-luc-ngan-2019.xlsx",
            "Bắc Giang",
            ["BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ SẢN PHẨM OCOP CẤP HUYỆN"],
            ["STT", "Sản phẩm", "Chủ thể", "Huyện", "Nhóm", "Kết quả", "Năm"],
            _stt(
                [p.name, p.producer, p.district, p.group, f"{p.stars} sao", p.recognised.year]
                for p in items
            ),
            notes=["Người lập biểu", "Trưởng phòng Nông nghiệp"],
        )
    )

    # 6. Thái Bình, compiled for the press: the province only, the producer's type only as
    # the start of its name, "4 sao cấp tỉnh".
    items = _products(rng, "Thái Bình", 25, 2022)
    out.append(
        MessyList(
            "06-thai-binh-bao-chi.xlsx",
            "Thái Bình",
            ["Thái Bình có thêm 25 sản phẩm OCOP"],
            ["TT", "Tên sản phẩm", "Đơn vị", "Tỉnh", "Xếp hạng"],
            _stt([p.name, p.producer, "Thái Bình", f"{p.stars} sao cấp tỉnh"] for p in items),
        )
    )

    # 7. Sóc Trăng: the same producer spelled two ways, a product 3★ then 4★ later,
    # trailing spaces, decomposed Unicode, "tháng m/yyyy".
    items = _products(rng, "Sóc Trăng", 30, 2021)
    rerated = items[0]
    rows = []
    for n, p in enumerate(items):
        producer = p.producer.upper() if n % 5 == 0 else p.producer
        rows.append(
            [
                unicodedata.normalize("NFD", p.name) if n % 2 else p.name + "  ",
                producer + " ",
                p.kind,
                p.commune,
                p.district,
                str(p.stars),
                f"tháng {p.recognised.month}/{p.recognised.year}",
                p.decision,
            ]
        )
    rows.append(
        [
            rerated.name,
            rerated.producer.lower(),
            rerated.kind,
            rerated.commune,
            rerated.district,
            "4",
            "tháng 9/2024",
            "2112/QĐ-UBND",
        ]
    )
    out.append(
        MessyList(
            "07-soc-trang-2021-2024.xlsx",
            "Sóc Trăng",
            ["TỔNG HỢP SẢN PHẨM OCOP 2021 - 2024"],
            [
                "STT",
                "Tên sản phẩm",
                "Tên chủ thể",
                "Loại hình chủ thể",
                "Xã",
                "Huyện",
                "Số sao",
                "Thời gian công nhận",
                "Quyết định",
            ],
            _stt(rows),
        )
    )

    # 8. Lâm Đồng: one free-text address column, "Bộ…"/"cấp quốc gia" levels, a 5★.
    items = _products(rng, "Lâm Đồng", 30, 2023)
    out.append(
        MessyList(
            "08-lam-dong-2023.xlsx",
            "Lâm Đồng",
            ["SỞ NÔNG NGHIỆP VÀ PTNT LÂM ĐỒNG", "DANH SÁCH SẢN PHẨM OCOP"],
            [
                "STT",
                "Tên sản phẩm",
                "Chủ thể",
                "Người đại diện",
                "Địa chỉ",
                "Hạng",
                "Cấp công nhận",
                "Ngày công nhận",
            ],
            _stt(
                [
                    p.name,
                    p.producer,
                    p.representative,
                    f"Thôn 3, {p.commune}, {p.district}, Lâm Đồng",
                    "★" * p.stars,
                    "Bộ Nông nghiệp và PTNT" if p.stars == 5 else "UBND tỉnh Lâm Đồng",
                    p.recognised.strftime("%d/%m/%Y"),
                ]
                for p in items
            ),
        )
    )
    return out


# The columns renamed to the template's headers, and nothing else (the values as they are).
RENAMED = {
    "Tên sản phẩm": "Tên sản phẩm",
    "Sản phẩm": "Tên sản phẩm",
    "Chủ thể": "Tên chủ thể",
    "Tên chủ thể": "Tên chủ thể",
    "Chủ thể sản xuất": "Tên chủ thể",
    "Đơn vị": "Tên chủ thể",
    "Loại hình": "Loại hình chủ thể",
    "Loại hình chủ thể": "Loại hình chủ thể",
    "Xã/Phường/Thị trấn": "Tên xã/phường",
    "Xã": "Tên xã/phường",
    "Mã số DN/HTX": "Số đăng ký kinh doanh",
    "Điện thoại": "Điện thoại",
    "Người đại diện": "Người đại diện",
    "Hạng sao": "Số sao",
    "Phân hạng": "Số sao",
    "Số sao": "Số sao",
    "Kết quả": "Số sao",
    "Xếp hạng": "Số sao",
    "Hạng": "Số sao",
    "Nhóm sản phẩm": "Bộ sản phẩm (1–26)",
    "Nhóm": "Bộ sản phẩm (1–26)",
    "Số QĐ": "Số giấy chứng nhận",
    "Quyết định": "Số giấy chứng nhận",
    "Ngày QĐ": "Ngày cấp (dd/mm/yyyy)",
    "Ngày công nhận": "Ngày cấp (dd/mm/yyyy)",
    "Ngày cấp": "Ngày cấp (dd/mm/yyyy)",
    "Năm công nhận": "Ngày cấp (dd/mm/yyyy)",
    "Năm": "Ngày cấp (dd/mm/yyyy)",
    "Thời gian công nhận": "Ngày cấp (dd/mm/yyyy)",
    "Cấp công nhận": "Cấp công nhận",
}


def renamed(messy: MessyList) -> MessyList:
    stem, _dot, ext = messy.file_name.rpartition(".")
    return MessyList(
        f"{stem}-doi-ten-cot.{ext}",
        messy.province,
        [],
        [RENAMED.get(h, h) for h in messy.headers],
        messy.rows,
        encoding=messy.encoding,
    )


# ------------------------------------------------------------------ files
def to_bytes(messy: MessyList) -> bytes:
    if messy.encoding:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        for line in messy.title:
            writer.writerow([line])
        writer.writerow(messy.headers)
        writer.writerows(messy.rows)
        for line in messy.notes:
            writer.writerow([line])
        text = buffer.getvalue()
        if messy.encoding == "cp1258":
            text = windows_1258_text(text)
        return text.encode(messy.encoding)
    workbook = Workbook()
    sheet = workbook.active
    if messy.second_sheet:
        sheet.title = "Bìa"
        sheet["A1"] = "Báo cáo kết quả thực hiện Chương trình OCOP"
        sheet = workbook.create_sheet("Danh sách")
    else:
        sheet.title = "Danh sách"
    width = len(messy.headers)
    for line in messy.title:
        sheet.append([line])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
        )
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    if messy.merged_header:
        # Two header rows: a group cell merged over the certificate's columns.
        top = [*messy.headers[:-2], "Quyết định công nhận", None]
        sheet.append(top)
        row = sheet.max_row
        for column in range(1, width - 1):
            sheet.merge_cells(
                start_row=row, start_column=column, end_row=row + 1, end_column=column
            )
        sheet.merge_cells(start_row=row, start_column=width - 1, end_row=row, end_column=width)
        sheet.append([None] * (width - 2) + messy.headers[-2:])
        for cell in sheet[row]:
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    else:
        sheet.append(messy.headers)
    for values in messy.rows:
        sheet.append(values)
    sheet.append([])
    for line in messy.notes:
        sheet.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Windows-1258 has the letters with a circumflex, breve or horn (â, ă, ơ, ư…) but writes a
# tone as a combining mark after its letter: "ả" is "a" + U+0309, as Vietnamese Excel
# saves a plain CSV. (Encoding "ả" as it is fails: the file once held "?" for such letters.)
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258_text(text: str) -> str:
    out = []
    for char in text:
        try:
            char.encode("cp1258")
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + "".join(c for c in parts if c in _TONES))
    return "".join(out)


def build_all(folder: Path, seed: int = 14) -> list[Path]:
    """Write the eight lists and their renamed variants; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for messy in lists(seed):
        for variant in (messy, renamed(messy)):
            path = folder / variant.file_name
            path.write_bytes(to_bytes(variant))
            paths.append(path)
    return paths


def messy_rows(n: int, seed: int = 14) -> bytes:
    """An n-row list mixing the eight shapes' rows under the template's headers (renamed
    variant), as one province's office would send a big catch-up file."""
    shapes = [renamed(m) for m in lists(seed)]
    headers = sorted({h for m in shapes for h in m.headers if h not in ("STT", "TT")})
    rows = []
    while len(rows) < n:
        for shape in shapes:
            for values in shape.rows:
                record = dict(zip(shape.headers, values, strict=True))
                rows.append([record.get(h, "") for h in headers])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows[:n]:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
