from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from demo import evaluation_data as demo


class Command(BaseCommand):
    help = "Demo councils, rounds, dossiers and scorecards (needs load_demo first). Idempotent."

    def handle(self, *args, **options):
        call_command("load_rulebooks", stdout=self.stdout)
        started = timezone.now()
        created = demo.build()
        # After the commit, when the moves' notifications exist (they are made on commit).
        demo.spread_notifications(started)
        self.stdout.write(f"Evaluation demo: {', '.join(created) if created else 'already there'}.")
