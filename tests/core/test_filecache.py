"""The page store on one machine (core/filecache.py): a write does not list the
directory, and a cull deletes the oldest files, never a random one."""

import os
import time
from unittest import mock

from core import filecache
from core.filecache import FileCache


def store(tmp_path, entries=10):
    return FileCache(str(tmp_path), {"TIMEOUT": 3600, "OPTIONS": {"MAX_ENTRIES": entries}})


def test_a_write_does_not_list_the_directory(tmp_path):
    cache = store(tmp_path, entries=1000)
    with (
        mock.patch.object(filecache.random, "randrange", return_value=1),
        mock.patch("os.scandir", side_effect=AssertionError("listed")),
        mock.patch("glob.glob", side_effect=AssertionError("listed")),
    ):
        for n in range(50):
            cache.set(f"page-{n}", b"x" * 1000)
    assert cache.get("page-49") == b"x" * 1000


def test_a_cull_deletes_the_oldest_files_first(tmp_path):
    cache = store(tmp_path, entries=10)
    with mock.patch.object(filecache.random, "randrange", return_value=1):  # no cull yet
        for n in range(15):
            cache.set(f"page-{n}", n)
            path = cache._key_to_file(f"page-{n}")
            os.utime(path, (time.time() - 1000 + n, time.time() - 1000 + n))
    deleted = cache.cull_now()
    # Down to MAX_ENTRIES less a third (CULL_FREQUENCY 3): the 15 - 7 oldest go.
    assert deleted == 8
    assert [cache.get(f"page-{n}") for n in range(15)] == [None] * 8 + list(range(8, 15))


def test_a_write_looks_at_the_directory_now_and_then(tmp_path):
    cache = store(tmp_path, entries=10)
    with mock.patch.object(filecache.random, "randrange", return_value=0):  # every write
        for n in range(30):
            cache.set(f"page-{n}", n)
    assert len(os.listdir(tmp_path)) <= 10
    assert cache.get("page-29") == 29


def test_pages_are_compressed_fast_and_read_whatever_level_wrote_them(tmp_path):
    from django.core.cache.backends.filebased import FileBasedCache

    page = {"content": ("<p>Chè Shan tuyết Hà Giang</p>" * 2000).encode()}
    ours = store(tmp_path)
    ours.set("page", page)
    [written] = [p for p in tmp_path.iterdir() if p.name.endswith(".djcache")]
    django_default = FileBasedCache(str(tmp_path), {"TIMEOUT": 3600})
    # A file this store wrote is a valid file of Django's own, and one Django wrote (a
    # page kept before this release) is read here.
    assert django_default.get("page") == page
    django_default.set("older", page)
    assert ours.get("older") == page
    # Level 1: larger than Django's level 6 for the same page, and far smaller than raw.
    older = next(p for p in tmp_path.iterdir() if p.name.endswith(".djcache") and p != written)
    assert older.stat().st_size < written.stat().st_size < len(page["content"]) // 10
