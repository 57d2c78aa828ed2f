"""What a backup holds and how a row becomes a line: shared by backup and restore."""

import datetime
import hashlib
import io
import json
import os
from collections import defaultdict
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.serializers import python
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

FORMAT = "ocop-registry-backup"
VERSION = 1
MANIFEST = "manifest.json"
# Archive folder → the setting naming the folder on disk.
ROOTS = {"media": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}
# Left out of every backup, with the reason the manifest records.
EXCLUDED = {
    "sessions.session": (
        "sign-in sessions: a session key is as good as a password, so a backup file does "
        "not carry them; everyone signs in again after a restore"
    ),
}
# A fresh `migrate` fills these; restore replaces their rows with the backed-up ones.
MADE_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}
CHUNK = 2000
PROGRESS_EVERY = 50_000


class BackupError(Exception):
    """A backup or restore that cannot go ahead; `code` says which check refused it."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def label(model) -> str:
    return model._meta.label_lower


def models_in_scope() -> list:
    """Every table Django manages, the auto-created many-to-many tables included (they are
    dumped as tables of their own, keeping their ids), except EXCLUDED."""
    chosen = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or label(model) in EXCLUDED:
            continue
        # The serialiser skips fields marked serialize=False; a column must never be
        # dropped silently, so a model with one stops the backup instead.
        skipped = [
            f.name for f in meta.local_concrete_fields if not f.serialize and not f.primary_key
        ]
        if skipped:
            raise BackupError(
                _("%(model)s has columns the serialiser would skip: %(fields)s.")
                % {"model": label(model), "fields": ", ".join(skipped)},
                code="unserialisable",
            )
        chosen.append(model)
    return chosen


def excluded_models() -> list:
    return [m for m in apps.get_models() if label(m) in EXCLUDED]


class RowEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps all six digits."""

    def default(self, o):
        if isinstance(o, datetime.datetime) or (isinstance(o, datetime.time) and o.tzinfo is None):
            return o.isoformat()
        return super().default(o)


def _line(row: dict, sort_keys: bool) -> bytes:
    text = json.dumps(
        row, cls=RowEncoder, ensure_ascii=False, sort_keys=sort_keys, separators=(",", ":")
    )
    return text.encode() + b"\n"


class RowWriter(python.Serializer):
    """Django's Python serialiser, writing each row as soon as it is read (so 50,000
    products never sit in memory) as one JSON line.

    A JSON column's keys stay in their stored order (on SQLite the order is kept, and
    pages may show it); the row's digest is taken over the keys sorted, because
    PostgreSQL's jsonb reorders them and the same row must digest the same in both."""

    def start_serialization(self):
        self._current = None

    def end_object(self, obj):
        row = self.get_dump_object(obj)
        line = _line(row, sort_keys=False)
        nested = any(isinstance(value, dict | list) for value in row["fields"].values())
        self.stream.write(line, _line(row, sort_keys=True) if nested else line)
        self._current = None

    def handle_m2m_field(self, obj, field):
        pass  # the auto-created through table is a table of the backup in its own right

    def getvalue(self):
        return None


class RowSink:
    """Counts and digests the lines it is given, and writes them on when given a file.

    `sha256` is the bytes' checksum (is the archive's member intact?); `digest` is a sum of
    each row's SHA-256, the same whatever order the rows come in (are the restored rows the
    backed-up ones, whatever order the database returns them in?)."""

    MODULUS = 2**256

    def __init__(self, out=None, progress=None, name=""):
        self.out, self.progress, self.name = out, progress, name
        self.rows = self.size = self._sum = 0
        self._sha = hashlib.sha256()

    def write(self, line: bytes, canonical: bytes):
        if self.out is not None:
            self.out.write(line)
        self._sha.update(line)
        digest = hashlib.sha256(canonical).digest()
        self._sum = (self._sum + int.from_bytes(digest)) % self.MODULUS
        self.size += len(line)
        self.rows += 1
        if self.progress and self.rows % PROGRESS_EVERY == 0:
            self.progress(f"  {self.name}: {self.rows:,} rows …")

    @property
    def sha256(self) -> str:
        return self._sha.hexdigest()

    @property
    def digest(self) -> str:
        return f"{self._sum:064x}"


def dump_rows(model, using: str, sink: RowSink) -> RowSink:
    rows = model._base_manager.using(using).order_by("pk").iterator(chunk_size=CHUNK)
    RowWriter().serialize(rows, stream=sink)
    return sink


def file_fields(model) -> list:
    return [f for f in model._meta.local_concrete_fields if isinstance(f, models.FileField)]


def root_of(storage) -> str | None:
    """The archive folder a file field's storage writes under, if it is one we back up."""
    location = Path(storage.location).resolve()
    for prefix, setting in ROOTS.items():
        if location == Path(getattr(settings, setting)).resolve():
            return prefix
    return None


def migration_heads(connection) -> dict[str, list[str]]:
    """The latest applied migration of each app (more than one only while a merge is due)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied = {key for key in loader.applied_migrations if key in loader.graph.node_map}
    heads = defaultdict(list)
    for app, name in applied:
        children = loader.graph.node_map[(app, name)].children
        if not any(child in applied and child[0] == app for child in children):
            heads[app].append(name)
    return {app: sorted(names) for app, names in sorted(heads.items())}


def code_migration_heads() -> dict[str, list[str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    heads = defaultdict(list)
    for app, name in loader.graph.leaf_nodes():
        heads[app].append(name)
    return {app: sorted(names) for app, names in sorted(heads.items())}


def describe_heads(heads: dict[str, list[str]], app: str) -> str:
    return ", ".join(heads.get(app, [])) or "—"


def files_on_disk(skip: Path | None = None):
    """(archive name, path) of every regular file under MEDIA_ROOT and PRIVATE_MEDIA_ROOT,
    in a stable order, leaving out `skip` (where the backup itself is being written) when it
    lies inside one of them. Symbolic links are not followed: a link could lead anywhere."""
    for prefix, setting in ROOTS.items():
        root = Path(getattr(settings, setting))
        if not root.is_dir():
            continue
        inside = skip.resolve() if skip and skip.resolve().is_relative_to(root.resolve()) else None
        for folder, dirs, names in os.walk(root):
            dirs.sort()
            here = Path(folder)
            if inside and here.resolve().is_relative_to(inside):
                dirs.clear()
                continue
            for name in sorted(names):
                path = here / name
                if path.is_file() and not path.is_symlink():
                    yield f"{prefix}/{path.relative_to(root).as_posix()}", path


def path_for(name: str) -> Path:
    """Where a file of the archive goes on disk; refuses any name that would leave its folder."""
    prefix, _sep, rest = name.partition("/")
    relative = PurePosixPath(rest)
    if (
        prefix not in ROOTS
        or not rest
        or "\\" in rest
        or relative.is_absolute()
        or any(part in ("", ".", "..") for part in rest.split("/"))
    ):
        raise BackupError(
            _("The archive names a file outside the media folders: %(name)s.") % {"name": name},
            code="damaged",
        )
    return Path(getattr(settings, ROOTS[prefix])).joinpath(*relative.parts)


def sha256_of(path: Path) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            sha.update(block)
            size += len(block)
    return sha.hexdigest(), size


class HashingReader(io.RawIOBase):
    """A binary file object that hashes and counts what is read through it."""

    def __init__(self, raw):
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        block = self.raw.read(len(buffer))
        buffer[: len(block)] = block
        self.sha.update(block)
        self.size += len(block)
        return len(block)
