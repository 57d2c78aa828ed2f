"""A cache that fails costs speed, never a write or a true page (issue 12, point 6).

A real file cache, as production runs it, in a folder the server can read but not write
(the disk full or mounted read-only), and one that cannot be read at all: the inspector's
revocation is recorded, and the pages kept before it are not served after it."""

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Certificate
from registry.models import Product
from tests.factories import ProductFactory, certificate_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_cache(settings):
    folder = Path(tempfile.mkdtemp(prefix="ocop-cache-"))
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(folder),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def read_only(folder: Path):
    """The cache folder can be read but not written, as on a full or read-only disk.
    Root writes through any mode, so as root the folder is made immutable (chattr +i:
    no file can be added, replaced or removed in it) instead."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    if made.returncode:
        pytest.skip(f"cannot make a folder read-only for root here: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def revocation(reference):
    """The revocation form as the administrator fills it: the ground, the inspection
    conclusion and its date, and the act of revocation."""
    today = timezone.localdate()
    return {
        "ground": Certificate.Ground.choices[0][0],
        "inspection_reference": reference,
        "inspection_concluded_on": today.isoformat(),
        "number": f"{reference[3:5]}/QĐ-UBND",
        "signed_on": today.isoformat(),
        "authority": "UBND thành phố Hà Nội",
        "signer_name": "Đào Văn Bình",
        "signer_title": "Phó Chủ tịch",
    }


def test_the_folder_really_is_read_only(file_cache):
    with read_only(file_cache), pytest.raises(PermissionError):
        (file_cache / "probe").write_bytes(b"x")


def test_a_revocation_is_recorded_and_no_stale_page_served_when_the_cache_is_read_only(
    client, people, file_cache
):
    product = ProductFactory(name="Trà sen Tây Hồ", stars=5)
    certificate = certificate_of(product)
    page = reverse("catalogue:product", args=[product.slug])
    check = reverse("evaluation:verify", args=[certificate.number])
    for url in ("/", page, check):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    kept_files = sorted(p.name for p in file_cache.rglob("*.djcache"))

    inspector = type(client)()  # an official in another browser
    inspector.force_login(people["admin"])
    with read_only(file_cache):
        answer = inspector.post(
            reverse("evaluation:revoke", args=[certificate.pk]),
            revocation("KL-07/2026"),
        )
        assert answer.status_code == 302
        catalogue = client.get("/")
        product_page = client.get(page)
        verdict = client.get(check)

    certificate.refresh_from_db()
    assert certificate.revoked_on is not None
    assert certificate.inspection_reference == "KL-07/2026"
    assert Product.objects.get(pk=product.pk).stars is None
    assert (catalogue.status_code, catalogue["X-Page-Cache"]) == (200, "not-kept")
    assert "Trà sen Tây Hồ" not in catalogue.content.decode()
    assert product_page.status_code == 404
    assert 'class="alert alert-danger" id="verdict"' in verdict.content.decode()
    # Nothing could be written, so the files are the ones kept before the revocation.
    assert sorted(p.name for p in file_cache.rglob("*.djcache")) == kept_files


def test_pages_and_writes_work_when_the_cache_cannot_be_read_either(client, people, settings):
    """The cache "folder" is a file: every read and write of the cache fails."""
    with tempfile.NamedTemporaryFile() as blocker:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": blocker.name,
            }
        }
        product = ProductFactory(name="Nấm hương Sóc Sơn", stars=4)
        certificate = certificate_of(product)
        assert client.get("/")["X-Page-Cache"] == "not-kept"
        assert client.get(reverse("evaluation:statistics")).status_code == 200
        inspector = type(client)()
        inspector.force_login(people["admin"])
        inspector.post(
            reverse("evaluation:revoke", args=[certificate.pk]),
            revocation("KL-08/2026"),
        )
        certificate.refresh_from_db()
        assert certificate.revoked_on is not None
        assert "Nấm hương Sóc Sơn" not in client.get("/").content.decode()
        health = client.get("/health/")
        assert health.status_code == 503
        assert health.json()["cache"].startswith("failed")
        assert health.json()["database"] == "ok"


def test_a_fixed_value_is_kept_in_the_process_and_bounded(monkeypatch):
    """get_or_make_fixed: a value its key fully names is made once, then served from
    this process even when the shared cache has lost it; at most the store's entries kept."""
    from django.core.cache import cache

    from core import caching

    caching.forget_local()
    made = []

    def make():
        made.append(1)
        return "body"

    assert caching.get_or_make_fixed("k:1", make, 60) == "body"
    cache.clear()  # the shared cache loses it (restart, eviction): this process has it
    assert caching.get_or_make_fixed("k:1", make, 60) == "body"
    assert len(made) == 1
    monkeypatch.setattr(caching._local, "entries", 3)
    for n in range(2, 7):
        caching.get_or_make_fixed(f"k:{n}", lambda: "x", 60)
    assert len(caching._local) == 3 and "k:1" not in caching._local
    caching.forget_local()
