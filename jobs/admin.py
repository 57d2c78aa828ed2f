"""Jobs for administrators: every job, the failed ones on a list of their own with their
error, and the workers that are running. Rows are written by the queue and the workers
only; an administrator may send failed jobs back to the queue, or delete them."""

import django_tasks_db.admin  # noqa: F401 — registers the library's admin, replaced below
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from jobs.models import FailedJob, Job, Worker

admin.site.unregister(DBTaskResult)


class JobAdmin(admin.ModelAdmin):
    list_display = ["task_name", "status", "attempts", "error", "enqueued_at", "finished_at"]
    list_filter = ["status", "queue_name"]
    search_fields = ["task_path", "exception_class_path"]
    ordering = ["-enqueued_at"]
    actions = ["queue_again"]
    fields = [
        "task_path",
        "status",
        "attempts",
        "args_kwargs",
        "enqueued_at",
        "started_at",
        "finished_at",
        "next_run",
        "worker_ids",
        "return_value",
        "exception_class_path",
        "formatted_traceback",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("task"), ordering="task_path")
    def task_name(self, obj):
        return obj.task_path

    @admin.display(description=_("attempts"))
    def attempts(self, obj):
        return len(obj.worker_ids)

    @admin.display(description=_("error"))
    def error(self, obj):
        """The exception and the last line of its traceback: the reason in a few words."""
        if not obj.exception_class_path:
            return "—"
        last = obj.traceback.strip().splitlines()[-1] if obj.traceback.strip() else ""
        return last[:200] or obj.exception_class_path

    @admin.display(description=_("next run"))
    def next_run(self, obj):
        if obj.status != TaskResultStatus.READY or obj.run_after == get_date_max():
            return "—"
        return obj.run_after

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, obj):
        return format_html("<pre>{}</pre>", obj.traceback) if obj.traceback else "—"

    @admin.action(description=_("Queue the selected failed jobs again"), permissions=["delete"])
    def queue_again(self, request, queryset):
        """A failed job, its cause fixed (a mail server back, a bug mended), runs again
        with its attempts counted afresh."""
        count = queryset.filter(status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY,
            run_after=timezone.now(),
            finished_at=None,
            worker_ids=[],
        )
        messages.success(
            request,
            ngettext("%(count)d job queued again.", "%(count)d jobs queued again.", count)
            % {"count": count},
        )


admin.site.register(Job, JobAdmin)


@admin.register(FailedJob)
class FailedJobAdmin(JobAdmin):
    list_display = ["task_name", "attempts", "error", "finished_at"]
    list_filter = ["queue_name"]
    ordering = ["-finished_at"]


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ["hostname", "pid", "started_at", "seen_at"]
    readonly_fields = ["worker_id", "hostname", "pid", "started_at", "seen_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
