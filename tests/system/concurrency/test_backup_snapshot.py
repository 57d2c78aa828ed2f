"""A backup taken while others write is one consistent moment of the database.

Transactional: the writer must commit from its own connection while the backup runs.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from backups.backing_up import backup
from tests.backups.conftest import read_archive

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite makes writers wait until the backup ends: nothing can slip in",
    ),
]


def test_rows_committed_during_a_backup_are_not_in_it(tmp_path):
    User = get_user_model()
    User.objects.create_user("truoc.sao.luu")

    def write_from_elsewhere():
        try:
            User.objects.create_user("trong.khi.sao.luu")
        finally:
            connections.close_all()  # this thread's own connection

    def progress(message):
        # The first table is done: the snapshot is taken; auth.user is read later.
        if message.startswith("  admin.logentry"):
            writer = threading.Thread(target=write_from_elsewhere)
            writer.start()
            writer.join()

    summary = backup(tmp_path / "site.tar.gz", progress=progress)

    assert User.objects.filter(username="trong.khi.sao.luu").exists()
    _members, manifest = read_archive(summary.path)
    users = next(t for t in manifest["tables"] if t["model"] == "auth.user")
    assert users["rows"] == 1
