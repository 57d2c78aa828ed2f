#!/usr/bin/env python3
"""Extract the 26 scoring sheets of Decision 26/2026/QĐ-TTg (Appendix II) into JSON.

Kept for provenance only: the app never runs this. It reads the legal-library HTML copy
shipped in ``tools/sources/qd26-2026-full-text.html`` (see tools/sources/README.md), walks
each sheet's table row by row and writes ``set-NN.json`` files like the committed
``evaluation/rulebooks/qd26-2026/sheets/``.

Why a script and not hand typing: 26 sheets x ~30 criteria x ~3 options is too much text
to copy by hand without slips.  Why fix-ups: the published table has a handful of layout
slips (an option bullet typed as "o", empty points cells, a stray second number in a
points cell).  Every fix-up is listed in ``FIXUPS`` below and copied into the sheet's
``source.note`` so a reader of the JSON knows exactly where it departs from a mechanical
reading.  ``--verify-txt`` then re-reads the flattened .txt copy of the same decision and
checks, sheet by sheet, every option's text, stars and points in order, every heading with
its maximum, and every title and note line.

Stop and elimination notes ("… sẽ không đánh giá các bước tiếp theo", "Bị loại nếu …")
are moved from the criterion's notes to its ``eliminations``, each with its effect, the
line of the .txt copy where it starts and whether it is printed in a row of its own or
inside an option's cell (``split_eliminations``): as text they would never take effect.

Things that are *not* fixed here, on purpose: numbers that do not add up.  They are kept
as published and listed in ``KNOWN_DISCREPANCIES`` (see evaluation/sheetfile.py for the
checks), each with a note on where it stands in the text.

Usage (stdlib only, from anywhere in a clone; the inputs default to tools/sources/)::

    python tools/extract_qd26_sheets.py --out /tmp/qd26-sheets [--report]
    diff -r /tmp/qd26-sheets evaluation/rulebooks/qd26-2026/sheets   # no output: same sheets

``--html`` and ``--verify-txt`` take other copies of the two texts.

Structure of a sheet in the HTML: a few ``<p>`` lines (heading, product line, form fields,
"Hồ sơ bị loại khi: …"), then one two-column ``<table>`` ("Các tiêu chí" | "Thang điểm")
whose rows are, in order: "Phần A/B/C" rows, section rows ("1. TỔ CHỨC SẢN XUẤT"),
criterion rows ("1.1. Nguồn gốc sản phẩm"), sometimes sub-criterion rows ("6.1.1. Tạp
chất", then "6.1" is a group heading), option rows ("□ …" with points) and note rows
(italic "Yêu cầu: …", "Ghi chú: …").  Sections without sub-criteria (e.g. "7. DINH DƯỠNG")
carry their options directly; they become one criterion with the section's own code.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

RULEBOOK = "qd26-2026"
DOCUMENT = "Quyết định số 26/2026/QĐ-TTg ngày 22/5/2026"
# The name the committed sheets record as their source (source.reference_file). The same
# file, byte for byte, is shipped as tools/sources/qd26-2026-full-text.html; the name is
# kept so that a run reproduces the committed sheets exactly.
REFERENCE_FILE = "shared/reference/qd26-2026-full-text.html"

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "tools" / "sources"

# ---------------------------------------------------------------------------
# Minimal DOM (stdlib html.parser) – enough for <p>/<table>/<tr>/<td> and inline marks.
# ---------------------------------------------------------------------------

_VOID = {"br", "img", "hr", "meta", "link", "input", "col", "wbr"}


class _Node:
    __slots__ = ("tag", "attrs", "parent", "children")

    def __init__(self, tag: str, attrs: list, parent: _Node | None):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children: list = []


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in _VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(_Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        node = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None:  # ignore stray end tags
            self.cur = node.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def _elements(node: _Node) -> list[_Node]:
    return [c for c in node.children if not isinstance(c, str)]


def _iter(node: _Node):
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, str):
            continue
        yield n
        stack.extend(reversed(n.children))


def clean(text: str) -> str:
    """Collapse all whitespace (incl. NBSP and zero-width marks) to single spaces."""
    text = text.replace("\xa0", " ").replace("\u200b", "").replace("\ufeff", "")
    return re.sub(r"\s+", " ", text).strip()


def _runs(node, fmt=frozenset()):
    if isinstance(node, str):
        yield node, fmt
        return
    if node.tag == "br":
        yield " ", fmt
        return
    if node.tag in ("b", "strong"):
        fmt = fmt | {"b"}
    elif node.tag in ("i", "em"):
        fmt = fmt | {"i"}
    for child in node.children:
        yield from _runs(child, fmt)


@dataclass
class Para:
    text: str
    bold: bool
    italic: bool


def _para(node) -> Para:
    runs = list(_runs(node))
    text = clean("".join(r for r, _ in runs))
    visible = [f for r, f in runs if r.strip()]
    return Para(
        text,
        bool(visible) and all("b" in f for f in visible),
        bool(visible) and all("i" in f for f in visible),
    )


def _cell_paras(td: _Node) -> list[Para]:
    ps = [c for c in _elements(td) if c.tag == "p"]
    paras = [_para(p) for p in ps] if ps else [_para(td)]
    return [p for p in paras if p.text]


@dataclass
class Row:
    left: list[Para]
    right: str

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.left)


def _table_rows(table: _Node) -> list[Row]:
    rows = []
    for tr in _iter(table):
        if tr.tag != "tr":
            continue
        cells = [c for c in _elements(tr) if c.tag in ("td", "th")]
        if not cells:
            continue
        left = _cell_paras(cells[0])
        right = " ".join(p.text for c in cells[1:] for p in _cell_paras(c))
        rows.append(Row(left, clean(right)))
    return rows


# ---------------------------------------------------------------------------
# Cutting Appendix II into sheets
# ---------------------------------------------------------------------------


@dataclass
class RawSheet:
    number: int
    paras: list[Para] = field(default_factory=list)  # paragraphs before the table
    rows: list[Row] = field(default_factory=list)


def split_sheets(html: str) -> dict[int, RawSheet]:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    # The document body is one flat <div> with every <p>/<table> as a direct child.
    body = max(_iter(builder.root), key=lambda n: len(n.children))
    sheets: dict[int, RawSheet] = {}
    current: RawSheet | None = None
    in_appendix = False
    for el in _elements(body):
        names = [n.attrs["name"] for n in _iter(el) if n.tag == "a" and "name" in n.attrs]
        if "chuong_pl_2" in names:
            in_appendix = True
        if "chuong_pl_3" in names:
            break
        if not in_appendix:
            continue
        for name in names:
            # Sheets 1-13 are anchored "dieu_N_1", sheets 14-26 "dieu_N".
            m = re.fullmatch(r"dieu_(\d+)(?:_1)?", name)
            if m:
                number = int(m.group(1))
                current = sheets.setdefault(number, RawSheet(number))
        if current is None:
            continue
        if el.tag == "table":
            current.rows.extend(_table_rows(el))
        elif el.tag == "p":
            p = _para(el)
            if p.text and not current.rows:
                current.paras.append(p)
    return sheets


# ---------------------------------------------------------------------------
# Fix-ups of the HTML copy (each one is recorded in the sheet's source.note)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixup:
    """Replace the left text of the one row whose text equals ``match`` (and/or set points).

    ``new_text``/``new_points`` of None mean "leave as is".  ``note`` goes to source.note.
    """

    match: str
    new_text: str | None
    new_points: str | None
    note: str


FIXUPS: dict[int, list[Fixup]] = {}


def _fix(sheet: int, match: str, new_text=None, new_points=None, *, note: str) -> None:
    FIXUPS.setdefault(sheet, []).append(Fixup(match, new_text, new_points, note))


_BLANK_ZERO = (
    "1.2 'Vùng nguyên liệu được cấp chứng nhận chất lượng': the points cell of the option "
    "'Không được cấp giấy chứng nhận chất lượng' is blank in the published table; 0 entered "
    "(the same option prints 0 on the other sheets and the option earns nothing)."
)
for _n in (4, 7, 10, 11):
    _fix(_n, "□ Không được cấp giấy chứng nhận chất lượng", new_points="0", note=_BLANK_ZERO)
_fix(
    7,
    "o Rất độc đáo và có tính đặc trưng*****",
    new_text="□ Rất độc đáo và có tính đặc trưng*****",
    note=(
        "Section 7 (TÍNH ĐỘC ĐÁO): the last option is printed with an 'o' bullet instead of "
        "'□'; read as an option."
    ),
)
_fix(
    23,
    "9. HƯỚNG DẪN SỬ DỤNG ĐỂ ĐẢM BẢO SẢN PHẨM CÓ CHẤT LƯỢNG TỐT NHẤT CHO NGƯỜI TIÊU DÙNG",
    new_points="4",
    note=(
        "Section 9 (HƯỚNG DẪN SỬ DỤNG…): the 'Thang điểm' cell prints '4' and, on a second "
        "line of the same cell, a stray '1'; max_points 4 entered (its best option is 4 and "
        "part C adds up to 35 with 4)."
    ),
)

# ---------------------------------------------------------------------------
# Parsing rows into parts / sections / criteria / options
# ---------------------------------------------------------------------------

BOX = "□☐"
# "****" at the end of an option; once printed with spaces ("* * * *"), hence the \s*.
STAR_RE = re.compile(r"\s*((?:\*\s*){3,5})$")
PART_RE = re.compile(r"^PH[ẦA]N\s+([ABC])\b\s*:?\s*(.*)$", re.IGNORECASE)
POINTS_IN_TITLE_RE = re.compile(r"\s*\((\d+)\s*[Đđ]iểm\)\s*$")
CRIT_RE = re.compile(r"^(\d+\.\d+(?:\.\d+)?)\.?\s+(.*)$")
SECTION_RE = re.compile(r"^(\d+)\.?\s+(\S.*)$")
CASE_RE = re.compile(r"^[a-z]\.\s*Trường hợp\b", re.IGNORECASE)
TOTAL_RE = re.compile(r"^TỔNG CỘNG", re.IGNORECASE)


class ExtractError(Exception):
    pass


def _int(points: str, where: str) -> int:
    if not re.fullmatch(r"\d+", points):
        raise ExtractError(f"{where}: points cell {points!r} is not an integer")
    return int(points)


def split_star(text: str) -> tuple[str, int | None]:
    m = STAR_RE.search(text)
    if not m:
        return text, None
    return text[: m.start()].rstrip(), m.group(1).count("*")


def _classify(text: str) -> str:
    if text.startswith(tuple(BOX)):
        return "option"
    if TOTAL_RE.match(text):
        return "total"
    if PART_RE.match(text):
        return "part"
    if CASE_RE.match(text):
        return "case"
    if CRIT_RE.match(text):
        return "criterion"
    if SECTION_RE.match(text):
        return "section"
    return "note"


def _is_note_para(p: Para) -> bool:
    """A second paragraph inside an option cell that is a note, not more option text."""
    return p.italic or re.match(r"^(Ghi chú|Chú ý|Yêu cầu)\b", p.text) is not None


def build_sheet(raw: RawSheet, title: str, heading: str) -> tuple[dict, list[str]]:
    notes: list[str] = []
    rows = list(raw.rows)

    for fx in FIXUPS.get(raw.number, []):
        hits = [r for r in rows if r.text == fx.match]
        if len(hits) != 1:
            raise ExtractError(f"set {raw.number}: fix-up target found {len(hits)}x: {fx.match!r}")
        row = hits[0]
        if fx.new_text is not None:
            row.left = [Para(fx.new_text, row.left[0].bold, row.left[0].italic)]
        if fx.new_points is not None:
            row.right = fx.new_points
        notes.append(fx.note)

    parts: list[dict] = []
    part = section = criterion = None
    group = None  # current "6.1"-style heading when sub-criteria are numbered 6.1.1 …
    case = None  # current "a. Trường hợp 1: …" label inside a criterion (set 26)
    pending_section_notes: list[str] = []
    total = None
    heading_rows = rows[1:] if rows and rows[0].text.startswith("Các tiêu chí") else rows

    def close_section():
        nonlocal pending_section_notes
        if section is not None and pending_section_notes:
            raise ExtractError(f"set {raw.number}: notes under section {section['code']} lost")

    def implicit_criterion():
        """A section with options and no numbered criteria is one criterion."""
        nonlocal criterion, pending_section_notes
        if section is None:
            raise ExtractError(f"set {raw.number}: option/note outside a section")
        if section["criteria"]:
            raise ExtractError(
                f"set {raw.number}: content after criteria in section {section['code']}"
            )
        criterion = {
            "code": section["code"],
            "title": section["title"],
            "max_points": section["max_points"],
            "guidance": "\n".join(pending_section_notes),
            "star_marker": None,
            "options": [],
        }
        pending_section_notes = []
        section["criteria"].append(criterion)

    for i, row in enumerate(heading_rows):
        if not row.left:
            # The signature block ("…, ngày … tháng …") after TỔNG CỘNG.
            if total is not None:
                continue
            raise ExtractError(f"set {raw.number}: empty row {i}")
        first = row.left[0].text
        kind = _classify(first)
        where = f"set {raw.number} row {i} {first[:50]!r}"
        if total is not None:
            raise ExtractError(f"{where}: content after TỔNG CỘNG")

        if kind == "total":
            total = _int(row.right, where)
        elif kind == "part":
            close_section()
            m = PART_RE.match(row.text)
            code, rest = m.group(1).upper(), m.group(2)
            pt = POINTS_IN_TITLE_RE.search(rest)
            if pt:
                rest = rest[: pt.start()]
                if int(pt.group(1)) != _int(row.right, where):
                    notes.append(
                        f"Phần {code}: the heading prints '({pt.group(1)} Điểm)' but the "
                        f"'Thang điểm' column prints {row.right}; max_points uses the column "
                        f"(the sections add up to the column value)."
                    )
            part = {
                "code": code,
                "title": clean(rest),
                "max_points": _int(row.right, where),
                "sections": [],
            }
            parts.append(part)
            section = criterion = group = None
        elif kind == "section":
            close_section()
            if part is None:
                raise ExtractError(f"{where}: section before any part")
            m = SECTION_RE.match(first)
            section = {
                "code": m.group(1),
                "title": m.group(2),
                "max_points": _int(row.right, where),
                "criteria": [],
            }
            part["sections"].append(section)
            criterion = group = case = None
            pending_section_notes = [p.text for p in row.left[1:]]
        elif kind == "criterion":
            if section is None:
                raise ExtractError(f"{where}: criterion before any section")
            m = CRIT_RE.match(first)
            code, ctitle = m.group(1), m.group(2)
            if not code.startswith(section["code"] + "."):
                raise ExtractError(f"{where}: criterion {code} not in section {section['code']}")
            nxt = heading_rows[i + 1].left[0].text if i + 1 < len(heading_rows) else ""
            nxt_m = CRIT_RE.match(nxt)
            if code.count(".") == 1 and nxt_m and nxt_m.group(1).startswith(code + "."):
                # "6.1. Ngoại hình" followed by "6.1.1 …": a heading grouping sub-criteria.
                group = {"code": code, "title": ctitle, "max_points": _int(row.right, where)}
                criterion = None
                if pending_section_notes:
                    raise ExtractError(f"{where}: section notes before a group")
                continue
            if code.count(".") == 1:
                group = None
            elif group is None or not code.startswith(group["code"] + "."):
                raise ExtractError(f"{where}: sub-criterion {code} outside its group")
            if pending_section_notes:
                raise ExtractError(f"{where}: notes between section and first criterion")
            ctitle, star = split_star(ctitle)
            criterion = {"code": code, "title": ctitle, "max_points": _int(row.right, where)}
            if group is not None:
                criterion["group"] = dict(group)  # only on sheets with 6.1.1-style numbering
            criterion.update(
                guidance="\n".join(p.text for p in row.left[1:]), star_marker=star, options=[]
            )
            case = None
            section["criteria"].append(criterion)
        elif kind == "case":
            if criterion is None:
                implicit_criterion()
            case = row.text
            if row.right:
                raise ExtractError(f"{where}: case row with points")
        elif kind == "option":
            if criterion is None:
                implicit_criterion()
            text_paras = [row.left[0]]
            extra = []
            for p in row.left[1:]:
                (extra if (extra or _is_note_para(p)) else text_paras).append(p)
            text = clean(" ".join(p.text for p in text_paras).lstrip(BOX))
            m = STAR_RE.search(text)
            if m and " " in m.group(1).strip():
                notes.append(
                    f"{criterion['code']}: the star marker of option '{text[:60]}…' is "
                    f"printed with spaces ('{m.group(1).strip()}'); read as "
                    f"{m.group(1).count('*')} stars."
                )
            text, star = split_star(text)
            if "*" in text:
                raise ExtractError(f"{where}: stray '*' inside option text")
            option = {"text": text, "points": _int(row.right, where), "min_star": star}
            if case is not None:
                option["case"] = case
            criterion["options"].append(option)
            if extra:
                g = criterion["guidance"]
                criterion["guidance"] = "\n".join(filter(None, [g] + [p.text for p in extra]))
        else:  # note
            if row.right:
                raise ExtractError(f"{where}: note row with points {row.right!r}")
            if criterion is None and section is not None and not section["criteria"]:
                pending_section_notes.append(row.text)
            elif criterion is not None:
                g = criterion["guidance"]
                criterion["guidance"] = "\n".join(filter(None, [g, row.text]))
            else:
                raise ExtractError(f"{where}: note outside a criterion")
    close_section()
    if pending_section_notes:
        raise ExtractError(f"set {raw.number}: trailing notes {pending_section_notes}")
    for p in parts:
        for s in p["sections"]:
            for c in s["criteria"]:
                if not c["options"]:
                    # The sheets print "2.4. Ghi nhãn hàng hóa có sử dụng song ngữ …  1" as a
                    # bare scored line without ☐ boxes: a yes/no criterion.  The app needs
                    # options to tick, so two are supplied and the note says so.
                    c["options"] = [
                        {"text": "Không", "points": 0, "min_star": None},
                        {"text": "Có", "points": c["max_points"], "min_star": None},
                    ]
                    notes.append(
                        f"Criterion {c['code']} '{c['title']}' is printed as a "
                        f"single scored line ({c['max_points']} điểm) without ☐ options; the "
                        f"two options 'Không' (0) and 'Có' ({c['max_points']}) are editorial, "
                        f"not printed text."
                    )
    if total is None:
        raise ExtractError(f"set {raw.number}: no TỔNG CỘNG row")
    if total != 100:
        notes.append(f"TỔNG CỘNG row prints {total}.")

    implicit = [
        s["code"]
        for p in parts
        for s in p["sections"]
        if len(s["criteria"]) == 1 and s["criteria"][0]["code"] == s["code"]
    ]
    if implicit:
        notes.insert(
            0,
            "Sections printed with their options directly under the section heading (no "
            f"numbered criteria: {', '.join(implicit)}) are entered as one criterion with the "
            "section's own code, title and maximum.",
        )
    rejection = _rejection_clauses(raw, notes)
    data = {
        "format": 1,
        "rulebook": RULEBOOK,
        "product_set": raw.number,
        "title": title,
        "source": {
            "document": DOCUMENT,
            "location": f"Phụ lục II, mục {raw.number} ({heading})",
            "reference_file": REFERENCE_FILE,
            "secondary": False,
            "note": "",
        },
        "rejection_clauses": rejection,
        "parts": parts,
        "known_discrepancies": [],
    }
    return data, notes


REJECT_RE = re.compile(r"^(?:Hồ sơ bị loại khi|Bị loại khi)\s*:\s*(.*)$")


def _rejection_clauses(raw: RawSheet, notes: list[str]) -> list[str]:
    """The "Hồ sơ bị loại khi: …" sentence, without that lead-in, as one clause.

    It is not cut into separate grounds: the sheets join them with "hoặc" and ";" so
    unevenly (and once with a word missing, set 17) that any cut would rewrite the text.
    """
    sentences = [m.group(1) for p in raw.paras if (m := REJECT_RE.match(p.text))]
    if not sentences:
        notes.append(
            "The sheet prints no 'Hồ sơ bị loại khi' paragraph; rejection_clauses is empty."
        )
        return []
    unique = list(dict.fromkeys(sentences))
    if len(unique) < len(sentences):
        notes.append(
            "The 'Hồ sơ bị loại khi' paragraph is printed twice, word for word; kept once."
        )
    return unique


def sheet_heading(raw: RawSheet) -> str:
    """The printed heading without its number, e.g. 'Bộ sản phẩm: Rau, củ, quả, hạt tươi'."""
    text = raw.paras[0].text
    return re.sub(r"^\d+\.\s*", "", text)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--html",
        type=Path,
        default=SOURCES / "qd26-2026-full-text.html",
        help="the decision as HTML (default: the copy in tools/sources/)",
    )
    ap.add_argument(
        "--product-sets", type=Path, default=REPO / "registry" / "data" / "product_sets.json"
    )
    ap.add_argument("--out", required=True, type=Path, help="folder for the set-NN.json files")
    ap.add_argument("--only", type=int, action="append", help="extract only these sets")
    ap.add_argument("--report", action="store_true", help="print counts and sums per sheet")
    ap.add_argument(
        "--verify-txt",
        type=Path,
        default=SOURCES / "qd26-2026-full-text.txt",
        help="cross-check against this .txt copy (default: the copy in tools/sources/)",
    )
    ap.add_argument("--no-verify", action="store_true", help="skip the .txt cross-check")
    args = ap.parse_args(argv)

    names = {
        s["number"]: s["name"]
        for s in json.loads(args.product_sets.read_text(encoding="utf-8"))["sets"]
    }
    sheets = split_sheets(args.html.read_text(encoding="utf-8"))
    if sorted(sheets) != list(range(1, 27)):
        raise ExtractError(f"expected sheets 1..26, found {sorted(sheets)}")
    args.out.mkdir(parents=True, exist_ok=True)
    verify = args.verify_txt and not args.no_verify
    txt_text = args.verify_txt.read_text(encoding="utf-8")
    txt = txt_cells(txt_text) if verify else None
    txt_lines = txt_text.splitlines()
    spans = txt_spans(txt_lines)
    failed = False
    for number in args.only or sorted(sheets):
        raw = sheets[number]
        data, notes = build_sheet(raw, names[number], sheet_heading(raw))
        split_eliminations(data, txt_lines, spans[number])
        data["known_discrepancies"] = KNOWN_DISCREPANCIES.get(number, [])
        data["source"]["note"] = _note(number, notes)
        path = args.out / f"set-{number:02d}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if args.report:
            _report(data)
        if txt is not None:
            for problem in verify_against_txt(data, txt[number]):
                failed = True
                print(f"set {number}: {problem}", file=sys.stderr)
    return 1 if failed else 0


# ---------------------------------------------------------------------------
# Stop and elimination notes
# ---------------------------------------------------------------------------

# "… sẽ không đánh giá các bước tiếp theo", "Không xem xét các chỉ tiêu khác nếu …": the
# evaluation stops at this criterion. "Bị loại nếu …", "… sẽ bị loại bỏ", "Không đánh giá
# những sản phẩm …": the product is eliminated. Both leave the product unrated
# (evaluation.rules); the two effects are kept apart because the result says which.
STOP_RE = re.compile(r"không đánh giá các bước tiếp theo|không xem xét các chỉ tiêu khác", re.I)
ELIMINATE_RE = re.compile(r"\bbị loại\b|^(?:Ghi chú:\s*)?Không đánh giá những sản phẩm", re.I)

# A note whose condition the ticks themselves decide: set 16 prints under 6.4 "Nếu được 0
# điểm tại một trong các chỉ tiêu trên, sẽ không đánh giá các bước tiếp theo", the
# criteria above being 6.1-6.4 (section 6 "CHỈ TIÊU CẢM QUAN").
ZERO_POINTS_ON: dict[int, dict[str, list[str]]] = {16: {"6.4": ["6.1", "6.2", "6.3", "6.4"]}}


def note_effect(text: str) -> str | None:
    if STOP_RE.search(text):
        return "stop"
    if ELIMINATE_RE.search(text):
        return "eliminate"
    return None


def split_eliminations(data: dict, lines: list[str], span: tuple[int, int]) -> None:
    """Move each criterion's stop or elimination note from its guidance to
    ``eliminations``, with the line of the .txt copy where it starts and whether it is
    printed in a row of its own after the options or inside an option's cell."""
    zero = ZERO_POINTS_ON.get(data["product_set"], {})
    for p in data["parts"]:
        for s in p["sections"]:
            for c in s["criteria"]:
                kept, found = [], []
                for text in filter(None, c["guidance"].split("\n")):
                    effect = note_effect(text)
                    if effect is None:
                        kept.append(text)
                        continue
                    line, place = _printed_at(text, lines, span)
                    note = {"text": text, "effect": effect, "place": place, "line": line}
                    if c["code"] in zero:
                        note["zero_points_on"] = zero[c["code"]]
                    found.append(note)
                if found:
                    c["guidance"] = "\n".join(kept)
                    c["eliminations"] = found


def _printed_at(text: str, lines: list[str], span: tuple[int, int]) -> tuple[int, str]:
    """The 1-based line of the .txt where `text` starts, and "note_row" or "option_cell"."""
    start, stop = span
    for i in range(start, stop):
        joined, j = clean(lines[i]), i
        if not joined or not text.startswith(joined):
            continue
        while len(joined) < len(text) and j + 1 < stop:
            j += 1
            joined = clean(joined + " " + lines[j])
        if joined != text:
            continue
        cell = i
        while cell > start and lines[cell - 1].strip() != "|":
            cell -= 1
        place = "option_cell" if lines[cell].strip().startswith(tuple(BOX)) else "note_row"
        return i + 1, place
    raise ExtractError(f"note not found in the .txt: {text[:60]!r}")


# ---------------------------------------------------------------------------
# Cross-check against the flattened .txt copy
# ---------------------------------------------------------------------------


def txt_spans(lines: list[str]) -> dict[int, tuple[int, int]]:
    """Where each sheet stands in the .txt copy: {number: (first line, line after)}, 0-based."""
    start = next(i for i, line in enumerate(lines) if line.strip() == "PHỤ LỤC II")
    end = next(i for i, line in enumerate(lines) if line.strip() == "PHỤ LỤC III")
    heads = [
        (i, int(m.group(1)))
        for i in range(start, end)
        if (m := re.match(r"^(\d+)\.(?: (?:Bộ sản phẩm|Sản phẩm)\b|$)", lines[i]))
    ]
    return {
        number: (i, heads[k + 1][0] if k + 1 < len(heads) else end)
        for k, (i, number) in enumerate(heads)
    }


def txt_cells(txt: str) -> dict[int, list[str]]:
    """Cut the .txt copy into sheets, and each sheet into its table cells.

    In the .txt every table cell is a run of lines ended by a line holding only "|".
    """
    lines = txt.splitlines()
    out: dict[int, list[str]] = {}
    for number, (i, stop) in txt_spans(lines).items():
        cells, buf = [], []
        for line in lines[i:stop]:
            if line.strip() == "|":
                cells.append(clean(" ".join(buf)))
                buf = []
            else:
                buf.append(line)
        cells.append(clean(" ".join(buf)))
        out[number] = cells
    return out


def verify_against_txt(data: dict, cells: list[str]) -> list[str]:
    """Every option (text, stars, points) in order, and every title/guidance line, in the .txt."""
    problems = []
    blob = " ".join(cells)
    printed = []
    for i, cell in enumerate(cells):
        if cell.startswith(tuple(BOX)) or cell.startswith("o Rất độc đáo"):
            pts = cells[i + 1] if i + 1 < len(cells) else ""
            printed.append((clean(cell.lstrip(BOX).removeprefix("o ")), pts))
    ours = []
    for p in data["parts"]:
        if f"Phần {p['code']}" not in blob and f"PHẦN {p['code']}" not in blob:
            problems.append(f"part {p['code']} heading not found")
        if p["title"] not in blob:
            problems.append(f"part {p['code']}: title not found: {p['title']!r}")
        for s in p["sections"]:
            if not re.search(rf"(?:^| ){s['code']}\.? {re.escape(s['title'])}", blob):
                problems.append(f"section {s['code']}: heading not found: {s['title']!r}")
            for c in s["criteria"]:
                if c["title"] not in blob:
                    problems.append(f"{c['code']}: title not found: {c['title']!r}")
                notes = c["guidance"].split("\n") + [e["text"] for e in c.get("eliminations", [])]
                for g in filter(None, notes):
                    if g not in blob:
                        problems.append(f"{c['code']}: guidance not found: {g[:60]!r}")
                if c.get("group") and c["group"]["title"] not in blob:
                    problems.append(f"{c['code']}: group title not found")
                for o in c["options"]:
                    if o["text"] in ("Không", "Có") and c["code"] in ("2.3", "2.4"):
                        continue  # editorial options of the yes/no bilingual-label criterion
                    ours.append((o["text"], o["points"], o["min_star"], "\n".join(notes)))
    # Headings (section / group / criterion) with the number in the cell after them.
    printed_heads = []
    for i, cell in enumerate(cells):
        if i == 0:
            continue  # the sheet's preamble up to "Các tiêu chí"
        m = re.match(r"^(\d+(?:\.\d+){0,2})\.?\s+(?=\S*[^\W\d_])", cell)
        if m and i + 1 < len(cells):
            printed_heads.append((m.group(1), cells[i + 1].split(" ")[0]))
    our_heads = []
    for p in data["parts"]:
        for s in p["sections"]:
            our_heads.append((s["code"], str(s["max_points"])))
            last_group = None
            for c in s["criteria"]:
                g = c.get("group")
                if g and g["code"] != last_group:
                    our_heads.append((g["code"], str(g["max_points"])))
                    last_group = g["code"]
                if c["code"] != s["code"]:
                    our_heads.append((c["code"], str(c["max_points"])))
    if printed_heads != our_heads:
        problems.append(f"headings/maxima differ: {printed_heads} vs {our_heads}")
    if len(ours) != len(printed):
        problems.append(f"{len(ours)} options extracted, {len(printed)} ☐ cells in the .txt")
    for (text, points, star, guidance), (ptext, ppts) in zip(ours, printed, strict=False):
        want = (text + ("*" * star if star else "")).replace(" ", "")
        got = ptext.replace(" ", "")
        # An option cell may end with a note paragraph, which went to the guidance (or,
        # a stop or elimination note, to the criterion's eliminations).
        rest = got[len(want) :] if got.startswith(want) else None
        if rest is None or (rest and rest not in guidance.replace(" ", "")):
            problems.append(f"option text differs: {text[:50]!r} vs .txt {ptext[:50]!r}")
        if ppts.split(" ")[0] != str(points) and not (ppts == "" and points == 0):
            problems.append(f"option {text[:50]!r}: points {points} vs .txt {ppts!r}")
    return problems


def _note(number: int, notes: list[str]) -> str:
    base = (
        "Extracted by tools/extract_qd26_sheets.py from the table of this sheet in the HTML "
        "copy of the decision, then checked row by row against the .txt copy. Wording, "
        "numbers and star markers as printed (whitespace collapsed; ☐ boxes and star "
        "markers removed from option text, stars kept in min_star)."
    )
    extra = list(dict.fromkeys(notes + EXTRA_NOTES.get(number, [])))
    return " ".join([base] + extra)


def _report(data: dict) -> None:
    n_crit = sum(len(s["criteria"]) for p in data["parts"] for s in p["sections"])
    n_opt = sum(
        len(c["options"]) for p in data["parts"] for s in p["sections"] for c in s["criteria"]
    )
    print(f"set {data['product_set']:2d}: {n_crit} criteria, {n_opt} options")
    for p in data["parts"]:
        ssum = sum(s["max_points"] for s in p["sections"])
        print(f"  {p['code']} {p['max_points']} (sections {ssum})")
        for s in p["sections"]:
            csum = sum(c["max_points"] for c in s["criteria"])
            flag = "" if csum == s["max_points"] else "  <-- section_sum"
            print(f"    {s['code']} {s['title'][:40]} {s['max_points']} (criteria {csum}){flag}")
            for c in s["criteria"]:
                best = max((o["points"] for o in c["options"]), default=None)
                flag = "" if best == c["max_points"] else "  <-- criterion_max"
                pts = "/".join(f"{o['points']}{'*' * (o['min_star'] or 0)}" for o in c["options"])
                print(f"      {c['code']} {c['title'][:40]} {c['max_points']} [{pts}]{flag}")


# Per-sheet notes that are not tied to a mechanical fix-up (written after reading each sheet).
_IP_NOTE = (
    "6.2 'Thiết kế độc đáo': the last option's cell also holds the line 'Ghi chú: Nếu sản "
    "phẩm vi phạm sở hữu trí tuệ, sẽ bị loại bỏ'; it is kept as the criterion's elimination "
    "note (place 'option_cell'), not in the option text."
)
EXTRA_NOTES: dict[int, list[str]] = {
    10: ["Section 8's heading is printed '8 CÔNG BỐ CHẤT LƯỢNG SẢN PHẨM' (no dot after 8)."],
    11: [
        "Section 6 numbers its criteria 6.1.1-6.2.3 under the headings '6.1. Ngoại hình' (4) "
        "and '6.2 Nước pha' (11); these headings are kept as each criterion's 'group'."
    ],
    13: [
        "Section 6 numbers its criteria 6.1.1-6.2.2 under the headings '6.1. Ngoại hình' (10) "
        "and '6.2 Nước pha' (5); these headings are kept as each criterion's 'group'."
    ],
    16: [
        "The line 'Ghi chú: Nếu được 0 điểm tại một trong các chỉ tiêu trên, sẽ không đánh giá "
        "các bước tiếp theo.' is printed under 6.4 and kept as 6.4's stop note; it speaks of "
        "the criteria above it, section 6's 6.1-6.4, so it names them in 'zero_points_on' "
        "and applies by itself to a card that gives 0 points to any of them."
    ],
    17: [
        "The rejection clause reads '…; hoặc giấy phép sản xuất theo quy định hoặc …' (the "
        "words 'không có' before 'giấy phép' are missing in the published text; kept as printed)."
    ],
    21: [_IP_NOTE],
    22: [_IP_NOTE],
    26: [
        "Sections 8, 9 and 15 offer two alternative cases ('a. Trường hợp 1: …', 'b. Trường "
        "hợp 2: …', after 'Lựa chọn một trong hai trường hợp sau:'); each option carries its "
        "case label in 'case' and the evaluator ticks one option of one case."
    ],
}

_WHERE_IN_TXT = "Verified in both the .html table and the .txt copy"
# Published figures that do not add up, kept as printed.  Each was read in both copies.
# A "wording" slip is shown to the council beside its criterion and changes no number.
KNOWN_DISCREPANCIES: dict[int, list[dict]] = {
    19: [
        {
            "where": "A.2.3",
            "kind": "wording",
            "option": 0,
            "published": (
                "Đơn đăng ký nhãn hiệu đã được cơ quan có thẩm quyền chấp nhận hoặc công bố "
                "(đã qua vòng thẩm định hình thức)"
            ),
            "usual": "Có nhãn, ghi nhãn hàng hóa đầy đủ, theo đúng quy định",
            "note": (
                "Criterion 2.3 'Phong cách, ghi nhãn hàng hóa' (3 điểm): its first option (1 "
                "điểm, ***) is printed with the trademark sentence that is the first option "
                "of 3.5 'Sở hữu trí tuệ' on the same sheet, where 21 other sheets print 'Có "
                "nhãn, ghi nhãn hàng hóa đầy đủ, theo đúng quy định' (set 20: '…, đúng quy "
                "định'): most likely a copying slip. Kept as printed, with its points and "
                f"its 3-star marker. {_WHERE_IN_TXT} (qd26-2026-full-text.txt line 14639)."
            ),
        }
    ],
    4: [
        {
            "where": "C.7",
            "kind": "criterion_max",
            "published": 3,
            "computed": 13,
            "note": (
                "Section 7 'DINH DƯỠNG' (3 điểm): its last option 'Có trên 2 chỉ tiêu' is "
                "printed with 13 points (the same option prints 3 on sheets 1 and 3, and the "
                f"section and part C add up with 3): most likely a typo for 3. {_WHERE_IN_TXT} "
                "(qd26-2026-full-text.txt line 3789)."
            ),
        }
    ],
    11: [
        {
            "where": "C.6.1.1",
            "kind": "criterion_max",
            "published": 2,
            "computed": 11,
            "note": (
                "Criterion 6.1.1 'Tạp chất' (2 điểm, under '6.1. Ngoại hình'): its middle "
                "option 'Có rất ít tạp chất, chấp nhận được' is printed with 11 points, "
                "between options of 0 and 2: most likely a typo for 1. "
                f"{_WHERE_IN_TXT} (qd26-2026-full-text.txt line 9047)."
            ),
        }
    ],
}


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ExtractError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
