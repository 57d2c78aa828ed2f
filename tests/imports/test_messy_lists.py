"""Issue 14, point 9's lists (bench/messy_lists.py, kept in fixtures/messy): real-looking
OCOP lists from eight provinces, as they are and with the columns renamed to the template.
Whatever the import makes of them today, no upload and no confirmation is a server error:
each file is previewed or refused with a message, and what previews can be confirmed in
part. (`manage.py import_bench` measures the shares; docs/imports.md has the figures.)"""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bench import messy_lists
from imports.models import ImportBatch
from tests.imports.rows import upload_file

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures" / "messy"
FILES = sorted(FIXTURES.iterdir())


def test_there_are_eight_lists_and_their_renamed_variants():
    assert len(FILES) == 16
    assert len({p.name.split("-")[0] for p in FILES}) == 8


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_list_previews_or_is_refused_in_words_never_a_server_error(as_user, people, path):
    client = as_user(people["admin"])
    response = client.post(
        reverse("imports:upload"), {"file": upload_file(path.read_bytes(), path.name)}
    )
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.context["form"].errors["file"]  # a sentence, not a crash
        return
    if "counts" not in response.context:
        # The column-mapping page (a list whose header misses a required column): the
        # official accepts the suggestions, and the file is read with them.
        assert "imports/columns.html" in [t.name for t in response.templates]
        suggested = {
            f"col-{column['index']}": column["key"] or "" for column in response.context["columns"]
        }
        response = client.post(
            reverse("imports:columns"), {"token": response.context["token"], **suggested}
        )
        assert response.status_code in (200, 400)
        if "counts" not in response.context:
            return  # the mapping refused in words (a required field still unmapped)
    counts = response.context["counts"]
    if counts["rows"] > counts["bad"]:
        confirm = client.post(
            reverse("imports:confirm"), {"token": response.context["token"], "mode": "partial"}
        )
        assert confirm.status_code == 302
        assert ImportBatch.objects.filter(sha256=response.context["token"]).exists()


def test_the_lists_have_the_shapes_of_real_ones():
    built = {m.file_name: m for m in messy_lists.lists()}
    hanoi = load_workbook(io.BytesIO(messy_lists.to_bytes(built["01-ha-noi-chuong-my-2021.xlsx"])))
    sheet = hanoi.active
    assert sheet["A1"].value.startswith("DANH SÁCH SẢN PHẨM OCOP")  # a title row
    assert any(r.min_row == 3 and r.max_row == 4 for r in sheet.merged_cells.ranges)  # header
    assert sheet.cell(row=5, column=1).value == 1  # STT
    tra_vinh = load_workbook(io.BytesIO(messy_lists.to_bytes(built["02-tra-vinh-2022.xlsx"])))
    assert tra_vinh.sheetnames == ["Bìa", "Danh sách"]  # the list on the second sheet
    ha_giang = messy_lists.to_bytes(built["03-ha-giang-2020.csv"])
    with pytest.raises(UnicodeDecodeError):
        ha_giang.decode("utf-8")  # a Windows-1258 export
    assert "Hà Giang" not in ha_giang.decode("latin-1")
    assert ha_giang.decode("cp1258").count("\r\n") > 30
