import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

from core.files import private_storage
from jobs import health as job_health


def ping(request):
    """The bare Django view: no database, no template. `make bench` measures every page
    against it, as the ceiling of this stack on this machine."""
    return HttpResponse("ok", content_type="text/plain")


def live(request):
    """Liveness: this process answers. No database, no cache: a restart of PostgreSQL must
    not make a supervisor kill every app server (that is what /health/ is for)."""
    response = HttpResponse("ok", content_type="text/plain")
    add_never_cache_headers(response)
    return response


def health(request):
    """Readiness, what a load balancer or a monitor asks: can this server reach the
    database, the cache, both file stores and the job queue? 200 when all can, 503 naming
    each that cannot.

    Whether workers run is reported beside them ("worker", "failed_jobs": "ok" or
    "warning: …") for the monitor, without changing the status: a dead worker delays
    mails, but this server still serves every page, and a load balancer must not take it
    out for that."""
    checks = {
        "database": _database,
        "cache": _cache,
        "media": _media,
        "private": _private,
        "jobs": _jobs,
    }
    failed = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 — any fault is the answer, in words
            failed[name] = f"{type(exc).__name__}: {exc}"[:200]
    body = {name: ("failed: " + failed[name]) if name in failed else "ok" for name in checks}
    if "database" not in failed:
        for name, problem in (
            ("worker", job_health.worker_problem),
            ("failed_jobs", job_health.failed_jobs_problem),
        ):
            try:
                found = problem()
            except Exception as exc:  # noqa: BLE001 — the answer, in words
                found = f"{type(exc).__name__}: {exc}"[:200]
            body[name] = f"warning: {found}" if found else "ok"
    response = JsonResponse(body, status=503 if failed else 200)
    add_never_cache_headers(response)
    return response


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    key = f"health-{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("a value written was not read back")
    cache.delete(key)


def _write_and_remove(storage):
    name = storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    storage.delete(name)


def _media():
    _write_and_remove(default_storage)


def _private():
    _write_and_remove(private_storage())


def _jobs():
    """The queue can be read (it is a table: django-tasks-db). Whether workers run is not
    this server's readiness, it is reported at /admin/ (jobs.Worker) and monitored apart."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.ready().exists()
