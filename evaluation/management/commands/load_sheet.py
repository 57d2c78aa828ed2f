from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluation.loading import LoadError, load_sheet_upload
from evaluation.models import Rulebook


class Command(BaseCommand):
    help = "Load one further scoring-sheet file into a rulebook, with the same validation."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--rulebook", required=True, help="Rulebook code, e.g. qd148-2023")

    def handle(self, *args, file, rulebook, **options):
        try:
            book = Rulebook.objects.get(code=rulebook)
        except Rulebook.DoesNotExist as exc:
            raise CommandError(f"No rulebook {rulebook!r}; run load_rulebooks first.") from exc
        try:
            sheet = load_sheet_upload(book, file.read_bytes(), file.name)
        except (LoadError, OSError) as exc:
            raise CommandError(f"{file} was not loaded:\n{exc}") from exc
        self.stdout.write(f"Loaded {sheet} ({sheet.criteria.count()} criteria).")
