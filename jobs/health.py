"""What /health/ says of the queue: is a worker alive, and are failed jobs waiting for an
administrator? Two indexed queries (Worker.seen_at; the partial index on failed jobs of
migration 0002), so a monitor may ask every few seconds."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import Worker


def worker_problem(now=None) -> str | None:
    """None when a worker reported within JOBS_WORKER_TIMEOUT seconds; else why not."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOBS_WORKER_TIMEOUT)
    if Worker.objects.filter(seen_at__gte=cutoff).exists():
        return None
    return (
        f"no worker seen for {settings.JOBS_WORKER_TIMEOUT} s: mails and daily jobs wait "
        "(start `manage.py worker`)"
    )


def failed_jobs_problem() -> str | None:
    """None when no job has failed its last attempt; else how many wait in the admin
    (Background jobs → Failed jobs) for an administrator to queue again or delete."""
    failed = DBTaskResult.objects.failed().count()
    if not failed:
        return None
    return f"{failed} failed job(s) waiting for an administrator (admin: Failed jobs)"
