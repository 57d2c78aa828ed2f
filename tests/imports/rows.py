"""Import files built in the test (csv, openpyxl): rows, and the bytes of a file of them."""

import csv
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from imports.columns import COLUMNS

HEADERS = {c.key: c.header for c in COLUMNS}
_serial = itertools.count(1)


def good_row(**overrides) -> dict:
    """A row Hà Nội's office may import: a 4-star certificate of the city (the level that
    recognised 4 stars under Decision 148), issued in 2023, before the system's use began,
    for a producer in Xã Đông Anh. Each call a new producer and certificate."""
    n = next(_serial)
    values = {
        "registration_number": f"01099{n:05d}",
        "producer_name": f"Hợp tác xã Nông nghiệp Đông Anh số {n}",
        "producer_kind": "Hợp tác xã",
        "commune_code": "00454",
        "district_code": "017",
        "representative_name": "Nguyễn Thị Hoà",
        "phone": "0912 345 678",
        "email": f"htx{n}@example.vn",
        "product_name": f"Gạo nếp cái hoa vàng loại {n}",
        "product_set": "3",
        "stars": "4",
        "certificate_number": f"QĐ-{n:05d}/UBND",
        "certificate_issued_on": "15/08/2023",
        "issuing_level": "Cấp tỉnh",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def district_row(**overrides) -> dict:
    """A row Hoài Đức district's office may import: a 3-star certificate of the district
    (274), for a producer in Xã Hoài Đức."""
    values = {
        "commune_code": "09832",
        "district_code": "274",
        "stars": "3",
        "issuing_level": "Cấp huyện",
    }
    values.update(overrides)
    return good_row(**values)


def table(rows, english=False):
    keys = [c.key for c in COLUMNS if any(c.key in r for r in rows)] or [c.key for c in COLUMNS]
    header = keys if english else [HEADERS[k] for k in keys]
    return header, [[r.get(k, "") for k in keys] for r in rows]


def csv_bytes(rows, *, bom=True, english=False, delimiter=",", encoding="utf-8") -> bytes:
    header, body = table(rows, english)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(body)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def csv_text(lines, *, encoding="utf-8") -> bytes:
    """A CSV of the given lines of cells, as they are (title rows, notes, anything)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(lines)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, english=False, convert=None) -> bytes:
    from openpyxl import Workbook

    header, body = table(rows, english)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in body:
        sheet.append([convert(header[i], v) if convert else v for i, v in enumerate(values)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload_file(data: bytes, name="danh-sach.csv"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
