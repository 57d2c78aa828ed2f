"""What a backup writes, and what it names as missing."""

from io import StringIO

import pytest
from django.core.management import call_command

from backups.backing_up import backup
from tests.backups.conftest import add_corners, read_archive

pytestmark = pytest.mark.django_db


def test_the_backup_names_files_the_rows_refer_to_that_are_not_on_disk(settings, tmp_path):
    corners = add_corners()
    (settings.MEDIA_ROOT / corners.photo.image.name).unlink()
    err = StringIO()
    call_command("backup", str(tmp_path / "site.tar.gz"), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines()[1:] == [f"  media/{corners.photo.image.name}"]


def test_a_backup_written_inside_the_media_folder_leaves_itself_out(settings):
    add_corners()
    summary = backup(settings.MEDIA_ROOT / "backups" / "site.tar.gz")
    _members, manifest = read_archive(summary.path)
    names = [f["path"] for f in manifest["files"]]
    assert names and not any(name.startswith("media/backups/") for name in names)
