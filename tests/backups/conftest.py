"""A site with something in every corner a backup could lose, and archives taken apart."""

import hashlib
import io
import json
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile

from registry.models import EvidenceDocument, IntellectualPropertyTitle, Product, ProductPhoto
from tests.factories import PDF, ProductFactory, image_upload, pdf_bytes

# Six digits of a second: Django's JSON encoder would keep three.
STAMP = datetime(2025, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)


def add_corners(product=None) -> SimpleNamespace:
    """One of each thing a backup could drop: an uploaded photo and its thumbnail, private
    papers, an admin log entry (a foreign key to a content type), permissions given to a
    user and a group, django-axes rows, a sign-in session, a microsecond timestamp."""
    product = product or ProductFactory(name="Mật ong hoa nhãn Hưng Yên")
    User = get_user_model()
    official = User.objects.create_user("canbo.backup", password="mat-khau-rieng-2026")
    change_product = Permission.objects.get(codename="change_product")
    official.user_permissions.add(change_product)
    office = Group.objects.create(name="Văn phòng điều phối")
    office.permissions.add(Permission.objects.get(codename="view_product"))
    official.groups.add(office)
    photo = ProductPhoto.objects.create(product=product, image=image_upload("mat-ong.jpg"))
    evidence = EvidenceDocument.objects.create(
        product=product,
        title="Giấy chứng nhận an toàn thực phẩm",
        file=SimpleUploadedFile("attp.pdf", PDF),
        uploaded_by=official,
    )
    title = IntellectualPropertyTitle.objects.create(
        product=product,
        kind=IntellectualPropertyTitle.Kind.TRADEMARK,
        number="4-0123456",
        document=SimpleUploadedFile("nhan-hieu.pdf", pdf_bytes(title="Nhãn hiệu")),
    )
    log = LogEntry.objects.create(
        user=official,
        content_type=ContentType.objects.get_for_model(Product),
        object_id=str(product.pk),
        object_repr=product.name,
        action_flag=ADDITION,
        change_message="[]",
    )
    attempt = {"user_agent": "Firefox", "ip_address": "10.0.0.9", "http_accept": "*/*"}
    attempt["path_info"] = "/dang-nhap/"
    AccessLog.objects.create(username="canbo.backup", **attempt)
    AccessAttempt.objects.create(
        username="ke.gian", get_data="", post_data="", failures_since_start=3, **attempt
    )
    session = SessionStore()
    session["_auth_user_id"] = str(official.pk)
    session.create()
    Product.objects.filter(pk=product.pk).update(created_at=STAMP)
    return SimpleNamespace(
        product=product,
        official=official,
        photo=photo,
        evidence=evidence,
        title=title,
        log=log,
    )


def media_hashes() -> dict[str, str]:
    """sha256 of every file under MEDIA_ROOT and PRIVATE_MEDIA_ROOT, by folder and path."""
    hashes = {}
    for prefix, root in (("media", settings.MEDIA_ROOT), ("private", settings.PRIVATE_MEDIA_ROOT)):
        hashes |= folder_hashes(Path(root), prefix)
    return hashes


def folder_hashes(root: Path, prefix: str) -> dict[str, str]:
    return {
        f"{prefix}/{path.relative_to(root).as_posix()}": hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def read_archive(path: Path) -> tuple[dict[str, bytes], dict]:
    with tarfile.open(path, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar}
    return members, json.loads(members.pop("manifest.json"))


def write_archive(path: Path, members: dict[str, bytes], manifest: dict) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [*members.items(), ("manifest.json", json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def data_member(members: dict, model: str) -> str:
    return next(name for name in members if name.endswith(f"-{model}.jsonl"))


@pytest.fixture
def fresh_media(settings, tmp_path):
    """Empty media folders for a restore, as on a new server."""
    settings.MEDIA_ROOT = tmp_path / "restored" / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "restored" / "private"
    return tmp_path / "restored"
