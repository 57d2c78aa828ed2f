"""A backup of the demo site, restored by `manage.py` into a brand-new database in another
process, has every table's rows and every file's bytes (tests/backups/test_force_restore.py
restores in place, in this process).

System-wide and slow (~15 s): three more processes, the migrations run on an empty
database, every app's tables compared; so it runs with `make test`, not `make test-fast`."""

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from registry import fulltext
from registry.models import Product
from tests.backups.conftest import STAMP, add_corners, folder_hashes, media_hashes

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
# Migration bookkeeping is the target's own; sessions are never backed up.
NOT_COMPARED = {"django_migrations", "django_session"}

INSPECT = """
import hashlib, json
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from registry.models import EvidenceDocument, IntellectualPropertyTitle, Product, ProductPhoto
official = get_user_model().objects.get(username="canbo.backup")
log = LogEntry.objects.get(user=official)
product = Product.objects.get(pk=log.object_id)
photo = ProductPhoto.objects.get(product=product)
print("RESULT " + json.dumps({
    "log_model": log.content_type.model_class()._meta.label,
    "log_object": str(log.get_edited_object()),
    "password": official.password,
    "permissions": sorted(official.get_all_permissions()),
    "created_at": product.created_at.isoformat(),
    "evidence": hashlib.sha256(EvidenceDocument.objects.get().file.read()).hexdigest(),
    "title": hashlib.sha256(IntellectualPropertyTitle.objects.get(product=product)
                            .document.read()).hexdigest(),
    "thumbnail": photo.thumbnail.storage.exists(photo.thumbnail.name),
    "search": sorted(Product.objects.search(product.name).values_list("pk", flat=True)),
}))
"""


def run_manage(*args, env):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "CONN_MAX_AGE": "0", **env},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result.stdout


class SQLiteTarget:
    def __init__(self, folder: Path):
        self.path = folder / "fresh.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def count(self, table: str) -> int:
        with sqlite3.connect(self.path) as db:
            return db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]


class PostgresTarget:
    """A database of its own on the test server, dropped afterwards."""

    def __init__(self):
        import psycopg2

        self.psycopg2 = psycopg2
        source = connection.settings_dict
        self.params = {k: source[v] for k, v in (("user", "USER"), ("password", "PASSWORD"))} | {
            "host": source["HOST"] or "127.0.0.1",
            "port": source["PORT"] or 5432,
        }
        self.name = f"ocop_backup_restore_{uuid.uuid4().hex[:10]}"
        self.url = "postgres://{user}:{password}@{host}:{port}/".format(**self.params) + self.name
        self._admin(f'CREATE DATABASE "{self.name}"')

    def _admin(self, sql):
        db = self.psycopg2.connect(dbname="postgres", **self.params)
        db.autocommit = True
        try:
            db.cursor().execute(sql)
        finally:
            db.close()

    def count(self, table: str) -> int:
        db = self.psycopg2.connect(dbname=self.name, **self.params)
        try:
            cursor = db.cursor()
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            return cursor.fetchone()[0]
        finally:
            db.close()

    def drop(self):
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path):
    if request.param == "sqlite":
        yield SQLiteTarget(tmp_path)
        return
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL target needs the PostgreSQL test server")
    database = PostgresTarget()
    try:
        yield database
    finally:
        database.drop()


def table_counts() -> dict[str, int]:
    tables = {
        table
        for table in connection.introspection.table_names()
        if table not in NOT_COMPARED
        and not table.startswith("sqlite_")  # SQLite's own
        # The search index's own tables (SQLite FTS5) are laid out by their write history;
        # what they answer is compared below ("search").
        and not table.startswith(f"{fulltext.FTS_TABLE}_")
    }
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(tables):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(target, tmp_path):
    call_command("load_demo", products=20, stdout=StringIO())
    call_command("load_evaluation_demo", stdout=StringIO())
    corners = add_corners()
    source_counts = table_counts()
    source_files = media_hashes()
    archive = tmp_path / "site.tar.gz"
    out = StringIO()
    call_command("backup", str(archive), stdout=out)
    assert str(archive) in out.getvalue()  # the summary names it, in either language
    assert "registry.product: " in out.getvalue()

    fresh = tmp_path / "fresh"
    env = {
        "DATABASE_URL": target.url,
        "MEDIA_ROOT": str(fresh / "media"),
        "PRIVATE_MEDIA_ROOT": str(fresh / "private"),
    }
    run_manage("migrate", "--noinput", "-v0", env=env)
    restored = run_manage("restore", str(archive), env=env)
    assert f"registry.product: {Product.objects.count():,} rows" in restored

    assert {table: target.count(table) for table in source_counts} == source_counts
    assert target.count("django_session") == 0
    assert min(source_counts.values()) == 0 < source_counts["evaluation_historicalcertificate"]
    restored_files = folder_hashes(fresh / "media", "media") | folder_hashes(
        fresh / "private", "private"
    )
    assert restored_files == source_files
    assert any(name.startswith("private/evidence/") for name in restored_files)
    assert any(name.startswith("media/thumbnails/") for name in restored_files)

    inspected = run_manage("shell", "-c", INSPECT, env=env)
    found = json.loads(inspected.split("RESULT ", 1)[1])
    assert found == {
        "log_model": "registry.Product",
        "log_object": corners.product.name,
        "password": corners.official.password,
        "permissions": sorted(corners.official.get_all_permissions()),
        "created_at": STAMP.isoformat(),
        "evidence": source_files[f"private/{corners.evidence.file.name}"],
        "title": source_files[f"private/{corners.title.document.name}"],
        "thumbnail": True,
        # The full-text index of the restored database finds what the source's does.
        "search": sorted(Product.objects.search(corners.product.name).values_list("pk", flat=True)),
    }
