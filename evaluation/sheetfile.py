"""Scoring-sheet files: load, check and validate the OCOP criteria transcribed as JSON.

Pure Python on purpose (no Django): the sheet files are legal text entered as data, and
the checks here must run in a plain test or a data-import command without a database.

A sheet file (``evaluation/rulebooks/<rulebook>/sheets/set-NN.json``) holds one product
set's scoring sheet as published: parts A/B/C -> numbered sections -> criteria -> options
(the boxes an evaluator ticks, one per criterion), each with fixed points and, where the
text marks it with ``***``/``****``/``*****``, the minimum star level it stands for.

Two layers of checking, kept apart because they answer different questions:

* :func:`parse_sheet` – "is this file well formed?"  Missing keys, wrong types, negative
  points, a criterion without options, duplicate codes… raise :class:`SheetError`.  Such a
  file cannot be used at all.
* :func:`validate_sheet` – "does the published text add up?"  Stated maxima are data
  (they are printed on the form), so a criterion whose best option differs from its
  stated maximum, or a section whose criteria do not add up, is a *problem* – not an
  error, because legal texts do contain such slips and we transcribe them as printed.
  Each slip the transcriber has checked against the text is listed in the file's
  ``known_discrepancies``; a problem matching one (same ``where`` and ``kind``) is
  ``known``.  A sheet is valid when every problem is known.  A listed discrepancy that
  matches nothing any more is itself reported (``stale_exception``) so that list cannot
  quietly rot into a blanket excuse.

Stop and elimination notes: besides the rejection clauses at the head of the sheet, some
criteria print a note that stops the evaluation ("… sẽ không đánh giá các bước tiếp
theo", "Không xem xét các chỉ tiêu khác nếu …") or eliminates the product ("Bị loại nếu
…", "… sẽ bị loại bỏ", "Không đánh giá những sản phẩm …"). Each is entered under its
criterion's ``eliminations`` – never in ``guidance``, which :func:`validate_sheet` checks
– with its exact wording (``text``), its ``effect`` (``stop`` or ``eliminate``), where it
is printed (``place``: ``note_row``, a row of its own after the options; ``option_cell``,
inside the cell of the last option) and the ``line`` of the reference's flattened text
where it starts. ``zero_points_on`` (optional) names the criteria whose 0-point tick makes
the note apply by itself (set 16's "Nếu được 0 điểm tại một trong các chỉ tiêu trên").
:func:`elimination_notes` lists them; ``manage.py check_rulebooks`` counts them.

Published slips that are not arithmetic – an option printed with another criterion's
wording – are listed in ``known_discrepancies`` too, with kind ``wording``: ``where`` the
criterion, ``option`` the index of the option, ``published`` its printed text (checked
against the option: a listed slip that no longer matches is stale), ``usual`` what the
other sheets print in its place, and a ``note``. They are shown to the council beside the
criterion and change nothing in the scoring.

``where`` paths: ``"A"`` (part), ``"A.1"`` (section 1 of part A), ``"A.1.1"`` (criterion
1.1; codes that already start with their section number are not repeated), ``"A.1.a"``
(criterion ``a`` of section 1 when codes are letters), ``"C.7"`` (section 7 printed with
its options directly, i.e. its single criterion), ``"C.6.1"`` (group heading 6.1 of
sub-criteria 6.1.1, 6.1.2…), ``"sheet"``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1

#: Parts every OCOP sheet has, with the maximum the decisions give them (40 + 25 + 35).
EXPECTED_PART_MAX: dict[str, int] = {"A": 40, "B": 25, "C": 35}
EXPECTED_TOTAL = 100

STAR_LEVELS = frozenset({3, 4, 5})

#: Kinds of arithmetic problem :func:`validate_sheet` reports (and that may be "known").
DISCREPANCY_KINDS = frozenset(
    {"criterion_max", "group_sum", "section_sum", "part_sum", "part_total", "sheet_total"}
)
#: A published slip of wording (not arithmetic): an option printed with another text.
WORDING = "wording"
#: Reported for a ``known_discrepancies`` entry that no longer describes the text.
STALE_EXCEPTION = "stale_exception"
#: Reported for a stop or elimination note left in a criterion's ``guidance``: it would be
#: shown as text and never take effect. Never "known".
NOTE_IN_GUIDANCE = "note_in_guidance"

#: What a criterion's note does (``eliminations[].effect``).
NOTE_EFFECTS = frozenset({"stop", "eliminate"})
#: Where a note is printed (``eliminations[].place``).
NOTE_PLACES = frozenset({"note_row", "option_cell"})
#: Wording that marks a stop or elimination note (case-insensitive).
NOTE_WORDING = re.compile(
    r"không đánh giá các bước tiếp theo|không xem xét các chỉ tiêu khác|\bbị loại\b"
    r"|không đánh giá những sản phẩm",
    re.IGNORECASE,
)

#: Where the shipped sheet files live (``<rulebook>/sheets/set-NN.json``).
RULEBOOKS_DIR = Path(__file__).resolve().parent / "rulebooks"


class SheetError(ValueError):
    """A sheet file is unusable; ``messages`` lists every structural problem found."""

    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages) if self.messages else "invalid sheet")


# ---------------------------------------------------------------------------
# Data model (mirrors the JSON one to one)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    text: str
    points: int
    min_star: int | None
    #: Set only where a criterion offers alternative cases ("a. Trường hợp 1: …").
    case: str | None = None


@dataclass(frozen=True)
class Group:
    """A heading such as "6.1. Ngoại hình" over sub-criteria 6.1.1, 6.1.2 (QĐ26 sets 11, 13)."""

    code: str
    title: str
    max_points: int


@dataclass(frozen=True)
class EliminationNote:
    """A stop or elimination note printed on a criterion (see the module docstring)."""

    text: str
    effect: str
    place: str
    line: int | None = None
    zero_points_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    max_points: int
    guidance: str
    star_marker: int | None
    options: tuple[Option, ...]
    group: Group | None = None
    eliminations: tuple[EliminationNote, ...] = ()

    @property
    def best_points(self) -> int:
        return max(o.points for o in self.options)


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    max_points: int
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Part:
    code: str
    title: str
    max_points: int
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Source:
    document: str
    location: str
    reference_file: str
    secondary: bool
    note: str


@dataclass(frozen=True)
class Discrepancy:
    where: str
    kind: str
    published: int | str  # the printed text for a ``wording`` slip
    computed: int | None  # None for a ``wording`` slip
    note: str
    option: int | None = None  # ``wording``: the option's index
    usual: str = ""  # ``wording``: what the other sheets print there


@dataclass(frozen=True)
class SheetFile:
    format: int
    rulebook: str
    product_set: int
    title: str
    source: Source
    rejection_clauses: tuple[str, ...]
    parts: tuple[Part, ...]
    known_discrepancies: tuple[Discrepancy, ...]

    def iter_criteria(self) -> Iterator[tuple[Part, Section, Criterion]]:
        for part in self.parts:
            for section in part.sections:
                for criterion in section.criteria:
                    yield part, section, criterion

    def criterion(self, code: str) -> Criterion:
        """The criterion with this code (codes are unique within a sheet)."""
        for _, _, criterion in self.iter_criteria():
            if criterion.code == code:
                return criterion
        raise KeyError(code)

    @property
    def criterion_count(self) -> int:
        return sum(1 for _ in self.iter_criteria())

    @property
    def option_count(self) -> int:
        return sum(len(c.options) for _, _, c in self.iter_criteria())


@dataclass(frozen=True)
class Problem:
    where: str
    kind: str
    message: str
    known: bool = False


def criterion_where(part: Part, section: Section, criterion: Criterion) -> str:
    """The ``where`` path of a criterion (see the module docstring)."""
    code = criterion.code
    if code == section.code or code.startswith(section.code + "."):
        return f"{part.code}.{code}"
    return f"{part.code}.{section.code}.{code}"


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------


class _Reader:
    """Collects every structural error (not just the first) so one run shows them all."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def obj(
        self,
        value: Any,
        path: str,
        required: set[str],
        optional: frozenset[str] | set[str] = frozenset(),
    ):
        if not isinstance(value, dict):
            self.error(path, f"expected an object, got {type(value).__name__}")
            return None
        missing = sorted(required - value.keys())
        if missing:
            self.error(path, f"missing key(s) {', '.join(missing)}")
        # Unknown keys are refused so that a misspelt key ("max_point") cannot be ignored.
        unknown = sorted(value.keys() - required - optional)
        if unknown:
            self.error(path, f"unknown key(s) {', '.join(unknown)}")
        return None if missing else value

    def text(self, value: Any, path: str, *, allow_empty: bool = False) -> str:
        if not isinstance(value, str):
            self.error(path, f"expected a string, got {type(value).__name__}")
            return ""
        if not allow_empty and not value.strip():
            self.error(path, "must not be empty")
        return value

    def count(self, value: Any, path: str) -> int:
        # bool is an int subclass; "true" points would be a data-entry slip, not 1 point.
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, f"expected a non-negative integer, got {value!r}")
            return 0
        if value < 0:
            self.error(path, f"expected a non-negative integer, got {value}")
            return 0
        return value

    def star(self, value: Any, path: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value not in STAR_LEVELS:
            self.error(path, f"star level must be null, 3, 4 or 5, got {value!r}")
            return None
        return value

    def items(self, value: Any, path: str, *, non_empty: bool = True) -> list:
        if not isinstance(value, list):
            self.error(path, f"expected a list, got {type(value).__name__}")
            return []
        if non_empty and not value:
            self.error(path, "must not be empty")
        return value


def parse_sheet(data: dict) -> SheetFile:
    """Build a :class:`SheetFile` from decoded JSON, or raise :class:`SheetError`.

    Only structure is checked here; whether the numbers add up is :func:`validate_sheet`'s
    business.  Several options of one criterion may share the same points (the texts do).
    """
    r = _Reader()
    top = r.obj(
        data,
        "sheet",
        {
            "format",
            "rulebook",
            "product_set",
            "title",
            "source",
            "rejection_clauses",
            "parts",
            "known_discrepancies",
        },
    )
    if top is None:
        raise SheetError(r.errors)

    fmt = top["format"]
    if fmt != FORMAT_VERSION or isinstance(fmt, bool):
        r.error("format", f"unsupported format {fmt!r} (expected {FORMAT_VERSION})")
    rulebook = r.text(top["rulebook"], "rulebook")
    product_set = r.count(top["product_set"], "product_set")
    if product_set == 0:
        r.error("product_set", "must be a positive integer")
    title = r.text(top["title"], "title")

    source = None
    src = r.obj(
        top["source"], "source", {"document", "location", "reference_file", "secondary", "note"}
    )
    if src is not None:
        if not isinstance(src["secondary"], bool):
            r.error("source.secondary", "expected true or false")
        source = Source(
            document=r.text(src["document"], "source.document"),
            location=r.text(src["location"], "source.location"),
            reference_file=r.text(src["reference_file"], "source.reference_file"),
            secondary=bool(src["secondary"]),
            note=r.text(src["note"], "source.note", allow_empty=True),
        )

    clauses = tuple(
        r.text(c, f"rejection_clauses[{i}]")
        for i, c in enumerate(
            r.items(top["rejection_clauses"], "rejection_clauses", non_empty=False)
        )
    )

    parts = []
    part_codes: set[str] = set()
    section_codes: set[str] = set()
    criterion_codes: set[str] = set()
    for pi, p in enumerate(r.items(top["parts"], "parts")):
        ppath = f"parts[{pi}]"
        p = r.obj(p, ppath, {"code", "title", "max_points", "sections"})
        if p is None:
            continue
        pcode = r.text(p["code"], f"{ppath}.code")
        if pcode and pcode not in EXPECTED_PART_MAX:
            r.error(f"{ppath}.code", f"part code must be one of A, B, C, got {pcode!r}")
        if pcode in part_codes:
            r.error(f"{ppath}.code", f"duplicate part code {pcode!r}")
        part_codes.add(pcode)
        sections = []
        for si, s in enumerate(r.items(p["sections"], f"{ppath}.sections")):
            spath = f"{ppath}.sections[{si}]"
            s = r.obj(s, spath, {"code", "title", "max_points", "criteria"})
            if s is None:
                continue
            scode = r.text(s["code"], f"{spath}.code")
            if scode in section_codes:
                r.error(f"{spath}.code", f"duplicate section code {scode!r}")
            section_codes.add(scode)
            criteria = []
            for ci, c in enumerate(r.items(s["criteria"], f"{spath}.criteria")):
                criterion = _parse_criterion(r, c, f"{spath}.criteria[{ci}]", criterion_codes)
                if criterion is not None:
                    criteria.append(criterion)
            _check_groups(r, criteria, spath)
            sections.append(
                Section(
                    code=scode,
                    title=r.text(s["title"], f"{spath}.title"),
                    max_points=r.count(s["max_points"], f"{spath}.max_points"),
                    criteria=tuple(criteria),
                )
            )
        parts.append(
            Part(
                code=pcode,
                title=r.text(p["title"], f"{ppath}.title"),
                max_points=r.count(p["max_points"], f"{ppath}.max_points"),
                sections=tuple(sections),
            )
        )

    discrepancies = []
    for di, d in enumerate(
        r.items(top["known_discrepancies"], "known_discrepancies", non_empty=False)
    ):
        dpath = f"known_discrepancies[{di}]"
        if isinstance(d, dict) and d.get("kind") == WORDING:
            d = r.obj(d, dpath, {"where", "kind", "option", "published", "usual", "note"})
            if d is None:
                continue
            discrepancies.append(
                Discrepancy(
                    where=r.text(d["where"], f"{dpath}.where"),
                    kind=WORDING,
                    published=r.text(d["published"], f"{dpath}.published"),
                    computed=None,
                    note=r.text(d["note"], f"{dpath}.note"),
                    option=r.count(d["option"], f"{dpath}.option"),
                    usual=r.text(d["usual"], f"{dpath}.usual"),
                )
            )
            continue
        d = r.obj(d, dpath, {"where", "kind", "published", "computed", "note"})
        if d is None:
            continue
        if d["kind"] not in DISCREPANCY_KINDS:
            r.error(f"{dpath}.kind", f"unknown kind {d['kind']!r}")
        discrepancies.append(
            Discrepancy(
                where=r.text(d["where"], f"{dpath}.where"),
                kind=str(d["kind"]),
                published=r.count(d["published"], f"{dpath}.published"),
                computed=r.count(d["computed"], f"{dpath}.computed"),
                # A known slip must say where it stands in the text, or it is unverifiable.
                note=r.text(d["note"], f"{dpath}.note"),
            )
        )

    for part in parts:
        for section in part.sections:
            for criterion in section.criteria:
                for note in criterion.eliminations:
                    for code in note.zero_points_on:
                        if code not in criterion_codes:
                            r.error(
                                f"criterion {criterion.code!r}",
                                f"zero_points_on names {code!r}, not a criterion of this sheet",
                            )
    if r.errors:
        raise SheetError(r.errors)
    return SheetFile(
        format=fmt,
        rulebook=rulebook,
        product_set=product_set,
        title=title,
        source=source,
        rejection_clauses=clauses,
        parts=tuple(parts),
        known_discrepancies=tuple(discrepancies),
    )


def _parse_criterion(r: _Reader, c: Any, path: str, seen: set[str]) -> Criterion | None:
    c = r.obj(
        c,
        path,
        {"code", "title", "max_points", "guidance", "star_marker", "options"},
        {"group", "eliminations"},
    )
    if c is None:
        return None
    code = r.text(c["code"], f"{path}.code")
    if code in seen:
        r.error(f"{path}.code", f"duplicate criterion code {code!r}")
    seen.add(code)
    group = None
    if c.get("group") is not None:
        g = r.obj(c["group"], f"{path}.group", {"code", "title", "max_points"})
        if g is not None:
            group = Group(
                code=r.text(g["code"], f"{path}.group.code"),
                title=r.text(g["title"], f"{path}.group.title"),
                max_points=r.count(g["max_points"], f"{path}.group.max_points"),
            )
    options = []
    raw_options = c["options"]
    if isinstance(raw_options, list) and not raw_options:
        r.error(f"{path}.options", f"criterion {code!r} has no options")
    else:
        for oi, o in enumerate(r.items(raw_options, f"{path}.options")):
            opath = f"{path}.options[{oi}]"
            o = r.obj(o, opath, {"text", "points", "min_star"}, {"case"})
            if o is None:
                continue
            case = o.get("case")
            options.append(
                Option(
                    text=r.text(o["text"], f"{opath}.text"),
                    points=r.count(o["points"], f"{opath}.points"),
                    min_star=r.star(o["min_star"], f"{opath}.min_star"),
                    case=None if case is None else r.text(case, f"{opath}.case"),
                )
            )
    notes = []
    for ni, n in enumerate(
        r.items(c.get("eliminations", []), f"{path}.eliminations", non_empty=False)
    ):
        npath = f"{path}.eliminations[{ni}]"
        n = r.obj(n, npath, {"text", "effect", "place"}, {"line", "zero_points_on"})
        if n is None:
            continue
        if n["effect"] not in NOTE_EFFECTS:
            r.error(f"{npath}.effect", f"must be one of {sorted(NOTE_EFFECTS)}")
        if n["place"] not in NOTE_PLACES:
            r.error(f"{npath}.place", f"must be one of {sorted(NOTE_PLACES)}")
        line = n.get("line")
        if line is not None and r.count(line, f"{npath}.line") == 0:
            r.error(f"{npath}.line", "must be a positive line number")
        zero = tuple(
            r.text(z, f"{npath}.zero_points_on[{zi}]")
            for zi, z in enumerate(
                r.items(n.get("zero_points_on", []), f"{npath}.zero_points_on", non_empty=False)
            )
        )
        notes.append(
            EliminationNote(
                text=r.text(n["text"], f"{npath}.text"),
                effect=str(n["effect"]),
                place=str(n["place"]),
                line=line,
                zero_points_on=zero,
            )
        )
    return Criterion(
        code=code,
        title=r.text(c["title"], f"{path}.title"),
        max_points=r.count(c["max_points"], f"{path}.max_points"),
        guidance=r.text(c["guidance"], f"{path}.guidance", allow_empty=True),
        star_marker=r.star(c["star_marker"], f"{path}.star_marker"),
        options=tuple(options),
        group=group,
        eliminations=tuple(notes),
    )


def _check_groups(r: _Reader, criteria: list[Criterion], path: str) -> None:
    """Sub-criteria of one heading must repeat it identically and stand together."""
    seen: dict[str, Group] = {}
    last = None
    for criterion in criteria:
        g = criterion.group
        if g is not None:
            if g.code in seen and seen[g.code] != g:
                r.error(
                    path,
                    f"criterion {criterion.code!r}: group {g.code!r} differs from "
                    f"the one given on the earlier criteria of that group",
                )
            if g.code in seen and last != g.code:
                r.error(path, f"criterion {criterion.code!r}: group {g.code!r} is split")
            seen.setdefault(g.code, g)
        last = None if g is None else g.code


def load_sheet_file(path: str | Path) -> SheetFile:
    """Read and parse one sheet file; errors name the file so a bulk import can say which."""
    path = Path(path)
    try:
        # utf-8-sig: a BOM left by a Windows editor must not make the file unreadable.
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SheetError([f"{path.name}: not UTF-8 text ({exc})"]) from exc
    except json.JSONDecodeError as exc:
        raise SheetError(
            [f"{path.name}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"]
        ) from exc
    try:
        return parse_sheet(data)
    except SheetError as exc:
        raise SheetError([f"{path.name}: {m}" for m in exc.messages]) from exc


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


def validate_sheet(sheet: SheetFile) -> list[Problem]:
    """Every place where the sheet's own numbers do not add up, each marked known or not."""
    found: list[tuple[str, str, int, int, str]] = []  # where, kind, published, computed, msg
    notes_left: list[Problem] = []

    def add(where: str, kind: str, published: int, computed: int, message: str) -> None:
        found.append((where, kind, published, computed, message))

    for part in sheet.parts:
        label = f'{part.code} "{part.title}"'
        expected = EXPECTED_PART_MAX.get(part.code)
        if expected is not None and part.max_points != expected:
            add(
                part.code,
                "part_total",
                part.max_points,
                expected,
                f"{label}: tối đa công bố {part.max_points} điểm nhưng phần {part.code} "
                f"phải là {expected} điểm (published part maximum differs from the rule)",
            )
        sections_sum = sum(s.max_points for s in part.sections)
        if sections_sum != part.max_points:
            add(
                part.code,
                "part_sum",
                part.max_points,
                sections_sum,
                f"{label}: tối đa công bố {part.max_points} điểm nhưng tổng các mục là "
                f"{sections_sum} điểm (sections do not add up to the part)",
            )
        for section in part.sections:
            swhere = f"{part.code}.{section.code}"
            criteria_sum = sum(c.max_points for c in section.criteria)
            if criteria_sum != section.max_points:
                add(
                    swhere,
                    "section_sum",
                    section.max_points,
                    criteria_sum,
                    f'{swhere} "{section.title}": tối đa công bố {section.max_points} điểm '
                    f"nhưng tổng các tiêu chí là {criteria_sum} điểm "
                    f"(criteria do not add up to the section)",
                )
            for group, members in _groups(section):
                gwhere = f"{part.code}.{group.code}"
                members_sum = sum(c.max_points for c in members)
                if members_sum != group.max_points:
                    add(
                        gwhere,
                        "group_sum",
                        group.max_points,
                        members_sum,
                        f'{gwhere} "{group.title}": tối đa công bố {group.max_points} điểm '
                        f"nhưng tổng các tiêu chí {', '.join(c.code for c in members)} là "
                        f"{members_sum} điểm (sub-criteria do not add up to their heading)",
                    )
            for criterion in section.criteria:
                cwhere = criterion_where(part, section, criterion)
                for line in criterion.guidance.split("\n"):
                    if NOTE_WORDING.search(line):
                        notes_left.append(
                            Problem(
                                cwhere,
                                NOTE_IN_GUIDANCE,
                                f'{cwhere} "{criterion.title}": the guidance holds a stop or '
                                f"elimination note ({line[:60]!r}…); enter it under "
                                f"'eliminations' so that it takes effect",
                            )
                        )
                best = criterion.best_points
                if best != criterion.max_points:
                    add(
                        cwhere,
                        "criterion_max",
                        criterion.max_points,
                        best,
                        f'{cwhere} "{criterion.title}" (tiêu chí {criterion.code}): tối đa '
                        f"công bố {criterion.max_points} điểm nhưng phương án cao nhất là "
                        f"{best} điểm (best option differs from the stated maximum)",
                    )
    total = sum(p.max_points for p in sheet.parts)
    if total != EXPECTED_TOTAL:
        add(
            "sheet",
            "sheet_total",
            total,
            EXPECTED_TOTAL,
            f"sheet: tổng tối đa các phần là {total} điểm nhưng phải là {EXPECTED_TOTAL} điểm "
            f"(parts do not add up to {EXPECTED_TOTAL})",
        )

    listed = {(d.where, d.kind): d for d in sheet.known_discrepancies}
    problems = [
        Problem(where, kind, message, known=(where, kind) in listed)
        for where, kind, _, _, message in found
    ] + notes_left
    actual = {(where, kind): (pub, comp) for where, kind, pub, comp, _ in found}
    for d in sheet.known_discrepancies:
        if d.kind == WORDING:
            problems.extend(_stale_wording(sheet, d))
            continue
        numbers = actual.get((d.where, d.kind))
        if numbers is None:
            problems.append(
                Problem(
                    d.where,
                    STALE_EXCEPTION,
                    f"{d.where} {d.kind}: listed as a known discrepancy (công bố {d.published}, "
                    f"tính được {d.computed}) but the sheet shows no such discrepancy",
                )
            )
        elif numbers != (d.published, d.computed):
            problems.append(
                Problem(
                    d.where,
                    STALE_EXCEPTION,
                    f"{d.where} {d.kind}: known discrepancy records công bố {d.published}, "
                    f"tính được {d.computed}, but the sheet now gives {numbers[0]} and "
                    f"{numbers[1]}",
                )
            )
    return problems


def _stale_wording(sheet: SheetFile, d: Discrepancy) -> list[Problem]:
    """A listed wording slip must still stand where it says, word for word."""
    criteria = {criterion_where(p, s, c): c for p, s, c in sheet.iter_criteria()}
    criterion = criteria.get(d.where)
    options = criterion.options if criterion is not None else ()
    if d.option is not None and d.option < len(options) and options[d.option].text == d.published:
        return []
    return [
        Problem(
            d.where,
            STALE_EXCEPTION,
            f"{d.where} wording: listed as a published slip of option {d.option} "
            f"({str(d.published)[:60]!r}) but the sheet prints no such option there",
        )
    ]


def elimination_notes(sheet: SheetFile) -> list[tuple[str, EliminationNote]]:
    """Every stop or elimination note of the sheet with its criterion's ``where``, in
    the order printed."""
    return [
        (criterion_where(p, s, c), note)
        for p, s, c in sheet.iter_criteria()
        for note in c.eliminations
    ]


def unknown_problems(sheet: SheetFile) -> list[Problem]:
    """The problems that make a sheet invalid (a sheet is valid iff this is empty)."""
    return [p for p in validate_sheet(sheet) if not p.known]


def is_valid(sheet: SheetFile) -> bool:
    return not unknown_problems(sheet)


def _groups(section: Section) -> list[tuple[Group, list[Criterion]]]:
    groups: dict[str, tuple[Group, list[Criterion]]] = {}
    for criterion in section.criteria:
        if criterion.group is not None:
            groups.setdefault(criterion.group.code, (criterion.group, []))[1].append(criterion)
    return list(groups.values())
