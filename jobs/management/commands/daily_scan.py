"""`manage.py daily_scan`: enqueue today's daily jobs now, whatever the hour.

The workers do this on their own from DAILY_JOBS_HOUR on (jobs/schedule.py); this is for
an operator who wants the scan now, or for a cron line where no worker runs all the time
(`manage.py daily_scan && manage.py worker --batch`). A job already enqueued today is not
enqueued again, so running it twice, or beside the workers, does no harm."""

from django.conf import settings
from django.core.management.base import BaseCommand

from jobs import schedule


class Command(BaseCommand):
    help = "Enqueue today's daily jobs (settings.DAILY_JOBS) that are not enqueued yet."

    def handle(self, **options):
        enqueued = schedule.enqueue_due(any_hour=True)
        for key in enqueued:
            self.stdout.write(f"enqueued {key}")
        already = len(settings.DAILY_JOBS) - len(enqueued)
        if already:
            self.stdout.write(f"{already} already enqueued today")
