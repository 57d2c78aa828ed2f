import hashlib
import json

from django.core.management.base import BaseCommand

from evaluation import sheetfile
from evaluation.models import Sheet


class Command(BaseCommand):
    help = (
        "Validate every shipped sheet file: one line per rulebook and product set with "
        "criteria, options, total points, stop or elimination notes (each listed below "
        "its sheet), source and whether the database holds it; then the notes counted per "
        "rulebook. Exits non-zero if any sheet is invalid."
    )

    def handle(self, *args, **options):
        stored = {
            (code, number): digest
            for code, number, digest in Sheet.objects.values_list(
                "rulebook__code", "product_set__number", "content_hash"
            )
        }
        invalid = 0
        self.notes: dict[str, list[int]] = {}  # rulebook number: notes per sheet
        for directory in sorted(p for p in sheetfile.RULEBOOKS_DIR.iterdir() if p.is_dir()):
            meta = json.loads((directory / "rulebook.json").read_text(encoding="utf-8"))
            self.notes[meta["number"]] = []
            for path in sorted((directory / "sheets").glob("*.json")):
                invalid += self._line(meta, path, stored)
        for number, counts in self.notes.items():
            self.stdout.write(
                f"{number}: {sum(counts)} stop or elimination notes in {len(counts)} sheets."
            )
        if invalid:
            self.stderr.write(f"{invalid} invalid sheet file(s).")
            raise SystemExit(1)

    def _line(self, meta, path, stored) -> int:
        try:
            sheet = sheetfile.load_sheet_file(path)
        except sheetfile.SheetError as exc:
            self.stdout.write(f"{meta['number']:<16} {path.name}: INVALID — {exc}")
            return 1
        criteria = [c for p in sheet.parts for s in p.sections for c in s.criteria]
        options = sum(len(c.options) for c in criteria)
        total = sum(p.max_points for p in sheet.parts)
        problems = sheetfile.validate_sheet(sheet)
        unknown = [p for p in problems if not p.known]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        db = stored.get((sheet.rulebook, sheet.product_set))
        state = "loaded" if db == digest else ("outdated in db" if db else "not loaded")
        source = f"{sheet.source.location}{' (secondary source)' if sheet.source.secondary else ''}"
        known = f", {len(problems) - len(unknown)} known exception(s)" if problems else ""
        notes = sheetfile.elimination_notes(sheet)
        self.notes[meta["number"]].append(len(notes))
        self.stdout.write(
            f"{meta['number']:<16} set {sheet.product_set:>2}: {len(criteria)} criteria, "
            f"{options} options, {total} points, {len(notes)} stop or elimination note(s)"
            f"{known}; {state}; {source}"
        )
        for problem in unknown:
            self.stdout.write(f"    INVALID {problem.message}")
        for problem in problems:
            if problem.known:
                self.stdout.write(
                    f"    known exception {problem.where} {problem.kind}: {problem.message}"
                )
        for where, note in notes:
            line = f", line {note.line}" if note.line else ""
            self.stdout.write(f"    note {where} {note.effect} ({note.place}{line}): {note.text}")
        return 1 if unknown else 0
