"""The three checks every hostile request goes through: no 500 (nor an error logged on the
way), a refusal that says why in words, and nothing written (rows or files)."""

import logging
import re
import traceback
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection, transaction

from core.caching import forget_local

# A word: two letters in a row, in any script. A refusal must say something, not show a
# bare code, an empty box or nothing at all.
WORDS = re.compile(r"[^\W\d_]{2,}")


def says_something(text) -> bool:
    return bool(WORDS.search(str(text)))


# ------------------------------------------------------------------ nothing written
def _domain_models():
    """Every model of the project's own apps plus users and groups: what a refused request
    must leave alone. Sessions and django-axes' attempt log are left out on purpose: the
    sign-in form writes them by design, whatever was typed."""
    for label in ("registry", "evaluation", "imports", "auth"):
        yield from apps.get_app_config(label).get_models()


def row_counts() -> dict[str, int]:
    """Rows per model, in one query: checked twice per example, so it must be cheap."""
    models = list(_domain_models())
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, row, strict=True)}


def stored_files() -> set[str]:
    found = set()
    for root in (Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)):
        if root.exists():
            found |= {str(p) for p in root.rglob("*") if p.is_file()}
    return found


class Snapshot:
    """Rows of every domain model and files under both media roots, to compare after."""

    def __init__(self, scratch=()):
        """`scratch`: models holding a user's work in progress, not data (an import kept
        between its preview and its confirmation), which a request may write."""
        self.rows = row_counts()
        self.files = stored_files()
        self.scratch = set(scratch)

    def assert_unchanged(self):
        rows = row_counts()
        changed = {
            k: (v, rows[k]) for k, v in self.rows.items() if rows[k] != v and k not in self.scratch
        }
        assert not changed, f"a refused request wrote rows (before, after): {changed}"
        assert stored_files() == self.files, "a refused request wrote files"


# ------------------------------------------------------------------ no error logged
class _ErrorRecords(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        # django.security logs a refused suspicious request (too many fields, a bad host)
        # at ERROR by design and answers 400: that is a refusal, not a crash.
        if not record.name.startswith("django.security"):
            self.records.append(record)


@contextmanager
def no_error_logged():
    handler = _ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)
    assert not handler.records, [_described(r) for r in handler.records]


def _described(record) -> str:
    """The logged message with the exception and the project's own frame it came from."""
    if not record.exc_info:
        return record.getMessage()
    frames = [
        f"{frame.filename}:{frame.lineno}"
        for frame in traceback.extract_tb(record.exc_info[2])
        if "site-packages" not in frame.filename
    ]
    error = traceback.format_exception_only(*record.exc_info[:2])[-1].strip()
    return f"{record.getMessage()} — {error} at {frames[-1] if frames else '?'}"


@contextmanager
def one_example():
    """One hypothesis example, rolled back afterwards: a value accepted in one example
    cannot change what the next one meets (a refused one is checked for writes before the
    roll-back). The cache is emptied too, so the API's rate limit never answers instead of
    the view. Any error logged on the way fails the example."""
    cache.clear()
    forget_local()  # and what this process keeps (core/caching.py)
    with no_error_logged(), transaction.atomic():
        yield
        transaction.set_rollback(True)


# ------------------------------------------------------------------ what the user is told
def messages_of(response, level_tag=None) -> list[str]:
    """The flash messages this request left for the next page."""
    return [
        str(m)
        for m in get_messages(response.wsgi_request)
        if level_tag is None or m.level_tag == level_tag
    ]


def form_errors(response, name="form") -> list[str]:
    form = response.context[name]
    return [str(e) for errors in form.errors.values() for e in errors]


def carries_nul(value) -> bool:
    """Whether a query or form (keys, values, lists of values) holds a NUL character."""
    if isinstance(value, dict):
        return any(carries_nul(k) or carries_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(carries_nul(v) for v in value)
    return isinstance(value, str) and "\x00" in value


def refused_for_nul(response, data) -> bool:
    """True when `data` holds a NUL character, after checking the answer is the site's
    refusal of it (ocop_site.middleware.refuse_nul_bytes): a 400 that says why in words.
    Such a request never reaches a form, so the form's own checks are not asked for."""
    if not carries_nul(data):
        return False
    assert response.status_code == 400, response.status_code
    assert says_something(response.content.decode())
    return True


def post_form(client, url, data):
    """POST as a browser sends a form without a file: URL-encoded. (The test client's default
    multipart encoding caps a field's header at 1,024 bytes, so a long field name would be
    refused by Django's parser before it ever reached the view.)"""
    return client.post(
        url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
    )


def assert_not_a_crash(response):
    assert response.status_code < 500, f"{response.status_code} for {response.request}"
