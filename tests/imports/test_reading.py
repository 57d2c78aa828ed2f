"""Files that are not an import are refused with a sentence; good ones keep their accents."""

import io
import unicodedata
import zipfile

import pytest
from PIL import Image

from imports.reading import MAX_BYTES, FileRefused, read_file
from tests.imports.rows import csv_bytes, csv_text, good_row, table, xlsx_bytes

pytestmark = pytest.mark.django_db


def refused(data: bytes) -> str:
    with pytest.raises(FileRefused) as error:
        read_file(data)
    return error.value.message


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    return buffer.getvalue()


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_picture_renamed_csv_is_refused_as_a_picture():
    assert "picture" in refused(png_bytes())


def test_a_word_document_is_refused_as_such():
    assert "Word document" in refused(docx_bytes())


def test_an_old_xls_is_refused_with_what_to_save_instead():
    message = refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert ".xlsx" in message and "CSV UTF-8" in message


def test_a_pdf_and_a_damaged_xlsx_are_refused():
    assert "PDF" in refused(b"%PDF-1.4\n%%EOF\n")
    assert "damaged" in refused(b"PK\x03\x04" + b"\x00" * 100)


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"\xef\xbb\xbf", b",,,\r\n,,\r\n"])
def test_an_empty_file_is_refused(data):
    assert "empty" in refused(data)


def test_a_header_only_file_is_refused():
    header_only = csv_bytes([good_row()]).split(b"\r\n")[0] + b"\r\n"
    assert "no data rows" in refused(header_only)
    assert "no data rows" in refused(header_only + b",,,,\r\n\r\n")


def test_a_file_over_the_size_limit_is_refused_by_size():
    message = refused(b"a" * (10 * 1024 * 1024))
    assert "10.0\xa0MB" in message and "5.0\xa0MB" in message
    assert MAX_BYTES == 5 * 1024 * 1024


def test_missing_required_columns_are_named():
    row = good_row()
    del row["stars"]
    for place in ("commune_code", "commune_name", "province_code", "district_code", "address"):
        row.pop(place, None)
    message = refused(csv_bytes([row]))
    assert "Số sao (stars)" in message
    assert "commune_code" in message and "address" in message


def test_a_file_that_is_not_a_table_says_so():
    message = refused("Xin chào, đây là một bức thư.\nKhông phải bảng.".encode())
    assert "header row" in message


def test_a_column_given_twice_keeps_the_first_and_lists_the_second_as_ignored():
    row = good_row()
    header, body = table([row])
    data = csv_text([[*header, "Số sao"]] + [[*body[0], "5"]])
    sheet = read_file(data)
    assert sheet.rows[0][1]["stars"] == "4"
    assert "Số sao (a second time)" in sheet.ignored


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Excel writes it: base letters plus combining tone marks."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", char)
            tone = "".join(m for m in marks if m in TONES)
            base = unicodedata.normalize("NFC", "".join(m for m in marks if m not in TONES))
            out += (base + tone).encode("cp1258")
    return out


NAMES = [
    "Hợp tác xã Nông nghiệp Đông Anh",
    "Hộ kinh doanh Bà Tươi Đồng Kỵ",
    "Công ty TNHH MTV Thực phẩm Ước Lễ",
    "Cơ sở sản xuất nước mắm Hồng Hạnh",
    "Trang trại Gà đồi Yên Thế",
    "Tổ hợp tác Mây tre đan Phú Vinh",
]


@pytest.mark.parametrize("name", NAMES)
def test_a_windows_1258_csv_is_read_with_its_accents(name):
    """Vietnamese Excel's plain "CSV (Comma delimited)" is Windows-1258: letters plus
    combining tones, composed on reading; the names come back letter for letter."""
    row = good_row(producer_name=name, product_name=f"Sản phẩm của {name}")
    text = csv_bytes([row], bom=False).decode()
    data = cp1258(text)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    [(_line, values)] = read_file(data).rows
    assert values["producer_name"] == name
    assert values["product_name"] == f"Sản phẩm của {name}"
    assert unicodedata.is_normalized("NFC", values["producer_name"])


@pytest.mark.parametrize(
    "garbled",
    [
        "Hîp t¸c x· §«ng Anh",  # TCVN3 (ABC) bytes
        "Hôïp taùc xaõ Ñoâng Anh",  # VNI-Windows bytes
        "Straße Müller",  # a Western file: letters Vietnamese has not
    ],
)
def test_other_encodings_are_refused_asking_for_utf8_not_guessed(garbled):
    row = {k: v for k, v in good_row().items() if k != "producer_name"}
    row = {k: search_safe(v) for k, v in row.items()}
    data = csv_bytes(
        [{**row, "producer_name": garbled}], bom=False, english=True, encoding="cp1252"
    )
    assert "UTF-8" in refused(data)


def search_safe(value: str) -> str:
    """The row's other cells in plain ASCII, so only the name decides."""
    from registry.search import fold

    return fold(value).upper() if value and not value.isascii() else value


@pytest.mark.parametrize("bom", [True, False])
def test_utf8_with_and_without_bom_keeps_the_accents(bom):
    sheet = read_file(csv_bytes([good_row(producer_name="Hộ kinh doanh Bà Tươi Đồng Kỵ")], bom=bom))
    assert sheet.kind == "csv"
    [(line, values)] = sheet.rows
    assert line == 2
    assert values["producer_name"] == "Hộ kinh doanh Bà Tươi Đồng Kỵ"
    assert "registration_number" in sheet.columns


def test_english_keys_semicolons_and_utf16_are_read():
    row = good_row(producer_name="Trang trại Ngọc Hà")
    for data in (
        csv_bytes([row], english=True),
        csv_bytes([row], delimiter=";"),
        b"\xff\xfe" + csv_bytes([row], bom=False, delimiter="\t").decode().encode("utf-16-le"),
    ):
        assert read_file(data).rows[0][1]["producer_name"] == "Trang trại Ngọc Hà"


def test_xlsx_numbers_and_dates_come_back_as_text():
    from datetime import datetime

    def convert(header, value):
        if header == "Ngày cấp (dd/mm/yyyy)":
            return datetime(2024, 8, 15)
        if header in ("Số sao", "Bộ sản phẩm (1–26)"):
            return float(value)
        return value

    sheet = read_file(xlsx_bytes([good_row(producer_name="Làng nghề Vạn Phúc")], convert=convert))
    values = sheet.rows[0][1]
    assert sheet.kind == "xlsx"
    assert values["certificate_issued_on"] == "2024-08-15"
    assert values["stars"] == "4" and values["product_set"] == "3"
    assert values["producer_name"] == "Làng nghề Vạn Phúc"


def test_unknown_columns_are_listed_as_ignored():
    data = csv_bytes([good_row()]).replace(b"\r\n", b",Ghi ch\xc3\xba\r\n", 1)
    assert read_file(data).ignored == ["Ghi chú"]
