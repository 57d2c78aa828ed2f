"""One job per key, and the daily jobs enqueued once a day from their hour."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from jobs import schedule
from jobs.models import JobKey
from jobs.queue import enqueue_once
from tests.jobs import tasks

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_key_is_enqueued_once(trace):
    first = enqueue_once(tasks.note, "note:once", trace.name, "a")
    second = enqueue_once(tasks.note, "note:once", trace.name, "b")
    assert first is not None and second is None
    assert DBTaskResult.objects.count() == 1
    assert JobKey.objects.get().job_id == DBTaskResult.objects.get().pk


def test_a_refused_key_leaves_no_job_behind(trace):
    enqueue_once(tasks.note, "note:once", trace.name, "a")
    enqueue_once(tasks.note, "note:once", trace.name, "b")
    assert list(DBTaskResult.objects.values_list("args_kwargs", flat=True)) == [
        {"args": [trace.name, "a"], "kwargs": {}}
    ]


@pytest.fixture
def probe(settings):
    settings.DAILY_JOBS = ["tests.jobs.tasks.daily_probe"]
    settings.DAILY_JOBS_HOUR = 2
    return "tests.jobs.tasks.daily_probe"


def at(hour, day=dt.date(2026, 12, 1)):
    return dt.datetime.combine(day, dt.time(hour, 5), tzinfo=HANOI)


def test_daily_jobs_wait_for_their_hour_then_are_enqueued_once(probe):
    assert schedule.enqueue_due(at(1)) == []
    assert schedule.enqueue_due(at(2)) == [f"daily:{probe}:2026-12-01"]
    assert schedule.enqueue_due(at(3)) == []
    assert schedule.enqueue_due(at(23)) == []
    job = DBTaskResult.objects.get()
    assert job.task_path == probe and job.args_kwargs["kwargs"] == {"day": "2026-12-01"}


def test_the_next_day_enqueues_the_next_days_job(probe):
    schedule.enqueue_due(at(9))
    assert schedule.enqueue_due(at(2, dt.date(2026, 12, 2))) == [f"daily:{probe}:2026-12-02"]
    assert DBTaskResult.objects.count() == 2


def test_the_day_is_hanois_day(probe):
    # 20:00 UTC on 1 December is 03:00 on 2 December in Hanoi.
    assert schedule.enqueue_due(dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.UTC)) == [
        f"daily:{probe}:2026-12-02"
    ]


def test_the_command_enqueues_today_at_any_hour_and_only_once(probe, capsys):
    with time_machine.travel(at(0), tick=False):
        call_command("daily_scan")
        call_command("daily_scan")
    out = capsys.readouterr().out
    assert out.count("enqueued daily:tests.jobs.tasks.daily_probe:2026-12-01") == 1
    assert "1 already enqueued today" in out
    assert DBTaskResult.objects.count() == 1


def test_the_daily_scan_deletes_old_finished_jobs_and_keeps_failed_ones(run_jobs, settings):
    settings.JOBS_KEEP_DAYS = 30
    with time_machine.travel(dt.datetime(2026, 10, 1, tzinfo=HANOI), tick=False):
        failed = tasks.always_fails.enqueue("x")
        done = tasks.note.enqueue("/dev/null", "x")
        run_jobs()
    with time_machine.travel(at(3), tick=False):
        # The first of settings.DAILY_JOBS (the notifications' scan comes after it).
        assert schedule.enqueue_due()[0] == "daily:jobs.tasks.daily_scan:2026-12-01"
        run_jobs()
    scan = DBTaskResult.objects.get(task_path="jobs.tasks.daily_scan")
    assert scan.return_value == {"day": "2026-12-01", "finished_jobs_deleted": 1}
    left = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    assert failed.id in left and done.id not in left
