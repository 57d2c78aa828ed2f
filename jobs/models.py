from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class Worker(models.Model):
    """A `manage.py worker` process, as it last reported itself.

    Each worker writes `seen_at` every few seconds from a thread of its own, also while it
    runs a job. A job whose worker has not been seen for JOBS_WORKER_TIMEOUT seconds was
    left by a process that died (killed, out of memory, machine gone) and is run again.
    """

    worker_id = models.CharField(_("worker id"), max_length=64, primary_key=True)
    hostname = models.CharField(_("machine"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["hostname", "started_at"]

    def __str__(self):
        return f"{self.hostname}:{self.pid}"


class JobKey(models.Model):
    """At most one job per key: the unique constraint refuses a second row, however many
    processes on however many machines try at once (`queue.enqueue_once`). A daily job's
    key names the job and the day, so it runs once a day."""

    key = models.CharField(_("key"), max_length=200)
    job = models.OneToOneField(
        DBTaskResult,
        verbose_name=_("job"),
        on_delete=models.CASCADE,
        related_name="key",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("job key")
        verbose_name_plural = _("job keys")
        constraints = [models.UniqueConstraint(fields=["key"], name="job_key_once")]

    def __str__(self):
        return self.key


class Job(DBTaskResult):
    """The library's row, under this app's name and language in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("job")
        verbose_name_plural = _("jobs")


class FailedJobManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(status=TaskResultStatus.FAILED)


class FailedJob(DBTaskResult):
    """A job that failed its last attempt: what an administrator must look at."""

    objects = FailedJobManager()

    class Meta:
        proxy = True
        verbose_name = _("failed job")
        verbose_name_plural = _("failed jobs")
