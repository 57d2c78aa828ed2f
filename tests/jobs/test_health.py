"""/health/ reports the queue: a worker seen lately, failed jobs waiting for an
administrator. Warnings, not failures: the server still serves every page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.models import Worker

pytestmark = pytest.mark.django_db


def _worker(seen_seconds_ago):
    now = timezone.now()
    return Worker.objects.create(
        worker_id=f"w{seen_seconds_ago}",
        hostname="may-1",
        pid=1,
        started_at=now - timedelta(hours=1),
        seen_at=now - timedelta(seconds=seen_seconds_ago),
    )


def _failed():
    return DBTaskResult.objects.create(
        task_path="mail.sending.send_mail",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        status=TaskResultStatus.FAILED,
    )


def test_a_worker_silent_past_its_timeout_is_a_warning(client, settings):
    settings.JOBS_WORKER_TIMEOUT = 60
    _worker(seen_seconds_ago=120)
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["worker"].startswith("warning: no worker seen for 60 s")
    _worker(seen_seconds_ago=5)
    assert client.get(reverse("health")).json()["worker"] == "ok"


def test_failed_jobs_waiting_are_counted(client):
    _worker(seen_seconds_ago=1)
    _failed()
    _failed()
    body = client.get(reverse("health")).json()
    assert body["failed_jobs"].startswith("warning: 2 failed job(s)")
    assert body["worker"] == "ok"


def test_health_costs_the_same_queries_however_many_jobs(client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("health"))
        return len(captured)

    few = queries()
    for _ in range(30):
        _failed()
    assert queries() == few


def test_the_running_and_failed_jobs_are_indexed():
    """The rescue of a dead worker's job and the failed count read partial indexes, not the
    whole table (migration jobs 0002)."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, DBTaskResult._meta.db_table)
    assert {"jobs_running_started_idx", "jobs_failed_finished_idx"} <= set(found)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The table is small in a test: forbid the sequential scan to see the index used.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT id FROM django_tasks_database_dbtaskresult "
                "WHERE status = 'RUNNING' AND started_at < now()"
            )
            plan = " ".join(row[0] for row in cursor.fetchall())
        assert "jobs_running_started_idx" in plan
