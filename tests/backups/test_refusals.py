"""Restore refuses, before writing anything, what it cannot restore whole; and a restore
that fails half-way leaves the database and the folders as they were. (What a backup
writes: test_backup.py.)"""

import hashlib
import json
import os
import stat

import pytest
from django.core.management import CommandError, call_command

from backups import checks
from backups.backing_up import backup
from backups.content import BackupError
from backups.restoring import restore
from registry.models import Product, ProductPhoto
from tests.backups.conftest import (
    add_corners,
    data_member,
    media_hashes,
    read_archive,
    write_archive,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def archive(module_db):
    """A backup of a site with something in every corner, taken once for the module: every
    test here reads it, or a copy it changes, and restores nothing it keeps."""
    add_corners()
    return backup(module_db / "backups").path


def state():
    """What a refused restore must leave untouched: rows and files."""
    return Product.objects.count(), ProductPhoto.objects.count(), media_hashes()


def test_a_backup_is_readable_by_its_owner_only_and_named_by_its_date(archive):
    assert archive.name.startswith("ocop-backup-") and archive.name.endswith(".tar.gz")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600


def test_restore_refuses_a_database_that_holds_data_and_writes_nothing(archive, fresh_media):
    before = state()
    with pytest.raises(CommandError, match=r"registry\.\w+ \([\d,]+\)"):
        call_command("restore", str(archive))
    assert state() == before
    assert not fresh_media.exists()


@pytest.mark.parametrize("folder", ["media", "private", "data"])
def test_a_changed_byte_anywhere_in_the_archive_is_refused_naming_the_member(
    archive, fresh_media, tmp_path, folder
):
    members, manifest = read_archive(archive)
    name = next(n for n in members if n.startswith(f"{folder}/") and members[n])
    members[name] = members[name][:-1] + bytes([members[name][-1] ^ 1])
    tampered = write_archive(tmp_path / "tampered.tar.gz", members, manifest)
    before = state()
    with pytest.raises(BackupError, match=name) as refused:
        restore(tampered, force=True)  # even --force writes nothing
    assert refused.value.code == "damaged"
    assert state() == before
    assert not fresh_media.exists()


def test_a_file_missing_from_the_archive_is_refused(archive, fresh_media, tmp_path):
    members, manifest = read_archive(archive)
    name = next(n for n in members if n.startswith("private/evidence/"))
    del members[name]
    with pytest.raises(BackupError, match=name):
        restore(write_archive(tmp_path / "short.tar.gz", members, manifest), force=True)
    assert not fresh_media.exists()


def test_a_backup_made_at_other_migrations_is_refused(archive, fresh_media, tmp_path):
    members, manifest = read_archive(archive)
    manifest["migrations"]["registry"] = ["0099_from_the_future"]
    other = write_archive(tmp_path / "other.tar.gz", members, manifest)
    before = state()
    with pytest.raises(BackupError, match="0099_from_the_future") as refused:
        restore(other, force=True)
    assert refused.value.code == "migrations"
    assert state() == before
    assert not fresh_media.exists()


def test_rows_that_do_not_hold_together_roll_the_whole_restore_back(archive, fresh_media, tmp_path):
    """A checksum-correct archive whose photo points at a product that is not in it: the
    load fails on the foreign key after emptying the database and writing files, and the
    transaction and the file writer put everything back."""
    members, manifest = read_archive(archive)
    name = data_member(members, "registry.productphoto")
    rows = [json.loads(line) for line in members[name].splitlines()]
    rows[0]["fields"]["product"] = 987654321
    members[name] = "".join(json.dumps(row) + "\n" for row in rows).encode()
    table = next(t for t in manifest["tables"] if t["data"] == name)
    table["size"] = len(members[name])
    table["sha256"] = hashlib.sha256(members[name]).hexdigest()
    broken = write_archive(tmp_path / "broken.tar.gz", members, manifest)
    before = state()
    with pytest.raises(BackupError) as refused:
        restore(broken, force=True)
    assert refused.value.code == "integrity"
    assert state() == before
    assert not any(files for _root, _dirs, files in os.walk(fresh_media))


def test_a_different_file_already_on_disk_is_refused_unless_forced(archive, fresh_media):
    members, _manifest = read_archive(archive)
    name = next(n for n in members if n.startswith("media/products/"))
    squatter = fresh_media / name
    squatter.parent.mkdir(parents=True)
    squatter.write_bytes(b"another picture")
    checked = checks.read_and_verify(archive)
    with pytest.raises(BackupError, match=name) as refused:
        checks.plan_files(checked, force=False)
    assert refused.value.code == "files_differ"

    restore(archive, force=True)
    assert squatter.read_bytes() == members[name]
    assert not list(squatter.parent.glob(".*"))  # no temporary or replaced copy left


def test_a_backup_never_overwrites_another(archive):
    before = archive.read_bytes()
    with pytest.raises(CommandError, match=archive.name):
        call_command("backup", str(archive))
    assert archive.read_bytes() == before
