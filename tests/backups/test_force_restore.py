"""A --force restore, in this process, puts back every row and file as the backup had them.

(The restore into a brand-new database by `manage.py` in another process is a system-wide
test: tests/system/round_trip/test_backup_restore.py.)"""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from backups.backing_up import backup
from backups.restoring import restore
from registry.models import Product
from tests.backups.conftest import STAMP, add_corners, media_hashes, read_archive

pytestmark = pytest.mark.django_db


def test_restore_with_force_puts_back_every_value(tmp_path):
    corners = add_corners()
    files = media_hashes()
    users = list(get_user_model().objects.order_by("pk").values())
    summary = backup(tmp_path / "site.tar.gz")
    _members, manifest = read_archive(summary.path)
    assert "sessions.session" in manifest["excluded"]
    assert "sessions.session" not in {t["model"] for t in manifest["tables"]}

    Product.objects.create(
        name="Thêm sau khi sao lưu",
        producer=corners.product.producer,
        product_set=corners.product.product_set,
    )
    get_user_model().objects.filter(pk=corners.official.pk).update(password="changed")
    Path(settings.PRIVATE_MEDIA_ROOT, corners.evidence.file.name).unlink()

    result = restore(summary.path, force=True)

    assert result.rows == sum(t["rows"] for t in manifest["tables"])
    assert not Product.objects.filter(name="Thêm sau khi sao lưu").exists()
    assert list(get_user_model().objects.order_by("pk").values()) == users
    assert Product.objects.get(pk=corners.product.pk).created_at == STAMP
    assert media_hashes() == files
    for table in manifest["tables"]:
        model = table["model"]
        assert _count(model) == table["rows"], model
    assert _count("sessions.session") == 0  # --force empties every table, sessions too


def _count(label: str) -> int:
    from django.apps import apps

    return apps.get_model(label)._base_manager.count()
