"""Tests of the scoring-sheet files and of evaluation.sheetfile (plain functions, no database).

Three groups:

* every shipped sheet file parses and has no *unknown* arithmetic problem;
* each kind of structural error / arithmetic problem is caught on a small hand-made sheet;
* spot checks of the transcription against the published text (numbers read off the
  reference copies in shared/reference, and the set-1 comparison qd148-vs-qd26-set01.md).
"""

import copy
import functools
import json
from pathlib import Path

import pytest

from evaluation.sheetfile import (
    EXPECTED_PART_MAX,
    RULEBOOKS_DIR,
    STALE_EXCEPTION,
    SheetError,
    elimination_notes,
    is_valid,
    load_sheet_file,
    parse_sheet,
    unknown_problems,
    validate_sheet,
)

QD26_DIR = RULEBOOKS_DIR / "qd26-2026" / "sheets"
QD148_DIR = RULEBOOKS_DIR / "qd148-2023" / "sheets"
SHEET_FILES = sorted(QD26_DIR.glob("set-*.json")) + sorted(QD148_DIR.glob("set-*.json"))
PRODUCT_SETS = Path(__file__).resolve().parents[2] / "registry" / "data" / "product_sets.json"


@functools.cache
def shipped(path: Path):
    """A shipped sheet file, parsed once per session (the parsed sheet is frozen)."""
    return load_sheet_file(path)


def sheet(rulebook: str, number: int):
    return shipped(RULEBOOKS_DIR / rulebook / "sheets" / f"set-{number:02d}.json")


def qd26(number: int):
    return sheet("qd26-2026", number)


def points(criterion) -> list[tuple[int, int | None]]:
    """(points, min_star) of each option, in printed order: compact to compare with the text."""
    return [(o.points, o.min_star) for o in criterion.options]


# ---------------------------------------------------------------------------
# The shipped files
# ---------------------------------------------------------------------------


def test_all_sheet_files_are_there():
    """26 product sets for QĐ26 (one file each) and the one QĐ148 sheet we could source."""
    assert [p.name for p in sorted(QD26_DIR.glob("*.json"))] == [
        f"set-{n:02d}.json" for n in range(1, 27)
    ]
    assert [p.name for p in QD148_DIR.glob("*.json")] == ["set-01.json"]


@pytest.mark.parametrize("path", SHEET_FILES, ids=lambda p: f"{p.parents[1].name}/{p.name}")
def test_sheet_file_parses_and_has_no_unknown_problem(path):
    loaded = load_sheet_file(path)
    assert loaded.rulebook == path.parents[1].name
    assert path.name == f"set-{loaded.product_set:02d}.json"
    assert [p.code for p in loaded.parts] == ["A", "B", "C"]
    problems = unknown_problems(loaded)
    assert problems == [], "\n".join(p.message for p in problems)
    # Known discrepancies must explain themselves (where in the text, what it says).
    for d in loaded.known_discrepancies:
        assert len(d.note) > 40


@pytest.mark.parametrize("path", SHEET_FILES, ids=lambda p: f"{p.parents[1].name}/{p.name}")
def test_sheet_file_is_utf8_json_with_vietnamese_text_unescaped(path):
    """ensure_ascii=False: the files must stay readable (and diffable) by Vietnamese readers."""
    raw = path.read_text(encoding="utf-8")
    assert "\\u" not in raw
    assert json.loads(raw)["format"] == 1


def test_titles_match_the_product_set_registry():
    names = {s["number"]: s["name"] for s in json.loads(PRODUCT_SETS.read_text("utf-8"))["sets"]}
    for path in SHEET_FILES:
        loaded = shipped(path)
        assert loaded.title == names[loaded.product_set], path


def test_only_qd148_is_marked_secondary():
    for path in SHEET_FILES:
        loaded = shipped(path)
        assert loaded.source.secondary is (loaded.rulebook == "qd148-2023"), path
        assert loaded.source.reference_file.startswith("shared/reference/")


def test_star_markers_are_stripped_from_the_text():
    for path in SHEET_FILES:
        for _, _, criterion in shipped(path).iter_criteria():
            assert "*" not in criterion.title
            assert all("*" not in o.text and "□" not in o.text for o in criterion.options)


# ---------------------------------------------------------------------------
# Structural errors (parse_sheet) and arithmetic problems (validate_sheet)
# ---------------------------------------------------------------------------


def minimal_sheet() -> dict:
    """A well-formed sheet that adds up: A 40 / B 25 / C 35, one criterion per section."""

    def part(code, max_points):
        return {
            "code": code,
            "title": f"Phần {code}",
            "max_points": max_points,
            "sections": [
                {
                    "code": str(ord(code) - 64),
                    "title": "MỤC",
                    "max_points": max_points,
                    "criteria": [
                        {
                            "code": f"{ord(code) - 64}.1",
                            "title": f"Tiêu chí {code}",
                            "max_points": max_points,
                            "guidance": "",
                            "star_marker": None,
                            "options": [
                                {"text": "Không", "points": 0, "min_star": None},
                                {"text": "Có", "points": max_points, "min_star": 3},
                            ],
                        }
                    ],
                }
            ],
        }

    return {
        "format": 1,
        "rulebook": "test",
        "product_set": 1,
        "title": "Thử",
        "source": {
            "document": "Test",
            "location": "Test",
            "reference_file": "shared/reference/none.txt",
            "secondary": False,
            "note": "",
        },
        "rejection_clauses": ["Giả mạo hồ sơ"],
        "parts": [part(code, max_points) for code, max_points in EXPECTED_PART_MAX.items()],
        "known_discrepancies": [],
    }


def criterion_a(data: dict) -> dict:
    return data["parts"][0]["sections"][0]["criteria"][0]


def kinds(problems) -> list[tuple[str, str, bool]]:
    return [(p.where, p.kind, p.known) for p in problems]


def parse_errors(data: dict) -> list[str]:
    with pytest.raises(SheetError) as exc:
        parse_sheet(data)
    return exc.value.messages


def test_minimal_sheet_is_valid():
    loaded = parse_sheet(minimal_sheet())
    assert validate_sheet(loaded) == []
    assert is_valid(loaded)
    assert loaded.criterion("1.1").best_points == 40


def test_criterion_max_problem_names_the_criterion_and_both_numbers():
    data = minimal_sheet()
    criterion_a(data)["options"][1]["points"] = 38
    [problem] = validate_sheet(parse_sheet(data))
    assert (problem.where, problem.kind, problem.known) == ("A.1.1", "criterion_max", False)
    assert '"Tiêu chí A"' in problem.message and "1.1" in problem.message
    assert "40" in problem.message and "38" in problem.message


def test_section_sum_problem():
    data = minimal_sheet()
    criterion = criterion_a(data)
    extra = copy.deepcopy(criterion)
    extra["code"] = "1.2"
    extra["max_points"] = extra["options"][1]["points"] = 2
    data["parts"][0]["sections"][0]["criteria"].append(extra)  # 40 + 2 in a 40 section
    [problem] = validate_sheet(parse_sheet(data))
    assert kinds([problem]) == [("A.1", "section_sum", False)]
    assert "40" in problem.message and "42" in problem.message


def test_part_sum_problem():
    data = minimal_sheet()
    section = data["parts"][0]["sections"][0]
    section["max_points"] = criterion_a(data)["max_points"] = 39
    criterion_a(data)["options"][1]["points"] = 39
    assert kinds(validate_sheet(parse_sheet(data))) == [("A", "part_sum", False)]


def test_part_total_and_sheet_total_problems():
    """A part whose stated maximum is not the rule's 40/25/35, and a total that is not 100."""
    data = minimal_sheet()
    part_b = data["parts"][1]
    part_b["max_points"] = part_b["sections"][0]["max_points"] = 24
    crit = part_b["sections"][0]["criteria"][0]
    crit["max_points"] = crit["options"][1]["points"] = 24
    assert kinds(validate_sheet(parse_sheet(data))) == [
        ("B", "part_total", False),
        ("sheet", "sheet_total", False),
    ]


def test_group_sum_problem():
    data = minimal_sheet()
    criterion = criterion_a(data)
    criterion["code"] = "1.1.1"
    criterion["group"] = {"code": "1.1", "title": "Ngoại hình", "max_points": 41}
    [problem] = validate_sheet(parse_sheet(data))
    assert kinds([problem]) == [("A.1.1", "group_sum", False)]
    assert "Ngoại hình" in problem.message


def test_known_discrepancy_is_marked_known_and_sheet_stays_valid():
    data = minimal_sheet()
    criterion_a(data)["options"][1]["points"] = 38
    data["known_discrepancies"] = [
        {
            "where": "A.1.1",
            "kind": "criterion_max",
            "published": 40,
            "computed": 38,
            "note": "Printed so in the text.",
        }
    ]
    loaded = parse_sheet(data)
    assert kinds(validate_sheet(loaded)) == [("A.1.1", "criterion_max", True)]
    assert is_valid(loaded)


def test_known_discrepancy_that_matches_nothing_is_a_stale_exception():
    data = minimal_sheet()
    data["known_discrepancies"] = [
        {"where": "A.1", "kind": "section_sum", "published": 40, "computed": 41, "note": "x"}
    ]
    loaded = parse_sheet(data)
    assert kinds(validate_sheet(loaded)) == [("A.1", STALE_EXCEPTION, False)]
    assert not is_valid(loaded)


def test_known_discrepancy_with_outdated_numbers_is_a_stale_exception():
    data = minimal_sheet()
    criterion_a(data)["options"][1]["points"] = 38
    data["known_discrepancies"] = [
        {"where": "A.1.1", "kind": "criterion_max", "published": 40, "computed": 37, "note": "x"}
    ]
    assert kinds(validate_sheet(parse_sheet(data))) == [
        ("A.1.1", "criterion_max", True),
        ("A.1.1", STALE_EXCEPTION, False),
    ]


@pytest.mark.parametrize("bad", [0, 2, 6, "3", True, 3.0])
def test_bad_min_star_is_refused(bad):
    data = minimal_sheet()
    criterion_a(data)["options"][0]["min_star"] = bad
    assert any("options[0].min_star" in e for e in parse_errors(data))


def test_bad_star_marker_on_criterion_is_refused():
    data = minimal_sheet()
    criterion_a(data)["star_marker"] = 7
    assert any("star_marker" in e for e in parse_errors(data))


def test_criterion_without_options_is_refused():
    data = minimal_sheet()
    criterion_a(data)["options"] = []
    assert any("has no options" in e for e in parse_errors(data))


def test_duplicate_criterion_codes_are_refused():
    data = minimal_sheet()
    data["parts"][1]["sections"][0]["criteria"][0]["code"] = "1.1"  # same as part A's
    assert any("duplicate criterion code '1.1'" in e for e in parse_errors(data))


def test_duplicate_option_points_are_allowed():
    """Published sheets do this (e.g. QĐ26 set 23, 6.2 'Màu sắc': 1, 1, 3, 5)."""
    data = minimal_sheet()
    criterion_a(data)["options"].insert(1, {"text": "Cũng không", "points": 0, "min_star": None})
    assert is_valid(parse_sheet(data))


@pytest.mark.parametrize("bad", [-1, 1.5, "2", None, True])
def test_points_must_be_non_negative_integers(bad):
    data = minimal_sheet()
    criterion_a(data)["options"][0]["points"] = bad
    assert any("options[0].points" in e for e in parse_errors(data))


def test_missing_and_unknown_keys_are_refused_and_all_errors_reported_at_once():
    data = minimal_sheet()
    del criterion_a(data)["guidance"]
    criterion_a(data)["max_point"] = 3  # a typo must not slip through silently
    del data["parts"][2]["title"]
    errors = parse_errors(data)
    assert any("missing key(s) guidance" in e for e in errors)
    assert any("unknown key(s) max_point" in e for e in errors)
    assert any("parts[2]: missing key(s) title" in e for e in errors)


def test_wrong_types_are_refused():
    data = minimal_sheet()
    data["parts"] = {"A": {}}
    data["rejection_clauses"] = "Giả mạo hồ sơ"
    data["source"]["secondary"] = "no"
    errors = parse_errors(data)
    assert any(e.startswith("parts: expected a list") for e in errors)
    assert any(e.startswith("rejection_clauses: expected a list") for e in errors)
    assert any(e.startswith("source.secondary") for e in errors)


def test_part_codes_must_be_a_b_c_once():
    data = minimal_sheet()
    data["parts"][2]["code"] = "A"
    assert any("duplicate part code 'A'" in e for e in parse_errors(data))


def test_unknown_discrepancy_kind_is_refused():
    data = minimal_sheet()
    data["known_discrepancies"] = [
        {"where": "A", "kind": "typo", "published": 1, "computed": 2, "note": "x"}
    ]
    assert any("unknown kind 'typo'" in e for e in parse_errors(data))


def test_not_a_dict_is_refused():
    with pytest.raises(SheetError):
        parse_sheet([])


def test_invalid_json_file_names_the_file(tmp_path):
    path = tmp_path / "set-99.json"
    path.write_text('{"format": 1,', encoding="utf-8")
    with pytest.raises(SheetError) as exc:
        load_sheet_file(path)
    assert exc.value.messages[0].startswith("set-99.json: invalid JSON")


def test_structural_errors_from_a_file_name_the_file(tmp_path):
    data = minimal_sheet()
    criterion_a(data)["options"] = []
    path = tmp_path / "set-98.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SheetError) as exc:
        load_sheet_file(path)
    assert all(m.startswith("set-98.json: ") for m in exc.value.messages)


def test_utf8_bom_is_tolerated(tmp_path):
    path = tmp_path / "set-01.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(minimal_sheet(), ensure_ascii=False).encode())
    assert load_sheet_file(path).title == "Thử"


# ---------------------------------------------------------------------------
# Spot checks against the published text
# ---------------------------------------------------------------------------


def test_qd26_set01_against_the_set1_comparison():
    """Figures of qd148-vs-qd26-set01.md (26/2026 column)."""
    s = qd26(1)
    assert [(p.code, p.max_points) for p in s.parts] == [("A", 40), ("B", 25), ("C", 35)]
    assert [sec.max_points for p in s.parts for sec in p.sections] == [
        18, 10, 12, 13, 12, 12, 3, 5, 5, 5, 2, 3,
    ]  # fmt: skip
    assert s.criterion("1.1").title == "Nguồn gốc sản phẩm"
    assert points(s.criterion("1.1")) == [(1, None), (2, None), (3, None)]
    assert s.criterion("1.2").title == "Vùng nguyên liệu được cấp chứng nhận chất lượng"
    assert points(s.criterion("1.4")) == [(1, None), (2, None), (3, None)]  # stars dropped
    assert points(s.criterion("1.6")) == [(1, 4), (2, None), (3, None)]
    assert points(s.criterion("2.1")) == [(0, None), (1, None), (3, 4)]
    assert points(s.criterion("2.2")) == [(0, None), (1, None), (2, 3), (3, None)]
    assert points(s.criterion("2.3")) == [(1, 3), (2, None), (3, 4)]
    sở_hữu = s.criterion("3.5")
    assert (sở_hữu.title, sở_hữu.max_points) == ("Sở hữu trí tuệ", 3)
    assert points(sở_hữu) == [(1, 3), (2, 4), (3, None)]
    assert sở_hữu.options[0].text.startswith("Đơn đăng ký nhãn hiệu đã được cơ quan")
    assert points(s.criterion("4.1")) == [(1, None), (2, 3), (3, 4), (5, 5)]
    quảng_bá = s.criterion("4.3")
    assert (quảng_bá.title, quảng_bá.max_points) == ("Quảng bá sản phẩm", 5)
    assert [o.points for o in quảng_bá.options] == [0, 1, 2, 3, 5]
    assert points(s.criterion("5.1"))[-1] == (5, 4)
    assert points(s.criterion("5.3")) == [(0, None), (1, 3), (3, None), (5, None)]
    assert points(s.criterion("6.2")) == [(0, None), (1, None), (2, None), (3, 4), (4, None)]
    assert [o.points for o in s.criterion("7").options] == [0, 1, 3]  # Dinh dưỡng
    assert points(s.criterion("9")) == [(2, 3), (4, None), (5, None)]
    assert points(s.criterion("10")) == [(1, 3), (3, 4), (5, None)]
    assert s.criterion_count == 32
    # No 'Kế toán' criterion any more (it was 3.đ in QĐ148).
    assert not any("Kế toán" in c.title for _, _, c in s.iter_criteria())
    assert s.rejection_clauses == (
        "Giả mạo hồ sơ hoặc không tuân thủ đầy đủ các quy định về giấy chứng nhận cơ sở đủ "
        "điều kiện an toàn thực phẩm theo quy định; hoặc không đáp ứng về hồ sơ đăng ký theo "
        "quy định",
    )


def test_qd26_bilingual_label_criterion_gets_editorial_yes_no_options():
    """Printed as a bare 1-point line; the file says the two options are editorial."""
    s = qd26(1)
    song_ngữ = s.criterion("2.4")
    assert song_ngữ.title.startswith("Ghi nhãn hàng hóa có sử dụng song ngữ")
    assert [(o.text, o.points) for o in song_ngữ.options] == [("Không", 0), ("Có", 1)]
    assert "editorial" in s.source.note


def test_qd148_set01_against_the_app_rendering():
    s = sheet("qd148-2023", 1)
    assert s.source.secondary and "third-party" in s.source.note
    assert [sec.max_points for sec in s.parts[0].sections] == [18, 10, 12]
    assert [sec.max_points for sec in s.parts[1].sections] == [13, 12]
    assert [sec.max_points for sec in s.parts[2].sections] == [13, 2, 5, 5, 5, 2, 3]
    assert points(s.criterion("1.a")) == [(1, None), (3, None), (5, None)]
    assert s.criterion("3.đ").title == "Kế toán"
    sở_hữu = s.criterion("3.e")
    assert (sở_hữu.title, sở_hữu.max_points, sở_hữu.star_marker) == ("Sở hữu trí tuệ", 2, 4)
    assert points(sở_hữu) == [(1, 4), (2, 4)]
    assert sở_hữu.options[1].text.endswith("nhãn hiệu tập")  # truncated in the app, kept
    assert points(s.criterion("6.b")) == [(0, None), (1, None), (2, None), (3, 4), (5, 4)]
    assert [c.code for c in s.parts[2].sections[3].criteria] == ["9.a", "9.b"]
    assert points(s.criterion("10")) == [(0, None), (1, None), (2, 3), (3, 4), (5, 5)]
    assert "<51 %" in s.criterion("3.a").options[1].text


def test_qd26_set04_nutrition_option_printed_as_13_is_a_known_discrepancy():
    s = qd26(4)
    assert [o.points for o in s.criterion("7").options] == [0, 1, 13]
    assert kinds(validate_sheet(s)) == [("C.7", "criterion_max", True)]


def test_qd26_set11_tea_groups_and_the_11_point_option():
    s = qd26(11)
    tạp_chất = s.criterion("6.1.1")
    assert (tạp_chất.group.code, tạp_chất.group.title, tạp_chất.group.max_points) == (
        "6.1",
        "Ngoại hình",
        4,
    )
    assert [o.points for o in tạp_chất.options] == [0, 11, 2]
    assert s.criterion("6.2.3").group.max_points == 11
    assert [c.max_points for c in s.parts[2].sections[0].criteria] == [2, 2, 3, 3, 5]
    assert kinds(validate_sheet(s)) == [("C.6.1.1", "criterion_max", True)]


def test_qd26_set13_coffee_groups():
    section = qd26(13).parts[2].sections[0]
    assert [c.code for c in section.criteria] == [
        "6.1.1", "6.1.2", "6.1.3", "6.1.4", "6.1.5", "6.2.1", "6.2.2",
    ]  # fmt: skip
    assert {c.group.code: c.group.max_points for c in section.criteria} == {"6.1": 10, "6.2": 5}


def test_qd26_set03_star_marker_printed_with_spaces_is_read():
    assert points(qd26(3).criterion("5.1"))[-1] == (5, 4)


def test_qd26_sets_with_blank_zero_cells():
    """'Không được cấp giấy chứng nhận chất lượng' has an empty points cell on 4 sheets."""
    for number in (4, 7, 10, 11):
        s = qd26(number)
        assert s.criterion("1.2").options[0].points == 0
        assert "blank" in s.source.note


def test_qd26_set23_flowers():
    s = qd26(23)
    assert s.criterion("9").max_points == 4  # cell prints "4" and a stray "1"
    assert "stray '1'" in s.source.note
    assert [o.points for o in s.criterion("6.2").options] == [1, 1, 3, 5]
    assert points(s.criterion("7")) == [(2, None), (4, None), (6, 4), (8, 5)]


def test_qd26_set25_ornamental_animals_uniqueness_scale():
    assert points(qd26(25).criterion("7")) == [(2, None), (5, None), (7, 4), (10, 5)]


def test_qd26_set18_functional_food_part_c():
    s = qd26(18)
    assert [(sec.code, sec.max_points) for sec in s.parts[2].sections] == [
        ("6", 5), ("7", 4), ("8", 5), ("9", 3), ("10", 3),
        ("11", 5), ("12", 3), ("13", 2), ("14", 5),
    ]  # fmt: skip
    assert s.rejection_clauses[0].startswith("Giả mạo hồ sơ hoặc không tuân thủ đầy đủ")
    assert "GMP" in s.rejection_clauses[0]


def test_qd26_set19_cosmetics_rejection_clause_and_ministry():
    s = qd26(19)
    assert "Bộ Y tế" in s.rejection_clauses[0]
    assert points(s.criterion("6")) == [(0, None), (1, None), (3, None), (5, None)]


def test_qd26_set21_handicraft_intellectual_property_note_kept_as_an_elimination_note():
    s = qd26(21)
    thiết_kế = s.criterion("6.2")
    assert "vi phạm sở hữu trí tuệ" in thiết_kế.eliminations[0].text
    assert thiết_kế.options[-1].text == "Phong cách độc đáo riêng, thể hiện trí tuệ địa phương"
    assert s.criterion("2.3").title.startswith("Ghi nhãn hàng hóa có sử dụng song ngữ")


def test_qd26_set26_tourism_cases_and_structure():
    s = qd26(26)
    assert s.rejection_clauses == ()  # the tourism sheet prints none
    assert [sec.max_points for sec in s.parts[0].sections] == [14, 12, 14]
    assert [sec.max_points for sec in s.parts[1].sections] == [17, 8]
    assert len(s.parts[2].sections) == 12
    assert "'(35 Điểm)'" in s.source.note  # Part A heading misprint, column says 40
    kinh_doanh = s.criterion("8")
    assert [(o.case[:17], o.points) for o in kinh_doanh.options] == [
        ("a. Trường hợp 1: ", 1),
        ("a. Trường hợp 1: ", 3),
        ("b. Trường hợp 2: ", 1),
        ("b. Trường hợp 2: ", 3),
    ]
    assert kinh_doanh.guidance == "Lựa chọn một trong hai trường hợp sau:"
    assert all(o.case is None for o in s.criterion("6").options)


# ---------------------------------------------------------------------------
# Stop and elimination notes
# ---------------------------------------------------------------------------

QD26_TXT = Path(__file__).resolve().parents[2] / "tools" / "sources" / "qd26-2026-full-text.txt"


def notes_of(path):
    return elimination_notes(shipped(path))


def test_decision_26_prints_46_notes_and_the_148_set_1_sheet_3():
    per_rulebook = {}
    for path in SHEET_FILES:
        per_rulebook.setdefault(path.parents[1].name, []).append(len(notes_of(path)))
    assert sum(per_rulebook["qd26-2026"]) == 46
    assert sum(per_rulebook["qd148-2023"]) == 3
    # Where they stand: 1.1 imported/unknown raw material (12), 2.1 a copy of another's
    # product (10) or a common product without distinction (4), section 6 impurities or a
    # 0 on the senses (16 in all), 6 no product declaration (sets 19, 20), 6.2 IP (21, 22).
    by_where = {}
    for path in QD26_DIR.glob("*.json"):
        for where, note in notes_of(path):
            by_where.setdefault(where, []).append(note.effect)
    assert {w: len(e) for w, e in sorted(by_where.items())} == {
        "A.1.1": 12,
        "A.2.1": 14,
        "C.6": 2,
        "C.6.1": 13,
        "C.6.1.1": 2,
        "C.6.2": 2,
        "C.6.4": 1,
    }


@pytest.mark.parametrize("path", sorted(QD26_DIR.glob("set-*.json")), ids=lambda p: p.name)
def test_each_note_is_the_printed_wording_at_its_line(path):
    lines = QD26_TXT.read_text(encoding="utf-8").splitlines()
    for where, note in notes_of(path):
        printed = " ".join(" ".join(lines[note.line - 1 : note.line + 4]).split())
        assert printed.startswith(note.text), (where, note.line)
        assert note.place in {"note_row", "option_cell"}


def test_the_148_notes_are_the_reference_lines():
    path = QD148_DIR / "set-01.json"
    assert [(w, n.effect, n.line) for w, n in notes_of(path)] == [
        ("A.2.a", "eliminate", 62),
        ("C.6.a", "stop", 138),
        ("C.10", "stop", 185),
    ]


def test_stop_notes_say_so_and_elimination_notes_say_so():
    for path in SHEET_FILES:
        for where, note in notes_of(path):
            text = note.text.lower()
            if note.effect == "stop":
                assert "không đánh giá các bước tiếp theo" in text or "không xem xét" in text
            else:
                assert "bị loại" in text or "không đánh giá những sản phẩm" in text, where


def test_set_16_note_applies_by_itself_to_a_0_on_the_senses():
    [(where, note)] = notes_of(QD26_DIR / "set-16.json")
    assert where == "C.6.4"
    assert note.text.startswith("Ghi chú: Nếu được 0 điểm tại một trong các chỉ tiêu trên")
    assert note.zero_points_on == ("6.1", "6.2", "6.3", "6.4")


def test_the_ip_note_of_sets_21_and_22_is_printed_inside_the_last_option():
    for number in (21, 22):
        [(where, note)] = notes_of(QD26_DIR / f"set-{number}.json")
        assert (where, note.effect, note.place) == ("C.6.2", "eliminate", "option_cell")
        assert note.text == "Ghi chú: Nếu sản phẩm vi phạm sở hữu trí tuệ, sẽ bị loại bỏ"
        assert "bị loại" not in qd26(number).criterion("6.2").guidance


def test_a_note_left_in_the_guidance_makes_the_sheet_invalid():
    data = minimal_sheet()
    criterion_a(data)["guidance"] = "Ghi chú: Bị loại nếu phát hiện giống hệt sản phẩm khác"
    [problem] = validate_sheet(parse_sheet(data))
    assert (problem.where, problem.kind, problem.known) == ("A.1.1", "note_in_guidance", False)


def test_a_note_is_parsed_with_its_effect_place_and_line():
    data = minimal_sheet()
    criterion_a(data)["eliminations"] = [
        {"text": "Ghi chú: Bị loại nếu …", "effect": "eliminate", "place": "note_row", "line": 9}
    ]
    [(where, note)] = elimination_notes(parse_sheet(data))
    assert (where, note.effect, note.place, note.line) == ("A.1.1", "eliminate", "note_row", 9)


@pytest.mark.parametrize(
    ("note", "error"),
    [
        ({"text": "x", "effect": "maybe", "place": "note_row"}, ".effect: must be one of"),
        ({"text": "x", "effect": "stop", "place": "margin"}, ".place: must be one of"),
        ({"text": "", "effect": "stop", "place": "note_row"}, ".text: must not be empty"),
        ({"text": "x", "effect": "stop", "place": "note_row", "line": 0}, ".line: must be"),
        ({"text": "x", "effect": "stop"}, "missing key(s) place"),
        (
            {"text": "x", "effect": "stop", "place": "note_row", "zero_points_on": ["9.9"]},
            "zero_points_on names '9.9'",
        ),
    ],
)
def test_a_malformed_note_is_refused(note, error):
    data = minimal_sheet()
    criterion_a(data)["eliminations"] = [note]
    assert any(error in e for e in parse_errors(data)), parse_errors(data)


# ---------------------------------------------------------------------------
# Published slips of wording
# ---------------------------------------------------------------------------


def test_set_19_labelling_option_printed_with_the_trademark_sentence_is_a_known_slip():
    s = qd26(19)
    [slip] = s.known_discrepancies
    assert (slip.where, slip.kind, slip.option) == ("A.2.3", "wording", 0)
    assert s.criterion("2.3").options[0].text == slip.published
    assert slip.published == s.criterion("3.5").options[0].text  # 3.5 "Sở hữu trí tuệ"
    assert slip.usual == qd26(18).criterion("2.3").options[0].text
    assert points(s.criterion("2.3")) == [(1, 3), (2, None), (3, 4)]  # numbers as printed
    assert validate_sheet(s) == []


def wording_slip(**changes):
    return {
        "where": "A.1.1",
        "kind": "wording",
        "option": 0,
        "published": "0 điểm",
        "usual": "Không",
        "note": "The first option of 1.1 is printed with another criterion's wording.",
        **changes,
    }


def test_a_wording_slip_that_stands_where_it_says_is_no_problem():
    data = minimal_sheet()
    criterion_a(data)["options"][0]["text"] = "0 điểm"
    data["known_discrepancies"] = [wording_slip()]
    assert validate_sheet(parse_sheet(data)) == []


@pytest.mark.parametrize("changes", [{"option": 1}, {"option": 9}, {"where": "A.1.9"}])
def test_a_wording_slip_that_no_longer_matches_is_stale(changes):
    data = minimal_sheet()
    criterion_a(data)["options"][0]["text"] = "0 điểm"
    data["known_discrepancies"] = [wording_slip(**changes)]
    [problem] = validate_sheet(parse_sheet(data))
    assert problem.kind == STALE_EXCEPTION


def test_a_wording_slip_needs_its_usual_text():
    data = minimal_sheet()
    slip = wording_slip()
    del slip["usual"]
    data["known_discrepancies"] = [slip]
    assert any("missing key(s) usual" in e for e in parse_errors(data))
