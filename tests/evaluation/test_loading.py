"""Rulebooks and sheets from their files into the database (evaluation.loading and commands).

The broken files are copies of the shipped QĐ148 set-1 sheet with one thing wrong, written
to tmp_path, so each test shows exactly which slip is refused and with what message.
"""

import copy
import hashlib
import json
import shutil
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evaluation import loading, scoring, sheetfile
from evaluation.loading import LoadError, load_rulebook_dir, load_sheet_upload, parse_sheet_bytes
from evaluation.models import Criterion, Dossier, EliminationNote, Option, Rulebook, Sheet
from tests.factories import make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty(db):
    """No rulebook in the database (the session may have loaded them; this test's
    transaction puts them back afterwards)."""
    Rulebook.objects.all().delete()


QD148 = sheetfile.RULEBOOKS_DIR / "qd148-2023"
SET1 = json.loads((QD148 / "sheets" / "set-01.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- helpers
def as_bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def set1(**changes) -> dict:
    data = copy.deepcopy(SET1)
    data.update(changes)
    return data


def section(data, part_code, section_code):
    part = next(p for p in data["parts"] if p["code"] == part_code)
    return part, next(s for s in part["sections"] if s["code"] == section_code)


def criterion(data, part_code, section_code, code):
    _, sec = section(data, part_code, section_code)
    return next(c for c in sec["criteria"] if c["code"] == code)


def best_option_below_maximum(data):
    """1.a "…" stays at 5 points maximum, but its best option now gives 4."""
    criterion(data, "A", "1", "1.a")["options"][-1]["points"] = 4


def section_sum_wrong(data):
    """1.a becomes a consistent 4-point criterion, so section 1 no longer adds up to 18."""
    c = criterion(data, "A", "1", "1.a")
    c["max_points"] = 4
    c["options"][-1]["points"] = 4


def part_total_not_40(data):
    """Section 1 and criterion 1.a gain a point each: everything adds up, to 41 for part A."""
    part, sec = section(data, "A", "1")
    part["max_points"] = 41
    sec["max_points"] = 19
    c = criterion(data, "A", "1", "1.a")
    c["max_points"] = 6
    c["options"][-1]["points"] = 6


def wrong_rulebook(data):
    data["rulebook"] = "qd26-2026"


def unknown_product_set(data):
    data["product_set"] = 27


def broken_file(mutate) -> bytes:
    if mutate is None:
        return b'{"format": 1, "rulebook": "qd148-2023", "parts": ['
    data = set1(product_set=2)
    mutate(data)
    return as_bytes(data)


#: (mutation, words the refusal must contain). None stands for a file that is not JSON.
BROKEN = {
    "criterion max differs from best option": (
        best_option_below_maximum,
        ["A.1.a", "tiêu chí 1.a", "5 điểm", "4 điểm"],
    ),
    "section sum wrong": (section_sum_wrong, ['A.1 "TỔ CHỨC SẢN XUẤT"', "18", "17"]),
    "part total is not 40": (part_total_not_40, ["phần A phải là 40", "41"]),
    "invalid JSON": (None, ["set-02.json", "not a readable JSON"]),
}


def copy_rulebooks(tmp_path):
    target = tmp_path / "rulebooks"
    shutil.copytree(sheetfile.RULEBOOKS_DIR, target)
    return target


def rulebook_dir(tmp_path, *sheets: tuple[str, bytes]):
    """A QĐ148 rulebook directory in tmp_path with the given sheet files."""
    directory = tmp_path / "qd148-2023"
    (directory / "sheets").mkdir(parents=True)
    shutil.copy(QD148 / "rulebook.json", directory / "rulebook.json")
    for name, raw in sheets:
        (directory / "sheets" / name).write_bytes(raw)
    return directory


def good_set1() -> tuple[str, bytes]:
    return "set-01.json", (QD148 / "sheets" / "set-01.json").read_bytes()


def run(command, *args, **options) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


# ---------------------------------------------------------------- load_rulebooks
def test_load_rulebooks_loads_two_rulebooks_and_27_sheets(empty):
    output = run("load_rulebooks")

    assert "qd148-2023: 1 sheets loaded, 0 unchanged." in output
    assert "qd26-2026: 26 sheets loaded, 0 unchanged." in output
    assert Rulebook.objects.count() == 2
    assert Sheet.objects.count() == 27
    assert Sheet.objects.filter(rulebook__code="qd26-2026").count() == 26
    assert sorted(
        Sheet.objects.filter(rulebook__code="qd26-2026").values_list(
            "product_set__number", flat=True
        )
    ) == list(range(1, 27))


def test_load_rulebooks_writes_the_sheet_as_published():
    # As `load_rulebooks` (load_all) wrote them for the session (tests/conftest.py).
    sheet = Sheet.objects.get(rulebook__code="qd148-2023", product_set__number=1)
    assert sheet.criteria.count() == 32
    assert Option.objects.filter(criterion__sheet=sheet).count() == 108
    assert sheet.secondary_source is True
    assert len(sheet.rejection_clauses) == 1
    assert [p.code for p in sheet.parts.all()] == ["A", "B", "C"]
    assert sum(p.max_points for p in sheet.parts.all()) == 100
    ip = sheet.criteria.get(code="3.e")
    assert (ip.where, ip.star_marker, ip.max_points) == ("A.3.e", 4, 2)
    assert [(o.points, o.min_star) for o in ip.options.all()] == [(1, 4), (2, 4)]
    assert sheet.criteria.get(where="C.7").code == "7"


def test_the_known_exceptions_are_stored_with_their_sheet():
    # As `load_rulebooks` (load_all) wrote them for the session (tests/conftest.py).
    set4 = Sheet.objects.get(rulebook__code="qd26-2026", product_set__number=4)
    assert [(d["where"], d["kind"]) for d in set4.known_discrepancies] == [("C.7", "criterion_max")]
    nutrition = set4.criteria.get(where="C.7")
    assert nutrition.max_points == 3
    assert max(o.points for o in nutrition.options.all()) == 13  # kept as printed


def test_load_rulebooks_stores_the_rulebook_metadata():
    # As `load_rulebooks` (load_all) wrote them for the session (tests/conftest.py).
    qd148 = Rulebook.objects.get(code="qd148-2023")
    qd26 = Rulebook.objects.get(code="qd26-2026")
    assert qd148.number == "148/QĐ-TTg"
    assert qd148.effective_to == date(2026, 7, 21)
    assert qd26.effective_to is None
    assert qd26.effective_from == date(2026, 5, 22)
    assert (qd26.renewal_opens_days, qd26.renewal_closes_days) == (180, 120)
    assert qd26.certified_min_stars == 3
    assert [(b.stars, b.min_score) for b in qd26.bands][:2] == [(5, Decimal(90)), (4, Decimal(70))]
    assert qd148.level("district")["recognises"] == [3]
    assert qd26.level("province")["recognises"] == [3, 4]


def test_load_rulebooks_stores_the_time_limits_with_their_articles():
    # As `load_rulebooks` (load_all) wrote them for the session (tests/conftest.py).
    qd26 = Rulebook.objects.get(code="qd26-2026")
    qd148 = Rulebook.objects.get(code="qd148-2023")
    assert qd26.timing.limit("commune_check").days == 15
    assert qd26.timing.rounds["province"].at_least_per_year == 2
    assert qd26.timing.transition.continues == "qd148-2023"
    assert qd26.renewal_source["article"] == "Điều 7 khoản 6 điểm a"
    assert qd148.timing.limit("revocation") is None
    assert qd148.timing.transition is None


def test_a_rulebook_file_with_a_broken_time_limit_loads_nothing(empty, tmp_path):
    directory = rulebook_dir(tmp_path, good_set1())
    meta = json.loads((directory / "rulebook.json").read_text("utf-8"))
    del meta["time_limits"]["note"]  # 148 states its limits as null: the note says why
    (directory / "rulebook.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")

    with pytest.raises(LoadError) as refused:
        load_rulebook_dir(directory)

    assert "qd148-2023/rulebook.json: time_limits.note" in str(refused.value)
    assert not Rulebook.objects.exists()


def test_a_second_load_says_all_unchanged_and_creates_nothing(empty):
    run("load_rulebooks")
    before = {
        model: set(model.objects.values_list("pk", flat=True))
        for model in (Rulebook, Sheet, Criterion, Option)
    }
    loaded_at = dict(Sheet.objects.values_list("pk", "loaded_at"))

    output = run("load_rulebooks")

    assert "qd148-2023: 0 sheets loaded, 1 unchanged." in output
    assert "qd26-2026: 0 sheets loaded, 26 unchanged." in output
    for model, pks in before.items():
        assert set(model.objects.values_list("pk", flat=True)) == pks, model.__name__
    assert dict(Sheet.objects.values_list("pk", "loaded_at")) == loaded_at


def test_load_rulebooks_refuses_a_broken_shipped_tree_and_loads_nothing(
    empty, tmp_path, monkeypatch
):
    tree = copy_rulebooks(tmp_path)
    broken = json.loads((tree / "qd26-2026/sheets/set-09.json").read_text(encoding="utf-8"))
    broken["parts"][0]["max_points"] = 39
    (tree / "qd26-2026/sheets/set-09.json").write_bytes(as_bytes(broken))
    monkeypatch.setattr(loading, "RULEBOOKS_DIR", tree)

    with pytest.raises(CommandError, match="Nothing was loaded") as refused:
        run("load_rulebooks")

    assert "set-09.json" in str(refused.value)
    # qd148-2023 comes first and is valid, but "nothing was loaded" means nothing.
    assert not Rulebook.objects.exists()
    assert not Sheet.objects.exists()


# ---------------------------------------------------------------- check_rulebooks
def test_check_rulebooks_prints_one_line_per_sheet_and_exits_0(empty):
    output = run("check_rulebooks")  # a SystemExit would fail the test
    lines = output.splitlines()

    sheet_lines = [
        line for line in lines if "criteria" in line and "options" in line and "100 points" in line
    ]
    assert len(sheet_lines) == 27
    assert sum(line.startswith("148/QĐ-TTg") for line in sheet_lines) == 1
    assert sum(line.startswith("26/2026/QĐ-TTg") for line in sheet_lines) == 26
    assert all("not loaded" in line for line in sheet_lines)
    assert "set  1: 32 criteria, 108 options, 100 points" in sheet_lines[0]
    assert "INVALID" not in output


def test_check_rulebooks_names_the_two_known_exceptions():
    lines = run("check_rulebooks").splitlines()

    exceptions = [line.strip() for line in lines if "known exception " in line]
    assert len(exceptions) == 2
    assert exceptions[0].startswith("known exception C.7 criterion_max")
    assert exceptions[1].startswith("known exception C.6.1.1 criterion_max")
    set4 = next(line for line in lines if "26/2026/QĐ-TTg   set  4:" in line)
    set11 = next(line for line in lines if "26/2026/QĐ-TTg   set 11:" in line)
    assert "1 known exception(s)" in set4
    assert "1 known exception(s)" in set11
    # Each exception is printed under its own sheet.
    assert lines.index(set4) + 1 == lines.index(next(x for x in lines if "exception C.7" in x))


def test_check_rulebooks_says_which_sheets_the_database_holds():
    # As `load_rulebooks` (load_all) wrote them for the session (tests/conftest.py).
    output = run("check_rulebooks")
    sheet_lines = [line for line in output.splitlines() if "100 points" in line]
    assert all("; loaded;" in line for line in sheet_lines)


def test_check_rulebooks_reports_a_sheet_changed_since_loading(tmp_path, monkeypatch):
    # As `load_rulebooks` (load_all) wrote them for the session (tests/conftest.py).
    tree = copy_rulebooks(tmp_path)
    path = tree / "qd26-2026/sheets/set-05.json"
    path.write_bytes(path.read_bytes() + b"\n")
    monkeypatch.setattr(sheetfile, "RULEBOOKS_DIR", tree)

    output = run("check_rulebooks")

    [line] = [x for x in output.splitlines() if "outdated in db" in x]
    assert "set  5:" in line


def test_check_rulebooks_exits_non_zero_when_a_shipped_sheet_does_not_add_up(tmp_path, monkeypatch):
    tree = copy_rulebooks(tmp_path)
    path = tree / "qd26-2026/sheets/set-07.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["parts"][1]["sections"][0]["max_points"] += 1
    path.write_bytes(as_bytes(data))
    monkeypatch.setattr(sheetfile, "RULEBOOKS_DIR", tree)
    out, err = StringIO(), StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("check_rulebooks", stdout=out, stderr=err)

    assert exited.value.code == 1
    assert "1 invalid sheet file(s)." in err.getvalue()
    lines = out.getvalue().splitlines()
    invalid = [line.strip() for line in lines if "INVALID" in line]
    assert len(invalid) == 2
    assert invalid[0].startswith('INVALID B "KHẢ NĂNG TIẾP THỊ"')  # the part no longer adds up
    assert invalid[1].startswith('INVALID B.4 "TIẾP THỊ": tối đa công bố 14 điểm')
    set7 = next(i for i, line in enumerate(lines) if "set  7:" in line)
    assert "INVALID" in lines[set7 + 1]
    # The other 26 sheets are still listed.
    assert sum("100 points" in line for line in out.getvalue().splitlines()) == 27


def test_check_rulebooks_exits_non_zero_when_a_shipped_file_is_not_json(tmp_path, monkeypatch):
    tree = copy_rulebooks(tmp_path)
    (tree / "qd148-2023/sheets/set-01.json").write_text("{ bị hỏng", encoding="utf-8")
    monkeypatch.setattr(sheetfile, "RULEBOOKS_DIR", tree)
    out = StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("check_rulebooks", stdout=out, stderr=StringIO())

    assert exited.value.code == 1
    assert "148/QĐ-TTg       set-01.json: INVALID" in out.getvalue()
    assert "invalid JSON" in out.getvalue()


# ---------------------------------------------------------------- broken files
@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_sheet_file_is_refused_with_a_message_naming_the_slip(case):
    mutate, words = BROKEN[case]

    with pytest.raises(LoadError) as refused:
        parse_sheet_bytes(broken_file(mutate), "set-02.json")

    message = "\n".join(refused.value.messages)
    assert all(m.startswith("set-02.json: ") for m in refused.value.messages)
    for word in words:
        assert word in message


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_upload_writes_nothing(qd148, case):
    mutate, words = BROKEN[case]
    counts = (Sheet.objects.count(), Criterion.objects.count(), Option.objects.count())

    with pytest.raises(LoadError) as refused:
        load_sheet_upload(qd148, broken_file(mutate), "set-02.json")

    assert words[0] in str(refused.value)
    assert (Sheet.objects.count(), Criterion.objects.count(), Option.objects.count()) == counts
    assert not Sheet.objects.filter(rulebook=qd148, product_set__number=2).exists()


@pytest.mark.parametrize(
    ("mutate", "words"),
    [*BROKEN.values(), (wrong_rulebook, ["belongs to qd26-2026, not qd148-2023"])],
    ids=[*BROKEN, "wrong rulebook"],
)
def test_a_rulebook_dir_with_one_bad_sheet_loads_nothing(empty, tmp_path, mutate, words):
    directory = rulebook_dir(tmp_path, good_set1(), ("set-02.json", broken_file(mutate)))

    with pytest.raises(LoadError) as refused:
        load_rulebook_dir(directory)

    for word in words:
        assert word in str(refused.value)
    assert not Rulebook.objects.filter(code="qd148-2023").exists()
    assert not Sheet.objects.exists()


def test_a_sheet_for_an_unknown_product_set_rolls_back_the_sheets_before_it(empty, tmp_path):
    # set-01 is valid and written first; set-27 fails only when written: both must go.
    directory = rulebook_dir(
        tmp_path, good_set1(), ("set-27.json", broken_file(unknown_product_set))
    )

    with pytest.raises(LoadError, match="set-27.json: no product set number 27"):
        load_rulebook_dir(directory)

    assert not Rulebook.objects.filter(code="qd148-2023").exists()
    assert not Sheet.objects.exists()
    assert not Criterion.objects.exists()


def test_an_upload_for_an_unknown_product_set_is_refused(qd148):
    with pytest.raises(LoadError, match="no product set number 27"):
        load_sheet_upload(qd148, broken_file(unknown_product_set), "set-27.json")
    assert Sheet.objects.filter(rulebook=qd148).count() == 1


def test_an_upload_for_another_rulebook_is_refused(qd148):
    with pytest.raises(LoadError, match="the file is for qd26-2026, not qd148-2023"):
        load_sheet_upload(qd148, broken_file(wrong_rulebook), "set-02.json")
    assert Sheet.objects.filter(rulebook=qd148).count() == 1


# ---------------------------------------------------------------- further sheets
def test_load_sheet_upload_adds_a_further_sheet(qd148):
    sheet = load_sheet_upload(qd148, as_bytes(set1(product_set=2)), "set-02.json")

    assert sheet.rulebook == qd148
    assert sheet.product_set.number == 2
    assert sheet.criteria.count() == 32
    assert Option.objects.filter(criterion__sheet=sheet).count() == 108
    assert Sheet.objects.filter(rulebook=qd148).count() == 2


def test_uploading_the_same_file_twice_changes_nothing(qd148):
    raw = as_bytes(set1(product_set=2))
    first = load_sheet_upload(qd148, raw, "set-02.json")
    criteria = set(first.criteria.values_list("pk", flat=True))

    second = load_sheet_upload(qd148, raw, "set-02.json")

    assert second.pk == first.pk
    assert set(second.criteria.values_list("pk", flat=True)) == criteria


def test_an_unused_sheet_may_be_replaced(qd148):
    load_sheet_upload(qd148, as_bytes(set1(product_set=2)), "set-02.json")
    sheet = load_sheet_upload(qd148, as_bytes(set1(product_set=2, title="Rau")), "set-02.json")
    assert sheet.title == "Rau"
    assert Sheet.objects.filter(rulebook=qd148).count() == 2


def test_load_sheet_command_loads_a_further_file(qd148, tmp_path):
    path = tmp_path / "set-02.json"
    path.write_bytes(as_bytes(set1(product_set=2)))

    output = run("load_sheet", str(path), rulebook="qd148-2023")

    assert "Loaded 148/QĐ-TTg" in output
    assert "(32 criteria)" in output
    assert Sheet.objects.filter(rulebook=qd148, product_set__number=2).exists()


def test_load_sheet_command_refuses_a_bad_file(qd148, tmp_path):
    path = tmp_path / "set-02.json"
    path.write_bytes(broken_file(best_option_below_maximum))

    with pytest.raises(CommandError, match="was not loaded") as refused:
        run("load_sheet", str(path), rulebook="qd148-2023")

    assert "A.1.a" in str(refused.value)
    assert not Sheet.objects.filter(rulebook=qd148, product_set__number=2).exists()


def test_load_sheet_command_needs_a_known_rulebook(tmp_path):
    path = tmp_path / "set-02.json"
    path.write_bytes(as_bytes(set1(product_set=2)))
    with pytest.raises(CommandError, match="No rulebook 'qd999'"):
        run("load_sheet", str(path), rulebook="qd999")


def test_load_sheet_command_reports_a_missing_file(qd148, tmp_path):
    with pytest.raises(CommandError, match="was not loaded"):
        run("load_sheet", str(tmp_path / "missing.json"), rulebook="qd148-2023")


# ---------------------------------------------------------------- sheets in use
@pytest.fixture
def dossier_on_set1(cast):
    """The shared cast's dossier: scored on the shipped Decision 148 set-1 sheet."""
    return cast["dossier"]


def test_replacing_a_sheet_used_by_a_dossier_is_refused(dossier_on_set1):
    sheet = dossier_on_set1.sheet
    criteria = set(sheet.criteria.values_list("pk", flat=True))
    changed = as_bytes(set1(title="Rau, củ, quả, hạt tươi (bản sửa)"))

    with pytest.raises(LoadError, match="already used by dossiers") as refused:
        load_sheet_upload(sheet.rulebook, changed, "set-01.json")

    assert "148/QĐ-TTg sheet for set 1" in str(refused.value)
    sheet.refresh_from_db()
    assert sheet.title == SET1["title"]
    assert set(sheet.criteria.values_list("pk", flat=True)) == criteria


def test_reloading_the_unchanged_shipped_sheet_of_a_used_set_is_fine(dossier_on_set1):
    assert load_rulebook_dir(QD148) == {"loaded": 0, "unchanged": 1}


def test_a_rulebook_dir_replacing_a_used_sheet_is_refused_as_a_whole(dossier_on_set1, tmp_path):
    # Files load in name order: the valid set-2 file is written before set-01 is refused.
    directory = rulebook_dir(
        tmp_path,
        ("a-further-set-02.json", as_bytes(set1(product_set=2))),
        ("set-01.json", as_bytes(set1(title="Bản sửa"))),
    )

    with pytest.raises(LoadError, match="already used by dossiers"):
        load_rulebook_dir(directory)

    qd148 = dossier_on_set1.round.rulebook
    assert not Sheet.objects.filter(rulebook=qd148, product_set__number=2).exists()
    assert Sheet.objects.get(rulebook=qd148, product_set__number=1).title == SET1["title"]


def test_check_rulebooks_lists_and_counts_the_stop_and_elimination_notes():
    lines = run("check_rulebooks").splitlines()

    assert "26/2026/QĐ-TTg: 46 stop or elimination notes in 26 sheets." in lines
    assert "148/QĐ-TTg: 3 stop or elimination notes in 1 sheets." in lines
    notes = [line.strip() for line in lines if line.startswith("    note ")]
    assert len(notes) == 49
    set11 = next(i for i, line in enumerate(lines) if "26/2026/QĐ-TTg   set 11:" in line)
    assert "3 stop or elimination note(s)" in lines[set11]
    assert lines[set11 + 2].strip() == (
        "note A.1.1 eliminate (note_row, line 8543): Ghi chú: Bị loại nếu sử dụng toàn bộ "
        "nguyên liệu nhập khẩu hoặc không rõ nguồn gốc"
    )


# ---------------------------------------------------------------- stop and elimination notes
def test_every_note_of_the_files_is_in_the_database():
    # As `load_rulebooks` (load_all) wrote them for the session (tests/conftest.py).
    notes = EliminationNote.objects.all()
    assert notes.filter(criterion__sheet__rulebook__code="qd26-2026").count() == 46
    assert notes.filter(criterion__sheet__rulebook__code="qd148-2023").count() == 3
    [zero] = notes.exclude(zero_points_on=[])
    assert zero.criterion.where == "C.6.4"
    assert zero.zero_points_on == ["C.6.1", "C.6.2", "C.6.3", "C.6.4"]


def without_notes(data: dict) -> dict:
    """The sheet as a file without its stop or elimination notes (as before they were data)."""
    data = copy.deepcopy(data)
    for part in data["parts"]:
        for sec in part["sections"]:
            for c in sec["criteria"]:
                c.pop("eliminations", None)
    return data


@pytest.fixture
def set2_in_use(cast):
    """A further QĐ148 sheet (set 2, a copy of set 1) loaded without its notes, with a
    dossier being scored on it and one member's ticks."""
    qd148 = cast["round"].rulebook
    sheet = load_sheet_upload(qd148, as_bytes(without_notes(set1(product_set=2))), "set-02.json")
    dossier = make_dossier(cast["round"], Dossier.Status.SCORING, product_set=2)
    card = scoring.member_card(dossier, cast["member1"])
    criterion = sheet.criteria.first()
    card = scoring.tick(card, criterion.pk, criterion.options.first().pk, cast["member1"])
    return sheet, dossier, card


def test_notes_added_to_the_file_of_a_sheet_in_use_reach_it_in_place(set2_in_use):
    sheet, dossier, card = set2_in_use
    criteria = list(sheet.criteria.values_list("pk", flat=True))
    assert not EliminationNote.objects.filter(criterion__sheet=sheet).exists()

    load_sheet_upload(sheet.rulebook, as_bytes(set1(product_set=2)), "set-02.json")

    assert list(sheet.criteria.values_list("pk", flat=True)) == criteria
    notes = EliminationNote.objects.filter(criterion__sheet=sheet)
    assert [n.criterion.where for n in notes] == ["A.2.a", "C.6.a", "C.10"]
    assert card.answers.count() == 1
    sheet.refresh_from_db()
    assert sheet.content_hash == hashlib.sha256(as_bytes(set1(product_set=2))).hexdigest()


def test_a_flagged_note_may_not_disappear_from_a_sheet_in_use(set2_in_use):
    sheet, dossier, card = set2_in_use
    load_sheet_upload(sheet.rulebook, as_bytes(set1(product_set=2)), "set-02.json")
    note = EliminationNote.objects.filter(criterion__sheet=sheet).first()
    scoring.flag_elimination(card, note.pk, True, card.author)

    with pytest.raises(LoadError, match="a flagged note would disappear"):
        load_sheet_upload(sheet.rulebook, as_bytes(without_notes(set1(product_set=2))), "x.json")
    assert EliminationNote.objects.filter(pk=note.pk).exists()


def test_a_flagged_note_may_not_change_its_wording_but_another_may(set2_in_use):
    sheet, dossier, card = set2_in_use
    load_sheet_upload(sheet.rulebook, as_bytes(set1(product_set=2)), "set-02.json")
    first, second, _third = EliminationNote.objects.filter(criterion__sheet=sheet)
    scoring.flag_elimination(card, first.pk, True, card.author)

    reworded = set1(product_set=2)
    criterion(reworded, "C", "6", "6.a")["eliminations"][0]["text"] = "Ghi chú: (sửa lại)"
    load_sheet_upload(sheet.rulebook, as_bytes(reworded), "set-02.json")
    second.refresh_from_db()
    assert second.text == "Ghi chú: (sửa lại)"

    criterion(reworded, "A", "2", "2.a")["eliminations"][0]["effect"] = "stop"
    with pytest.raises(LoadError, match="a flagged note would change"):
        load_sheet_upload(sheet.rulebook, as_bytes(reworded), "set-02.json")


def test_an_option_changed_on_a_sheet_in_use_is_still_refused(set2_in_use):
    sheet, _dossier, _card = set2_in_use
    changed = set1(product_set=2)
    criterion(changed, "A", "1", "1.a")["options"][0]["text"] = "Khác"
    with pytest.raises(LoadError, match="already used by dossiers"):
        load_sheet_upload(sheet.rulebook, as_bytes(changed), "set-02.json")
