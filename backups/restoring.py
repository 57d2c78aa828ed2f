"""Restoring a backup into a freshly migrated, empty database, all or nothing.

Every check that can refuse comes before the first write (backups.checks). Then one
transaction empties every table (without --force, only the rows `migrate` made), loads every
row, checks every foreign key, sets PostgreSQL's sequences past the restored ids, writes the
files (checking each one's SHA-256 as it is written) and compares every table's rows and
digest with the manifest; a difference anywhere rolls the whole restore back and removes the
files it wrote.
"""

import contextlib
import io
import os
import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils.translation import gettext as _

from backups import checks, content
from backups.content import BackupError, RowSink
from core import maintenance, page_cache

BATCH = 1000


@dataclass
class RestoreSummary:
    path: Path
    tables: int
    rows: int
    files: int
    file_bytes: int
    seconds: float


def _quiet(message: str) -> None:
    pass


def restore(path, *, using=DEFAULT_DB_ALIAS, force=False, progress=_quiet) -> RestoreSummary:
    started = time.monotonic()
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no backup file at %(path)s.") % {"path": path}, "missing")
    connection = connections[using]
    checks.check_database_migrated(connection)
    if not force:
        checks.check_empty(using)
    progress(f"Checking every checksum in {path.name} …")
    archive = checks.read_and_verify(path)
    checks.check_same_migrations(archive.manifest)
    checks.check_same_tables(archive.tables)
    to_write = checks.plan_files(archive, force)

    files = _FileWriter()
    try:
        with transaction.atomic(using=using):
            # The public data version before: kept pages were made under it or earlier.
            previous = page_cache.version()
            _empty_database(connection)
            _load(path, archive, to_write, files, using, progress)
            progress("Checking every table against the manifest …")
            _verify_tables(archive.tables, using)
            page_cache.restored(previous)
            files.put_in_place()
            _verify_files(archive)
    except BaseException:
        files.remove()
        raise
    finally:
        ContentType.objects.clear_cache()
    files.finish()
    maintenance.analyze()
    return RestoreSummary(
        path=path,
        tables=len(archive.tables),
        rows=sum(t["rows"] for t in archive.tables),
        files=len(archive.files),
        file_bytes=sum(f["size"] for f in archive.files.values()),
        seconds=time.monotonic() - started,
    )


def _empty_database(connection) -> None:
    """Every Django table emptied, inside the restore's transaction: without --force these
    are only the content types and permissions `migrate` made, which nothing refers to yet."""
    if connection.vendor == "postgresql":
        # Rows written earlier in an enclosing transaction leave deferred foreign-key checks
        # pending, and PostgreSQL refuses to TRUNCATE under them: run them now.
        connection.check_constraints()
    tables = connection.introspection.django_table_names(only_existing=True)
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    ContentType.objects.clear_cache()


def _load(path, archive, to_write, files, using, progress) -> None:
    tables = {t["data"]: t for t in archive.tables}
    connection = connections[using]
    for member, stream in checks.members(path):
        if member.name in tables:
            _load_table(stream, tables[member.name], using, progress)
        elif member.name in to_write:
            files.write(member.name, stream, archive.files[member.name])
            if files.count % 1000 == 0:
                progress(f"  files: {files.count:,} …")
    progress(f"  files: {files.count:,} written")
    models = [apps.get_model(t["model"]) for t in archive.tables]
    try:
        connection.check_constraints(table_names=[m._meta.db_table for m in models])
    except DatabaseError as exc:
        raise BackupError(
            _("The backup's rows do not hold together (%(error)s). Nothing was restored.")
            % {"error": exc},
            "integrity",
        ) from exc
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _load_table(stream, table: dict, using: str, progress) -> None:
    model = apps.get_model(table["model"])
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    ops = connections[using].ops
    size = max(1, min(BATCH, ops.bulk_batch_size(fields, [None] * BATCH)))
    reader = content.HashingReader(stream)
    lines = io.TextIOWrapper(io.BufferedReader(reader), encoding="utf-8")
    batch, rows = [], 0
    try:
        for item in serializers.deserialize("jsonl", lines, using=using):
            if type(item.object) is not model:
                raise checks.damaged(_("%(name)s holds other rows") % {"name": table["data"]})
            batch.append(item.object)
            if len(batch) == size:
                rows += _insert(model, batch, fields, using)
                if rows % content.PROGRESS_EVERY < size:
                    progress(f"  {table['model']}: {rows:,} rows …")
        rows += _insert(model, batch, fields, using)
    except (DatabaseError, DeserializationError) as exc:
        raise BackupError(
            _("The rows of %(model)s could not be loaded (%(error)s). Nothing was restored.")
            % {"model": table["model"], "error": exc},
            "load",
        ) from exc
    if (reader.sha.hexdigest(), reader.size) != (table["sha256"], table["size"]):
        raise checks.damaged(_("%(name)s changed while it was read") % {"name": table["data"]})
    progress(f"  {table['model']}: {rows:,} rows")


def _insert(model, batch, fields, using) -> int:
    """One INSERT for a batch of rows, exactly as saved: raw, so no auto_now stamp, default
    or signal touches a value (what Model.save_base(raw=True) does, one row at a time, for
    loaddata; bulk_create would restamp auto_now fields)."""
    if batch:
        model._base_manager.using(using)._insert(batch, fields=fields, using=using, raw=True)
    done = len(batch)
    batch.clear()
    return done


def _verify_tables(tables: list[dict], using: str) -> None:
    wrong = []
    for table in tables:
        sink = content.dump_rows(apps.get_model(table["model"]), using, RowSink())
        if (sink.rows, sink.digest) != (table["rows"], table["digest"]):
            wrong.append(f"{table['model']} ({sink.rows:,}/{table['rows']:,})")
    if wrong:
        raise BackupError(
            _("Restored rows differ from the backup's in %(tables)s. Nothing was restored.")
            % {"tables": ", ".join(wrong)},
            "verify",
        )


def _verify_files(archive: checks.Archive) -> None:
    for name, entry in archive.files.items():
        target = content.path_for(name)
        if not target.is_file() or content.sha256_of(target) != (entry["sha256"], entry["size"]):
            raise BackupError(
                _("%(name)s on disk differs from the backup's. Nothing was restored.")
                % {"name": name},
                "verify",
            )


class _FileWriter:
    """Files written under a temporary name, checked, and renamed into place only once the
    rows are loaded; everything it wrote is removed if the restore fails."""

    def __init__(self):
        self.staged: list[tuple[Path, Path]] = []
        self.placed: list[Path] = []
        self.kept: list[tuple[Path, Path]] = []
        self.folders: list[Path] = []
        self.count = 0

    def write(self, name: str, stream, entry: dict) -> None:
        target = content.path_for(name)
        self._make_folder(target.parent)
        temporary = target.with_name(f".{target.name}.restoring")
        reader = content.HashingReader(stream)
        self.staged.append((temporary, target))
        with open(temporary, "wb") as out:
            while block := reader.read(1 << 20):
                out.write(block)
        if (reader.sha.hexdigest(), reader.size) != (entry["sha256"], entry["size"]):
            raise checks.damaged(
                _("%(name)s does not match the SHA-256 its manifest records") % {"name": name}
            )
        self.count += 1

    def _make_folder(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for folder in reversed(missing):
            folder.mkdir()
            self.folders.append(folder)

    def put_in_place(self) -> None:
        for temporary, target in self.staged:
            if target.exists():  # only with --force: kept until the restore is committed
                kept = target.with_name(f".{target.name}.replaced")
                os.replace(target, kept)
                self.kept.append((kept, target))
            os.replace(temporary, target)
            self.placed.append(target)
        self.staged = []

    def finish(self) -> None:
        for kept, _target in self.kept:
            kept.unlink(missing_ok=True)

    def remove(self) -> None:
        for temporary, _target in self.staged:
            temporary.unlink(missing_ok=True)
        for target in self.placed:
            target.unlink(missing_ok=True)
        for kept, target in self.kept:
            os.replace(kept, target)
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):  # not empty: something else lives there now
                folder.rmdir()
