"""The worker: django-tasks-db's loop, with what it lacks for jobs that must not be lost.

How a job is claimed is the library's: each worker takes the next ready row in a
transaction, `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (workers never wait for each
other nor take the same row) and `BEGIN EXCLUSIVE` on SQLite (one claim at a time), and
marks it running with its own id. Added here:

* retries: a job that raises goes back to the queue after its backoff (`queue.Retry`)
  until its last attempt, then is "failed", kept with its traceback for administrators;
* a heartbeat: a thread writes this worker's `seen_at` every JOBS_WORKER_TIMEOUT / 6
  seconds, also while a job runs;
* the rescue: on each heartbeat, a running job whose worker has not been seen for
  JOBS_WORKER_TIMEOUT seconds (killed, out of memory, machine gone) is retried the same
  way, as an attempt that failed;
* the daily schedule (`schedule.py`), also on each heartbeat.
"""

import logging
import os
import socket
import sys
import threading
from datetime import timedelta
from traceback import format_exception

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as LibraryWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import retry

from jobs import schedule
from jobs.models import Worker
from jobs.queue import policy_for

logger = logging.getLogger("jobs")


class WorkerLost(Exception):
    """The worker that was running a job stopped reporting."""


def heartbeat_seconds() -> float:
    return max(1.0, settings.JOBS_WORKER_TIMEOUT / 6)


def _described(exc: BaseException) -> tuple[str, str]:
    return f"{type(exc).__module__}.{type(exc).__qualname__}", "".join(format_exception(exc))


@retry()  # the library's: a few tries when SQLite says "database is locked"
def retry_or_fail(run: DBTaskResult, exc: BaseException, now=None) -> bool:
    """A run of a job ended in `exc`: queue it again after its backoff (True), or, after
    its last attempt, mark it failed for good (False).

    Only the run that failed is changed (still running, same start): when two workers
    rescue one lost job at once, one of them does it."""
    now = now or timezone.now()
    policy = policy_for(run.task_path)
    made = len(run.worker_ids)
    error, traceback = _described(exc)
    this_run = DBTaskResult.objects.filter(
        pk=run.pk, status=TaskResultStatus.RUNNING, started_at=run.started_at
    )
    if made < policy.max_attempts:
        delay = policy.delay(made)
        if this_run.update(
            status=TaskResultStatus.READY,
            run_after=now + delay,
            exception_class_path=error,
            traceback=traceback,
        ):
            logger.warning(
                "Job %s (%s) failed on attempt %d of %d (%s); next try in %s.",
                run.pk,
                run.task_path,
                made,
                policy.max_attempts,
                error,
                delay,
            )
        return True
    if this_run.update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        return_value=None,
        exception_class_path=error,
        traceback=traceback,
    ):
        # An administrator finds it under Background jobs → Failed jobs; the log says so too.
        logger.error("Job %s (%s) failed after %d attempts: %s", run.pk, run.task_path, made, error)
    return False


def recover_lost_jobs(now=None) -> int:
    """Retry (or fail) the running jobs of workers not seen for JOBS_WORKER_TIMEOUT
    seconds, and forget those workers. Returns how many jobs were rescued."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOBS_WORKER_TIMEOUT)
    alive = set(Worker.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    rescued = 0
    for run in DBTaskResult.objects.running().filter(started_at__lt=cutoff):
        last = run.worker_ids[-1] if run.worker_ids else None
        if last in alive:
            continue
        retry_or_fail(run, WorkerLost(f"worker {last} stopped reporting during this job"), now)
        rescued += 1
    Worker.objects.filter(seen_at__lt=cutoff).delete()
    return rescued


class JobWorker(LibraryWorker):
    """`heartbeat=False` and `schedule_daily=False` are for running ready jobs inside a
    test's transaction, where a second thread's connection could not see them."""

    def __init__(self, *, heartbeat: bool = True, schedule_daily: bool = True, **options):
        super().__init__(**options)
        self.heartbeat = heartbeat
        self.schedule_daily = schedule_daily
        self._stopped = threading.Event()

    # ------------------------------------------------------------ the worker's own row
    def report_in(self, now=None):
        now = now or timezone.now()
        Worker.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": now},
            create_defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "seen_at": now,
            },
        )

    def tick(self, now=None):
        """One heartbeat: say this worker is alive, rescue lost jobs, enqueue due ones."""
        now = now or timezone.now()
        if not Worker.objects.filter(worker_id=self.worker_id).update(seen_at=now):
            self.report_in(now)  # taken for dead during a long pause, and forgotten
        recover_lost_jobs(now)
        if self.schedule_daily:
            schedule.enqueue_due(now)

    def _beat(self):
        try:
            while not self._stopped.wait(heartbeat_seconds()):
                try:
                    self.tick()
                except Exception:
                    logger.exception("Worker %s: heartbeat failed; trying again", self.worker_id)
                    close_old_connections()
        finally:
            connection.close()

    def run(self):
        self.report_in()
        beat = None
        if self.heartbeat:
            self.tick()
            beat = threading.Thread(target=self._beat, name="jobs-heartbeat", daemon=True)
            beat.start()
        try:
            super().run()
        finally:
            self._stopped.set()
            if beat is not None:
                beat.join(timeout=heartbeat_seconds() + 5)
            Worker.objects.filter(worker_id=self.worker_id).delete()

    # ------------------------------------------------------------ one job
    def run_task(self, db_task_result: DBTaskResult) -> None:
        """The library's, but a failure is retried (`retry_or_fail`) instead of final."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend = task.get_backend()
            task_started.send(sender=type(backend), task_result=task_result)
            args, kwargs = task_result.args, task_result.kwargs
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *args, **kwargs)
            else:
                value = task.call(*args, **kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=type(backend), task_result=db_task_result.task_result)
        except BaseException as exc:
            if not retry_or_fail(db_task_result, exc):
                db_task_result.refresh_from_db()
                try:
                    finished = db_task_result.task_result
                    task_finished.send(
                        sender=type(finished.task.get_backend()), task_result=finished
                    )
                except Exception:
                    logger.exception("Job %s: its task cannot be loaded", db_task_result.pk)
            if isinstance(exc, SystemExit | KeyboardInterrupt):
                sys.exit(1)  # stopped by a second signal: the job is queued again, stop now
        finally:
            self.running_task = False
            self._run_tasks += 1
