from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.queue import job


@job(attempts=3, backoff_seconds=600)
def daily_scan(day: str) -> dict:
    """The daily scan, enqueued once a day by the workers (`schedule.py`) or by
    `manage.py daily_scan`; `day` is the ISO date it runs for.

    Its own part is the queue's housekeeping: jobs that finished well more than
    JOBS_KEEP_DAYS ago are deleted with their keys; failed jobs stay for an administrator.
    A scan that belongs to a higher app (deadlines, reminders) is a @job of that app taking
    `day`, listed beside this one in settings.DAILY_JOBS: it then gets its own row, retries
    and once-a-day key, and cannot make this one fail."""
    cutoff = timezone.now() - timedelta(days=settings.JOBS_KEEP_DAYS)
    _rows, deleted = DBTaskResult.objects.successful().filter(finished_at__lt=cutoff).delete()
    return {"day": day, "finished_jobs_deleted": deleted.get(DBTaskResult._meta.label, 0)}
