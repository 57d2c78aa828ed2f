"""The page store on one machine: Django's file cache without its cost per write.

Django's FileBasedCache lists its whole directory on every `set` to decide whether to
cull (about 5 ms at 4,000-5,000 entries, paid by every page rendered for a visitor), and
then deletes a random third of the files. This store looks at the directory once every
CULL_EVERY writes of a process (so a write costs a file written and renamed, well under
a millisecond), and when over MAX_ENTRIES deletes the expired files and then the oldest
written, never a random one. Nothing here holds a version or anything a page's freshness
depends on (that is in the database, core/page_cache.py): a file lost costs a render.

Used by the default CACHES when no CACHE_URL is set; Redis, where set, evicts by its
own policy and needs none of this.
"""

import os
import pickle
import random
import zlib

from django.core.cache.backends.filebased import FileBasedCache

# How often (one write in …) a process looks at the directory's size. Between two looks
# the directory may grow past MAX_ENTRIES by at most this many files per process.
CULL_EVERY = 256


# zlib's fastest level: Django's default (6) took 0.39 ms to compress a 33 kB page, paid
# by every page rendered for a visitor; level 1 takes 0.11 ms for a file ~20 % larger.
# Reading is the same zlib.decompress, whatever the level a file was written with.
COMPRESS_LEVEL = 1


class FileCache(FileBasedCache):
    def _write_content(self, file, timeout, value):
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), COMPRESS_LEVEL))

    def _cull(self):
        # A random start per process: two workers do not look at the same write.
        if random.randrange(CULL_EVERY):  # noqa: S311 — spreading work, not a secret
            return
        self.cull_now()

    def cull_now(self) -> int:
        """Delete the expired files, then the oldest written down to MAX_ENTRIES less a
        cull fraction; returns how many were deleted."""
        entries = []
        try:
            with os.scandir(self._dir) as scan:
                for entry in scan:
                    if entry.name.endswith(self.cache_suffix):
                        try:
                            entries.append((entry.stat().st_mtime, entry.path))
                        except FileNotFoundError:
                            continue
        except FileNotFoundError:
            return 0
        if len(entries) < self._max_entries:
            return 0
        entries.sort()
        keep = self._max_entries - (self._max_entries // (self._cull_frequency or 1))
        doomed = entries[: max(0, len(entries) - keep)] if self._cull_frequency else entries
        for _mtime, path in doomed:
            self._delete(path)
        return len(doomed)
