"""Declaring jobs and putting them in the queue.

`job` is django-tasks' `task` with a retry policy: how many runs a job gets in all and how
long the worker waits before the next one (doubling each time). django-tasks has no
retries of its own; the worker (`worker.py`) applies these.

`enqueue_once` puts a job in the queue unless a job with the same key was ever queued:
the database's unique constraint decides, so two machines enqueueing the same daily job
in the same second leave one row.
"""

from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string
from django_tasks import task

from jobs.models import JobKey

# Doubling stops here: a job retried for hours waits at most this long between runs.
MAX_BACKOFF = timedelta(hours=6)


@dataclass(frozen=True)
class Retry:
    """How a job is retried; None takes JOBS_ATTEMPTS / JOBS_RETRY_SECONDS."""

    attempts: int | None = None
    backoff_seconds: float | None = None

    @property
    def max_attempts(self) -> int:
        return self.attempts if self.attempts is not None else settings.JOBS_ATTEMPTS

    def delay(self, attempts_made: int) -> timedelta:
        """The wait before the next run, after `attempts_made` runs (1 or more) failed."""
        base = (
            self.backoff_seconds
            if self.backoff_seconds is not None
            else settings.JOBS_RETRY_SECONDS
        )
        return min(timedelta(seconds=base * 2 ** (attempts_made - 1)), MAX_BACKOFF)


_POLICIES: dict[str, Retry] = {}


def job(function=None, *, attempts=None, backoff_seconds=None, **task_options):
    """@job or @job(attempts=8, backoff_seconds=60, priority=…, queue_name=…): a task
    the worker retries. Its arguments must be JSON values (they are stored in the row)."""

    def declare(f):
        declared = task(f, **task_options)
        _POLICIES[declared.module_path] = Retry(attempts, backoff_seconds)
        return declared

    return declare(function) if function is not None else declare


def policy_for(task_path: str) -> Retry:
    """The policy of the task at `task_path` (importing it declares it), or the default."""
    if task_path not in _POLICIES:
        with suppress(ImportError):  # a task since removed: the default policy
            import_string(task_path)
    return _POLICIES.get(task_path, Retry())


def enqueue_once(declared_task, key: str, *args, **kwargs):
    """Enqueue unless `key` was enqueued before: the new job's result, or None."""
    try:
        with transaction.atomic():
            result = declared_task.enqueue(*args, **kwargs)
            JobKey.objects.create(key=key, job_id=result.id)
    except IntegrityError:
        return None
    return result
