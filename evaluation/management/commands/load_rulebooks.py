from django.core.management.base import BaseCommand, CommandError

from evaluation.loading import LoadError, load_all


class Command(BaseCommand):
    help = "Load the rulebooks and scoring sheets shipped in evaluation/rulebooks/. Idempotent."

    def handle(self, *args, **options):
        try:
            results = load_all()
        except LoadError as exc:
            raise CommandError("Nothing was loaded:\n" + "\n".join(exc.messages)) from exc
        for code, counts in results.items():
            self.stdout.write(
                f"{code}: {counts['loaded']} sheets loaded, {counts['unchanged']} unchanged."
            )
