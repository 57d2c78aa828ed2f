"""Rulebooks and sheets from their data files into the database, validated first.

A sheet is written only when it parses and every problem validation finds is a
known, recorded discrepancy of the published text; a rulebook's sheets are all
written in one transaction, so a bad file leaves nothing half-loaded. A sheet
already used by a dossier is never rewritten: that would change the meaning of
submitted cards. What the cards do not refer to may still be amended in place on such
a sheet – its source and notes, the criteria's guidance, the recorded slips and the
stop or elimination notes – as long as its titles, parts, criteria, options, points,
markers and rejection clauses are exactly those stored, and no note a card has flagged
changes its wording or effect or disappears (amend_sheet).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from evaluation import deadlines, sheetfile
from evaluation.models import (
    Criterion,
    EliminationNote,
    Option,
    Rulebook,
    Scorecard,
    Sheet,
    SheetPart,
    SheetSection,
)
from registry.models import ProductSet

RULEBOOKS_DIR = sheetfile.RULEBOOKS_DIR


class LoadError(Exception):
    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


@dataclass
class ParsedSheet:
    sheet: sheetfile.SheetFile
    content_hash: str
    name: str


def parse_sheet_bytes(raw: bytes, name: str) -> ParsedSheet:
    """Parse and validate a sheet file's bytes; LoadError lists every problem."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LoadError([f"{name}: not a readable JSON sheet file ({exc})"]) from exc
    try:
        sheet = sheetfile.parse_sheet(data)
    except sheetfile.SheetError as exc:
        raise LoadError([f"{name}: {m}" for m in exc.messages]) from exc
    problems = sheetfile.unknown_problems(sheet)
    if problems:
        raise LoadError([f"{name}: {p.message}" for p in problems])
    return ParsedSheet(sheet, hashlib.sha256(raw).hexdigest(), name)


RULEBOOK_KEYS = (
    "code",
    "number",
    "title",
    "signed_on",
    "effective_from",
    "tier_bands",
    "levels",
    "certified_min_stars",
    "certificate_validity_months",
    "renewal_window",
    "time_limits",
    "rounds",
    "transition",
)


def read_rulebook_meta(directory: Path) -> dict:
    path = directory / "rulebook.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LoadError([f"{directory.name}/rulebook.json: unreadable ({exc})"]) from exc
    missing = [key for key in RULEBOOK_KEYS if key not in meta]
    if missing:
        raise LoadError([f"{directory.name}/rulebook.json: missing {', '.join(missing)}"])
    try:
        deadlines.parse_timing(meta, [level.get("code") for level in meta["levels"]])
    except deadlines.TimingError as exc:
        raise LoadError([f"{directory.name}/rulebook.json: {m}" for m in exc.messages]) from exc
    return meta


def read_rulebook_dir(directory: Path) -> tuple[dict, list[ParsedSheet]]:
    meta = read_rulebook_meta(directory)
    parsed, errors = [], []
    for path in sorted((directory / "sheets").glob("*.json")):
        try:
            parsed.append(parse_sheet_bytes(path.read_bytes(), path.name))
        except LoadError as exc:
            errors.extend(exc.messages)
    for item in parsed:
        if item.sheet.rulebook != meta["code"]:
            errors.append(f"{item.name}: belongs to {item.sheet.rulebook}, not {meta['code']}")
    if errors:
        raise LoadError(errors)
    return meta, parsed


def upsert_rulebook(meta: dict) -> Rulebook:
    window = meta["renewal_window"]
    rulebook, _created = Rulebook.objects.update_or_create(
        code=meta["code"],
        defaults={
            "number": meta["number"],
            "title": meta["title"],
            "signed_on": date.fromisoformat(meta["signed_on"]),
            "effective_from": date.fromisoformat(meta["effective_from"]),
            "effective_to": date.fromisoformat(meta["effective_to"])
            if meta.get("effective_to")
            else None,
            "source": meta.get("source", {}),
            "tier_bands": meta["tier_bands"],
            "levels": meta["levels"],
            "certified_min_stars": meta["certified_min_stars"],
            "certificate_validity_months": meta["certificate_validity_months"],
            "renewal_opens_days": window["opens_days_before_expiry"],
            "renewal_closes_days": window["closes_days_before_expiry"],
            "renewal_source": {k: window[k] for k in ("article", "text", "note") if k in window},
            "time_limits": meta["time_limits"],
            "round_schedule": meta["rounds"],
            "transition": meta["transition"],
        },
    )
    return rulebook


@transaction.atomic
def load_rulebook_dir(directory: Path) -> dict[str, int]:
    meta, parsed = read_rulebook_dir(directory)
    rulebook = upsert_rulebook(meta)
    counts = {"loaded": 0, "unchanged": 0}
    for item in parsed:
        counts["loaded" if write_sheet(rulebook, item) else "unchanged"] += 1
    return counts


@transaction.atomic
def load_all() -> dict[str, dict[str, int]]:
    """Every rulebook directory shipped with the application, all or nothing."""
    return {d.name: load_rulebook_dir(d) for d in sorted(RULEBOOKS_DIR.iterdir()) if d.is_dir()}


@transaction.atomic
def load_sheet_upload(rulebook: Rulebook, raw: bytes, name: str) -> Sheet:
    """A further sheet file, e.g. a Decision 148 set whose text turns up later."""
    item = parse_sheet_bytes(raw, name)
    if item.sheet.rulebook != rulebook.code:
        raise LoadError([f"{name}: the file is for {item.sheet.rulebook}, not {rulebook.code}"])
    write_sheet(rulebook, item)
    return Sheet.objects.get(rulebook=rulebook, product_set__number=item.sheet.product_set)


def _discrepancy(d: sheetfile.Discrepancy) -> dict:
    row = {
        "where": d.where,
        "kind": d.kind,
        "published": d.published,
        "computed": d.computed,
        "note": d.note,
    }
    if d.kind == sheetfile.WORDING:
        row.update(option=d.option, usual=d.usual)
    return row


def write_sheet(rulebook: Rulebook, item: ParsedSheet) -> bool:
    """Create or replace one sheet; False when the stored one is already identical."""
    data = item.sheet
    try:
        product_set = ProductSet.objects.get(number=data.product_set)
    except ProductSet.DoesNotExist as exc:
        raise LoadError([f"{item.name}: no product set number {data.product_set}"]) from exc
    existing = Sheet.objects.filter(rulebook=rulebook, product_set=product_set).first()
    if existing and existing.content_hash == item.content_hash:
        return False
    if existing:
        if existing.dossiers.exists():
            if structure_of_rows(existing) != structure_of_file(data):
                raise LoadError(
                    [
                        f"{item.name}: the {rulebook.number} sheet for set {data.product_set} "
                        "is already used by dossiers and cannot be replaced; publish a new "
                        "rulebook."
                    ]
                )
            amend_sheet(existing, item)
            return True
        existing.delete()
    sheet = Sheet.objects.create(
        rulebook=rulebook,
        product_set=product_set,
        title=data.title,
        source={
            "document": data.source.document,
            "location": data.source.location,
            "reference_file": data.source.reference_file,
            "note": data.source.note,
        },
        secondary_source=data.source.secondary,
        rejection_clauses=list(data.rejection_clauses),
        known_discrepancies=[_discrepancy(d) for d in data.known_discrepancies],
        content_hash=item.content_hash,
    )
    position = 0
    where = _where_by_code(data)
    for part_pos, part in enumerate(data.parts):
        part_row = SheetPart.objects.create(
            sheet=sheet,
            code=part.code,
            title=part.title,
            max_points=part.max_points,
            position=part_pos,
        )
        for section_pos, section in enumerate(part.sections):
            section_row = SheetSection.objects.create(
                part=part_row,
                code=section.code,
                title=section.title,
                max_points=section.max_points,
                position=section_pos,
            )
            for criterion in section.criteria:
                row = Criterion.objects.create(
                    sheet=sheet,
                    section=section_row,
                    code=criterion.code,
                    where=sheetfile.criterion_where(part, section, criterion),
                    title=criterion.title,
                    guidance=criterion.guidance,
                    group_title=criterion.group.title if criterion.group else "",
                    max_points=criterion.max_points,
                    star_marker=criterion.star_marker,
                    position=position,
                )
                position += 1
                _write_notes(row, criterion, where)
                Option.objects.bulk_create(
                    [
                        Option(
                            criterion=row,
                            text=o.text,
                            points=o.points,
                            min_star=o.min_star,
                            case=o.case or "",
                            position=i,
                        )
                        for i, o in enumerate(criterion.options)
                    ]
                )
    return True


def _where_by_code(data: sheetfile.SheetFile) -> dict[str, str]:
    return {c.code: sheetfile.criterion_where(p, s, c) for p, s, c in data.iter_criteria()}


def _note_values(note: sheetfile.EliminationNote, where: dict[str, str]) -> dict:
    return {
        "text": note.text,
        "effect": note.effect,
        "place": note.place,
        "line": note.line,
        "zero_points_on": [where[code] for code in note.zero_points_on],
    }


def _write_notes(row: Criterion, criterion: sheetfile.Criterion, where: dict[str, str]) -> None:
    EliminationNote.objects.bulk_create(
        [
            EliminationNote(criterion=row, position=i, **_note_values(note, where))
            for i, note in enumerate(criterion.eliminations)
        ]
    )


# ---------------------------------------------------------------- amending a sheet in use
def structure_of_file(data: sheetfile.SheetFile) -> list:
    """What the members read and tick, read from a sheet file: the title and rejection
    clauses, the parts, sections and criteria with their titles and maxima, the options
    in order with their points and markers."""
    return [
        data.title,
        list(data.rejection_clauses),
        [
            (p.code, p.title, p.max_points, [(s.code, s.title, s.max_points) for s in p.sections])
            for p in data.parts
        ],
        [
            (
                sheetfile.criterion_where(p, s, c),
                c.title,
                c.max_points,
                c.star_marker,
                [(o.text, o.points, o.min_star, o.case or "") for o in c.options],
            )
            for p, s, c in data.iter_criteria()
        ],
    ]


def structure_of_rows(sheet: Sheet) -> list:
    """The same as structure_of_file, read from the stored rows."""
    options: dict[int, list] = {}
    for o in Option.objects.filter(criterion__sheet=sheet).order_by("criterion_id", "position"):
        options.setdefault(o.criterion_id, []).append((o.text, o.points, o.min_star, o.case))
    parts = SheetPart.objects.filter(sheet=sheet).prefetch_related("sections")
    return [
        sheet.title,
        list(sheet.rejection_clauses),
        [
            (
                p.code,
                p.title,
                p.max_points,
                [(s.code, s.title, s.max_points) for s in p.sections.all()],
            )
            for p in parts
        ],
        [
            (c.where, c.title, c.max_points, c.star_marker, options.get(c.id, []))
            for c in Criterion.objects.filter(sheet=sheet).order_by("position")
        ],
    ]


def amend_sheet(sheet: Sheet, item: ParsedSheet) -> None:
    """Bring a sheet in use up to its file where the cards are not concerned: the
    sheet's source, recorded slips and hash, each criterion's guidance and its stop or
    elimination notes (kept by position, so the ids cards hold stay valid)."""
    data = item.sheet
    flagged = {
        note_id
        for ids in Scorecard.objects.filter(dossier__sheet=sheet).values_list(
            "eliminations", flat=True
        )
        for note_id in ids
    }
    where = _where_by_code(data)
    rows = {c.where: c for c in Criterion.objects.filter(sheet=sheet)}
    problems = []
    for part, section, criterion in data.iter_criteria():
        row = rows[sheetfile.criterion_where(part, section, criterion)]
        if row.guidance != criterion.guidance:
            row.guidance = criterion.guidance
            row.save(update_fields=["guidance"])
        stored = {n.position: n for n in EliminationNote.objects.filter(criterion=row)}
        for position, note in enumerate(criterion.eliminations):
            values = _note_values(note, where)
            old = stored.pop(position, None)
            if old is None:
                EliminationNote.objects.create(criterion=row, position=position, **values)
                continue
            if old.pk in flagged and (old.text, old.effect) != (note.text, note.effect):
                problems.append(f"{item.name}: {row.where}: a flagged note would change")
                continue
            for field, value in values.items():
                setattr(old, field, value)
            old.save()
        for old in stored.values():
            if old.pk in flagged:
                problems.append(f"{item.name}: {row.where}: a flagged note would disappear")
            else:
                old.delete()
    if problems:
        raise LoadError(problems)
    sheet.source = {
        "document": data.source.document,
        "location": data.source.location,
        "reference_file": data.source.reference_file,
        "note": data.source.note,
    }
    sheet.secondary_source = data.source.secondary
    sheet.known_discrepancies = [_discrepancy(d) for d in data.known_discrepancies]
    sheet.content_hash = item.content_hash
    sheet.save()
