"""Lists as provinces publish them: title rows, the list on the second sheet, merged
header cells, an STT column, a row numbering the columns, notes at the bottom."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from imports.reading import FileRefused, read_file
from tests.imports.rows import csv_text

pytestmark = pytest.mark.django_db

TITLE = ["UBND TỈNH TRÀ VINH", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
SUBTITLE = ["DANH SÁCH SẢN PHẨM ĐẠT CHỨNG NHẬN OCOP NĂM 2021"]
NOTE = "(Kèm theo Quyết định số 348/QĐ-UBND ngày 06/4/2021 của UBND tỉnh)"
GROUP = ["STT", "Chủ thể", None, "Sản phẩm", None, "Số sao", "Mã xã", "Ngày công nhận"]
HEADER = [None, "Tên", "Loại hình", "Tên sản phẩm", "Nhóm", None, None, None]
DATA = [
    [1, "HTX Nông nghiệp Cầu Kè", "HTX", "Dừa sáp Cầu Kè", "Rau, củ, quả, hạt tươi"]
    + ["4 sao", "00454", "06/04/2021"],
    [2, "Hộ kinh doanh Bà Tươi", "", "Bánh tét lá cẩm", "6", "★★★", "00454", "2021"],
]


def workbook(*sheets) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, lines, merges in sheets:
        sheet = book.create_sheet(title)
        for line in lines:
            sheet.append(line)
        for merge in merges:
            sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def published_list() -> bytes:
    lines = [
        TITLE,
        SUBTITLE,
        [NOTE],
        [],
        GROUP,
        HEADER,
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
        *DATA,
        [],
        ["Ghi chú: danh sách gồm 02 sản phẩm."],
        ["", "Người lập biểu", "", "", "", "", ""],
        ["Tổng cộng", "", "", "", "2 sản phẩm"],
    ]
    # Merged as Excel merges them: the group label over two columns, STT and the
    # single-row headers over two rows.
    merges = ["B5:C5", "A5:A6", "D5:E5", "F5:F6", "G5:G6", "H5:H6"]
    cover = [["BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH OCOP"], ["Năm 2021"], ["Tổng số: 2"]]
    return workbook(("Bìa", cover, []), ("Danh sách", lines, merges))


def test_the_list_on_the_second_sheet_below_title_rows_is_read():
    sheet = read_file(published_list())
    assert sheet.header_line == 6
    assert [line for line, _values in sheet.rows] == [8, 9]
    first = sheet.rows[0][1]
    assert first["producer_name"] == "HTX Nông nghiệp Cầu Kè"
    assert first["producer_kind"] == "HTX"
    assert first["product_name"] == "Dừa sáp Cầu Kè"
    assert first["product_set"] == "Rau, củ, quả, hạt tươi"
    assert first["stars"] == "4 sao"
    assert first["commune_code"] == "00454"
    assert first["certificate_issued_on"] == "06/04/2021"
    assert sheet.rows[1][1]["certificate_issued_on"] == "2021"


def test_notes_rows_at_the_bottom_are_skipped_and_counted():
    sheet = read_file(published_list())
    assert sheet.skipped == [11, 12, 13]
    assert "STT" not in sheet.ignored


def test_a_csv_with_title_rows_and_notes_is_read_too():
    lines = [
        ["DANH SÁCH SẢN PHẨM OCOP HUYỆN CHƯƠNG MỸ"],
        [],
        [
            "STT",
            "Tên chủ thể",
            "Tên sản phẩm",
            "Hạng sao",
            "Mã xã",
            "Ngày cấp",
            "Bộ sản phẩm",
        ],
        ["1", "HTX Phú Nam An", "Gạo nếp", "3*", "00454", "ngày 06/4/2021", "3"],
        ["Ghi chú: số liệu đến tháng 12/2021"],
    ]
    sheet = read_file(csv_text(lines))
    assert sheet.header_line == 3
    [(line, values)] = sheet.rows
    assert line == 4 and values["stars"] == "3*"
    assert sheet.skipped == [5]


def test_a_workbook_whose_sheets_hold_no_header_says_where_it_looked():
    data = workbook(("Bìa", [["Báo cáo"], ["Năm 2021"]], []))
    with pytest.raises(FileRefused) as error:
        read_file(data)
    assert "first 15 rows" in error.value.message


def test_a_published_list_previews_with_its_layout_explained(as_user, people, import_url):
    from tests.imports.rows import upload_file

    client = as_user(people["city_office"])
    response = client.post(import_url, {"file": upload_file(published_list(), "ds.xlsx")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The header row is row 6" in html
    assert "Rows 11, 12, 13 were read as notes, not as products." in html
    assert "Dừa sáp Cầu Kè" in html
    assert '">2021 – ' in html  # the year as written, not an invented 01/01/2021
    assert "06/04/2021 – " in html


CELLS = st.one_of(
    st.just(""),
    st.sampled_from(["STT", "Tên sản phẩm", "Số sao", "Mã xã", "Ghi chú", "(1)", "Chủ thể"]),
    st.text(max_size=12),
)


@settings(max_examples=40, deadline=None)
@given(lines=st.lists(st.lists(CELLS, max_size=8), max_size=20))
def test_any_table_is_read_or_refused_with_a_sentence(lines):
    """Whatever the cells, reading ends in a sheet or a FileRefused, never another error."""
    try:
        sheet = read_file(csv_text(lines))
    except FileRefused as refused:
        assert isinstance(refused.message, str) and refused.message
    else:
        assert sheet.rows
