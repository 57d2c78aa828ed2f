"""The checks a restore makes before it writes anything: the database is migrated and
empty, the archive is whole (every member's SHA-256 against its manifest, in a first full
read) and was made at this code's migrations, and no other file sits under a name it uses.
"""

import json
import tarfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from backups import content
from backups.content import BackupError, label


@dataclass
class Archive:
    manifest: dict
    tables: list[dict]
    files: dict[str, dict] = field(default_factory=dict)


def read_and_verify(path: Path) -> Archive:
    """Read the whole archive once, checking every member against the manifest (which
    comes last); raise naming the first member that does not match."""
    seen = {}
    manifest = None
    for member, stream in members(path):
        if member.name == content.MANIFEST:
            try:
                manifest = json.loads(stream.read())
            except ValueError as exc:
                raise damaged(_("its manifest is not readable")) from exc
            continue
        if member.name in seen:
            raise damaged(_("%(name)s appears twice") % {"name": member.name})
        reader = content.HashingReader(stream)
        while reader.read(1 << 20):
            pass
        seen[member.name] = (reader.sha.hexdigest(), reader.size)
    archive = _parse_manifest(manifest)
    expected = {t["data"]: (t["sha256"], t["size"]) for t in archive.tables}
    expected |= {name: (f["sha256"], f["size"]) for name, f in archive.files.items()}
    for name, checksum in expected.items():
        if name not in seen:
            raise damaged(_("%(name)s is missing from it") % {"name": name})
        if seen[name] != tuple(checksum):
            raise damaged(
                _("%(name)s does not match the SHA-256 its manifest records") % {"name": name}
            )
    for name in seen:
        if name not in expected:
            raise damaged(_("%(name)s is not in its manifest") % {"name": name})
    return archive


def members(path: Path):
    """(member, readable stream) of each regular file of the archive, in order."""
    try:
        with tarfile.open(path, mode="r|gz") as tar:
            for member in tar:
                if not member.isfile():
                    raise damaged(_("%(name)s is not a plain file") % {"name": member.name})
                yield member, tar.extractfile(member)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise BackupError(
            _("%(path)s is not a readable backup archive (%(error)s). Nothing was restored.")
            % {"path": path.name, "error": exc},
            "damaged",
        ) from exc


def damaged(reason: str) -> BackupError:
    return BackupError(
        _("The backup archive is damaged: %(reason)s. Nothing was restored.") % {"reason": reason},
        "damaged",
    )


def _parse_manifest(manifest) -> Archive:
    if not isinstance(manifest, dict) or manifest.get("format") != content.FORMAT:
        raise damaged(_("it has no manifest of an OCOP registry backup"))
    if manifest.get("version") != content.VERSION:
        raise BackupError(
            _("This backup is in format %(found)s; this code reads format %(version)s.")
            % {"found": manifest.get("version"), "version": content.VERSION},
            "version",
        )
    try:
        tables = list(manifest["tables"])
        files = {entry["path"]: entry for entry in manifest["files"]}
        for entry in files:
            content.path_for(entry)
    except (KeyError, TypeError) as exc:
        raise damaged(_("its manifest is incomplete")) from exc
    return Archive(manifest=manifest, tables=tables, files=files)


def check_database_migrated(connection) -> None:
    here = content.migration_heads(connection)
    code = content.code_migration_heads()
    behind = [app for app in code if here.get(app) != code[app]]
    if behind:
        raise BackupError(
            _(
                "The database is not migrated to this code's latest migrations (%(apps)s). "
                "Run `python manage.py migrate` first."
            )
            % {"apps": ", ".join(behind)},
            "not_migrated",
        )


def check_same_migrations(manifest: dict) -> None:
    code = content.code_migration_heads()
    backed_up = manifest.get("migrations") or {}
    differ = sorted(
        app for app in code.keys() | backed_up.keys() if code.get(app) != backed_up.get(app)
    )
    if differ:
        details = "; ".join(
            _("%(app)s: %(backup)s in the backup, %(code)s here")
            % {
                "app": app,
                "backup": content.describe_heads(backed_up, app),
                "code": content.describe_heads(code, app),
            }
            for app in differ
        )
        raise BackupError(
            _(
                "The backup was made at other migrations than this code's (%(details)s). "
                "Restore it with the version of the code it was made with, then upgrade."
            )
            % {"details": details},
            "migrations",
        )


def check_same_tables(tables: list[dict]) -> None:
    here = {label(m) for m in content.models_in_scope()}
    there = {t["model"] for t in tables}
    if here != there:
        raise BackupError(
            _("The backup's tables are not this code's tables (%(tables)s).")
            % {"tables": ", ".join(sorted(here ^ there))},
            "tables",
        )


def check_empty(using: str) -> None:
    holding = []
    for model in content.models_in_scope() + content.excluded_models():
        if label(model) in content.MADE_BY_MIGRATE:
            continue
        rows = model._base_manager.using(using).count()
        if rows:
            holding.append((rows, label(model)))
    if holding:
        holding = [f"{name} ({rows:,})" for rows, name in sorted(holding, reverse=True)]
        raise BackupError(
            _(
                "The database already holds data (%(tables)s). Restore into a freshly "
                "migrated, empty database, or add --force to replace everything in it."
            )
            % {"tables": ", ".join(holding[:5]) + (", …" if len(holding) > 5 else "")},
            "not_empty",
        )


def plan_files(archive: Archive, force: bool) -> set[str]:
    """The archive's files to write: not those on disk already with the same bytes. A
    different file under the same name is refused, or with --force replaced."""
    to_write, conflicts = set(), []
    for name, entry in archive.files.items():
        target = content.path_for(name)
        if not target.exists():
            to_write.add(name)
        elif target.is_file() and content.sha256_of(target) == (entry["sha256"], entry["size"]):
            continue
        elif force and target.is_file():
            to_write.add(name)
        else:
            conflicts.append(name)
    if conflicts:
        raise BackupError(
            _(
                "Files already on disk differ from the backup's (%(names)s). Restore into "
                "empty media folders, or add --force to replace them."
            )
            % {"names": ", ".join(conflicts[:5]) + (", …" if len(conflicts) > 5 else "")},
            "files_differ",
        )
    return to_write
