import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand

from bench import data as bench_data


class Command(BaseCommand):
    help = (
        "Bench databases only: councils, rounds, dossiers and N member scorecards written in "
        "bulk (needs load_demo and load_rulebooks first). Idempotent. With --plan, also "
        "signs the members of the open dossiers in and writes what a load tool needs to "
        "tick as them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cards", type=int, default=20000, help="How many cards (20,000).")
        parser.add_argument(
            "--plan", type=Path, help="Write the members' sessions and cards here (JSON)."
        )

    def handle(self, *args, cards, plan, **options):
        started = time.monotonic()
        result = bench_data.build_scorecards(cards, progress=self._progress)
        self.stdout.write(
            f"Bench scorecards: {result.councils_created} councils, "
            f"{result.dossiers_created} dossiers, {result.cards_created} cards and "
            f"{result.answers_created} answers created in {time.monotonic() - started:.1f}s."
        )
        if plan:
            content = {
                **bench_data.member_plan(),
                "public": bench_data.public_plan(),
                "officials": bench_data.officials_plan(),
            }
            plan.write_text(json.dumps(content), encoding="utf-8")
            self.stdout.write(f"Plan for {len(content['members'])} members written to {plan}.")

    def _progress(self, done, total):
        self.stdout.write(f"  cards: {done:,}/{total:,}")
