"""The worker in this process, with the real database backend: a job runs, a failure is
retried with backoff until its last attempt and then kept as failed; a job whose worker
stopped reporting is given to another. (tests/system/jobs runs real worker processes.)"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.models import Worker
from jobs.queue import Retry, policy_for
from jobs.worker import WorkerLost, recover_lost_jobs, retry_or_fail
from tests.jobs import tasks

pytestmark = pytest.mark.django_db
S = TaskResultStatus


def row(result) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result.id)


def test_an_enqueued_job_is_a_row_until_a_worker_runs_it(run_jobs, trace):
    result = tasks.note.enqueue(trace.name, "xin chào")
    assert row(result).status == S.READY and trace.lines() == []
    assert run_jobs() == 1
    done = row(result)
    assert done.status == S.SUCCESSFUL and done.return_value == "xin chào"
    assert trace.lines() == ["xin chào"]
    assert len(done.worker_ids) == 1


def test_a_failure_is_retried_and_a_later_success_ends_it(run_jobs, trace):
    result = tasks.fails_twice.enqueue(trace.name)
    assert run_jobs() == 3  # no backoff: each retry is ready at once
    done = row(result)
    assert done.status == S.SUCCESSFUL and done.return_value == 3
    assert len(done.worker_ids) == 3
    # A success clears the error the earlier runs left.
    assert done.exception_class_path == "" and done.traceback == ""


def test_a_job_failing_every_attempt_ends_failed_with_its_error(run_jobs):
    result = tasks.always_fails.enqueue("Không gửi được thư")
    assert run_jobs() == 3  # attempts=3
    failed = row(result)
    assert failed.status == S.FAILED
    assert failed.exception_class_path == "builtins.RuntimeError"
    assert "RuntimeError: Không gửi được thư" in failed.traceback
    assert len(failed.worker_ids) == 3 and failed.finished_at is not None
    assert run_jobs() == 0  # failed for good: no worker takes it again


def test_a_retry_waits_its_backoff_which_doubles(db):
    policy = Retry(attempts=5, backoff_seconds=60)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
    ]
    assert Retry(attempts=30, backoff_seconds=60).delay(20) == timedelta(hours=6)  # capped


def test_a_failed_run_goes_back_to_the_queue_after_its_backoff(db, settings, run_jobs):
    settings.JOBS_RETRY_SECONDS = 60
    settings.JOBS_ATTEMPTS = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        result = tasks.note.using().enqueue("/nonexistent/folder/trace.txt", "x")
        run = row(result)
        run.claim("w1")
        assert retry_or_fail(run, OSError("disk full")) is True
    waiting = row(result)
    # tests.jobs.tasks.note asks for no backoff; the default applies to a task that does not.
    assert policy_for(run.task_path).backoff_seconds == 0
    assert waiting.status == S.READY and waiting.run_after == start
    assert waiting.exception_class_path == "builtins.OSError"  # shown while it waits


def test_the_default_policy_waits_jobs_retry_seconds(db, settings):
    settings.JOBS_RETRY_SECONDS = 60
    settings.JOBS_ATTEMPTS = 3
    start = timezone.now()
    result = tasks.note.enqueue("unused", "x")
    DBTaskResult.objects.filter(pk=result.id).update(task_path="tests.jobs.tasks.undeclared")
    run = row(result)
    run.claim("w1")
    with time_machine.travel(start, tick=False):
        assert retry_or_fail(run, OSError("disk full")) is True
    assert row(result).run_after == start + timedelta(seconds=60)
    run = row(result)
    run.claim("w2")
    with time_machine.travel(start, tick=False):
        assert retry_or_fail(run, OSError("disk full")) is True
    assert row(result).run_after == start + timedelta(seconds=120)
    run = row(result)
    run.claim("w3")
    assert retry_or_fail(run, OSError("disk full")) is False
    assert row(result).status == S.FAILED


# ---------------------------------------------------------------- lost workers
def running(result, worker_id, started):
    DBTaskResult.objects.filter(pk=result.id).update(
        status=S.RUNNING, started_at=started, worker_ids=[worker_id]
    )


def test_the_job_of_a_worker_not_seen_for_the_timeout_is_queued_again(db, settings, trace):
    settings.JOBS_WORKER_TIMEOUT = 60
    now = timezone.now()
    long_ago = now - timedelta(minutes=5)
    Worker.objects.create(
        worker_id="dead", hostname="may-1", pid=1, started_at=long_ago, seen_at=long_ago
    )
    result = tasks.note.enqueue(trace.name, "x")
    running(result, "dead", long_ago)
    assert recover_lost_jobs(now) == 1
    again = row(result)
    assert again.status == S.READY
    assert again.exception_class_path == "jobs.worker.WorkerLost"
    assert "worker dead stopped reporting" in again.traceback
    assert not Worker.objects.filter(worker_id="dead").exists()


def test_a_live_workers_job_is_left_running_however_long(db, settings, trace):
    settings.JOBS_WORKER_TIMEOUT = 60
    now = timezone.now()
    Worker.objects.create(
        worker_id="alive",
        hostname="may-1",
        pid=1,
        started_at=now - timedelta(hours=3),
        seen_at=now - timedelta(seconds=10),
    )
    result = tasks.note.enqueue(trace.name, "x")
    running(result, "alive", now - timedelta(hours=2))
    assert recover_lost_jobs(now) == 0
    assert row(result).status == S.RUNNING


def test_a_lost_job_on_its_last_attempt_is_failed_not_lost(db, settings, trace):
    settings.JOBS_WORKER_TIMEOUT = 60
    now = timezone.now()
    result = tasks.note.enqueue(trace.name, "x")  # 3 attempts
    DBTaskResult.objects.filter(pk=result.id).update(
        status=S.RUNNING, started_at=now - timedelta(minutes=5), worker_ids=["a", "b", "gone"]
    )
    assert recover_lost_jobs(now) == 1
    failed = row(result)
    assert failed.status == S.FAILED
    assert failed.exception_class_path == f"{WorkerLost.__module__}.WorkerLost"


def test_two_workers_rescuing_one_lost_job_count_one_attempt(db, settings, trace):
    settings.JOBS_WORKER_TIMEOUT = 60
    now = timezone.now()
    result = tasks.note.enqueue(trace.name, "x")
    running(result, "gone", now - timedelta(minutes=5))
    seen_by_both = row(result)
    assert retry_or_fail(seen_by_both, WorkerLost("gone"), now) is True
    row(result).claim("next")  # the retry is taken by another worker meanwhile
    assert retry_or_fail(seen_by_both, WorkerLost("gone"), now) is True  # a stale view
    assert row(result).status == S.RUNNING  # not put back: that run is not the one lost
