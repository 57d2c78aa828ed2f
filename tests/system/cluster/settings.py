"""The site's settings (from the environment, as any server's), and one more daily job: a
reminder mail (tasks.py). The cluster test runs its servers and workers with these, so the
SMTP server can count how often a daily mail leaves when two machines' workers run the
schedule. The notifications app's reminders (a daily job in settings.DAILY_JOBS, sending
mail) are counted the same way once listed there: the test checks every daily job and
every mail, not this one only."""

from ocop_site.settings import *  # noqa: F403

DAILY_JOBS = [*DAILY_JOBS, "tests.system.cluster.tasks.daily_reminder"]  # noqa: F405

# Hashed names as in production, without production's gzip and Brotli copies: compressing
# every file takes collectstatic minutes on a busy machine, and what is checked here is the
# hashed name and the year-long Cache-Control, which WhiteNoise gives either way.
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# The tests' own hasher (tests/conftest.py): a password set by the test process is checked
# by the servers as is. With the site's PBKDF2 every sign-in would cost the servers a
# second or more of CPU (and re-hashing), which is not what this test measures.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
