"""Real worker processes on a database of their own.

The site's database in these tests is made by `manage.py migrate` in another process: a
SQLite file, or, when the run is on PostgreSQL, a database created on the same server and
dropped afterwards. Processes started here (workers, `manage.py` commands, short Python
scripts, a development server) all use it, as several machines would share one database;
this test process only starts them and reads what they leave."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)

# Set up Django in a plain `python -c` process; RESULT marks the line a script reports on.
PRELUDE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_site.settings")
import django
django.setup()
def report(value):
    print("RESULT " + json.dumps(value, default=str), flush=True)
"""


class Site:
    """One database and the environment every process of a test gets."""

    def __init__(self, url: str, folder: Path):
        self.url = url
        self.folder = folder
        self.processes: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "CONN_MAX_AGE": "0",
            "DEBUG": "True",
            "CACHE_DIR": str(folder / "cache"),
            "MEDIA_ROOT": str(folder / "media"),
            "PRIVATE_MEDIA_ROOT": str(folder / "private"),
            "LOG_LEVEL": "WARNING",
            # A worker silent for 3 s is taken for dead: the kill test waits that long.
            "JOBS_WORKER_TIMEOUT": "3",
        }

    def manage(self, *args, timeout=600, **env) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
        return result.stdout

    def python(self, code: str, timeout=120, **env):
        """Run `code` after Django's set-up in a new process; what it report()s."""
        result = subprocess.run(
            [sys.executable, "-c", PRELUDE + code],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
        lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
        return json.loads(lines[-1].removeprefix("RESULT ")) if lines else None

    def start(self, *args, **env) -> subprocess.Popen:
        """`manage.py *args` in the background, stopped when the test ends."""
        log = open(self.folder / f"process-{len(self.processes)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process.log_path = log.name
        self.processes.append(process)
        return process

    def start_worker(self, **env) -> subprocess.Popen:
        return self.start("worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", **env)

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()

    def jobs(self, task_path: str) -> list[dict]:
        """The rows of a task's jobs, read straight from the database (a process per
        look would make every wait slow)."""
        sql = (
            "SELECT status, worker_ids, exception_class_path FROM "
            "django_tasks_database_dbtaskresult WHERE task_path = %s ORDER BY enqueued_at"
        )
        if self.url.startswith("sqlite"):
            import sqlite3

            with closing(sqlite3.connect(self.url.removeprefix("sqlite:///"))) as db:
                rows = db.execute(sql.replace("%s", "?"), [task_path]).fetchall()
        else:
            import psycopg2

            with closing(psycopg2.connect(self.url)) as db, db.cursor() as cursor:
                cursor.execute(sql, [task_path])
                rows = cursor.fetchall()
        return [
            {
                "status": status,
                "workers": json.loads(workers) if isinstance(workers, str) else workers,
                "error": error,
            }
            for status, workers, error in rows
        ]


def wait_for(condition, seconds=60, every=0.2, what="the condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"waited {seconds} s for {what}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Postgres:
    def __init__(self):
        import psycopg2

        self.psycopg2 = psycopg2
        source = connection.settings_dict
        self.params = {k: source[v] for k, v in (("user", "USER"), ("password", "PASSWORD"))} | {
            "host": source["HOST"] or "127.0.0.1",
            "port": source["PORT"] or 5432,
        }
        self.name = f"ocop_jobs_{uuid.uuid4().hex[:10]}"
        self.url = "postgres://{user}:{password}@{host}:{port}/".format(**self.params) + self.name
        self._admin(f'CREATE DATABASE "{self.name}"')

    def _admin(self, sql):
        db = self.psycopg2.connect(dbname="postgres", **self.params)
        db.autocommit = True
        try:
            db.cursor().execute(sql)
        finally:
            db.close()

    def drop(self):
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated database for the module, in the run's own kind (SQLite or PostgreSQL)."""
    folder = tmp_path_factory.mktemp("jobs-site")
    postgres = _Postgres() if connection.vendor == "postgresql" else None
    url = postgres.url if postgres else f"sqlite:///{folder / 'site.sqlite3'}"
    try:
        Site(url, folder).manage("migrate", "--noinput", "-v0")
        yield url, folder
    finally:
        if postgres:
            postgres.drop()


@pytest.fixture
def site(migrated):
    url, folder = migrated
    site = Site(url, folder)
    site.python(
        """
from django_tasks_db.models import DBTaskResult
from jobs.models import Worker
DBTaskResult.objects.all().delete()
Worker.objects.all().delete()
"""
    )
    yield site
    site.stop_all()
