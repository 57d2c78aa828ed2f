import json
from pathlib import Path

from django.core.management.base import BaseCommand

from bench import data as bench_data


class Command(BaseCommand):
    help = (
        "After a load run: compare the answers in the database with the ticks the run was "
        "told were saved (JSON: card → criterion → allowed options). Prints the findings as "
        "JSON; exits non-zero on a lost tick or a wrong total."
    )

    def add_arguments(self, parser):
        parser.add_argument("expected", type=Path)

    def handle(self, *args, expected, **options):
        raw = json.loads(expected.read_text(encoding="utf-8"))
        report = bench_data.check_ticks(
            {
                int(card): {int(criterion): allowed for criterion, allowed in pairs.items()}
                for card, pairs in raw.items()
            }
        )
        self.stdout.write(json.dumps(report))
        if report["lost"] or report["wrong_totals"]:
            raise SystemExit(1)
