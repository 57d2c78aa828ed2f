"""Administrators see every job, the failed ones on a list of their own with their error,
and the running workers; they may queue failed jobs again. Nobody adds or edits a job."""

import pytest
from django.urls import reverse
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.factories import make_user
from tests.jobs import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(as_user):
    return as_user(make_user("quantri", superuser=True))


@pytest.fixture
def failed(run_jobs):
    result = tasks.always_fails.enqueue("Máy chủ thư không trả lời")
    run_jobs()
    return DBTaskResult.objects.get(pk=result.id)


def test_the_failed_jobs_list_shows_each_with_its_error(admin_client, failed, trace, run_jobs):
    tasks.note.enqueue(trace.name, "ok")
    run_jobs()
    page = admin_client.get(reverse("admin:jobs_failedjob_changelist")).content.decode()
    assert "tests.jobs.tasks.always_fails" in page
    assert "RuntimeError: Máy chủ thư không trả lời" in page
    assert "tests.jobs.tasks.note" not in page  # it succeeded


def test_a_failed_job_shows_its_traceback(admin_client, failed):
    page = admin_client.get(reverse("admin:jobs_failedjob_change", args=[failed.pk]))
    assert page.status_code == 200
    assert "Traceback (most recent call last)" in page.content.decode()


def test_an_administrator_queues_failed_jobs_again(admin_client, failed, run_jobs):
    response = admin_client.post(
        reverse("admin:jobs_failedjob_changelist"),
        {"action": "queue_again", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    again = DBTaskResult.objects.get(pk=failed.pk)
    assert again.status == TaskResultStatus.READY and again.worker_ids == []
    assert run_jobs() == 3  # all its attempts afresh


def test_jobs_cannot_be_added_or_edited_in_the_admin(admin_client, failed):
    assert admin_client.get(reverse("admin:jobs_job_add")).status_code == 403
    change = reverse("admin:jobs_job_change", args=[failed.pk])
    assert admin_client.post(change, {"status": "SUCCESSFUL"}).status_code == 403
    assert DBTaskResult.objects.get(pk=failed.pk).status == TaskResultStatus.FAILED
