from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo import evaluation_data as demo


class Command(BaseCommand):
    help = "Demo councils, rounds, dossiers and scorecards (needs load_demo first). Idempotent."

    def handle(self, *args, **options):
        call_command("load_rulebooks", stdout=self.stdout)
        created = demo.build()
        self.stdout.write(f"Evaluation demo: {', '.join(created) if created else 'already there'}.")
