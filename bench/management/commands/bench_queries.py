import json
import statistics
import time
from pathlib import Path
from unittest import mock

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from evaluation import scoring

_CLIENT = None


def _client(cookie: str | None) -> Client:
    """One client for the whole run, its cookies set anew: a new client loads the
    middleware again on its first request (whitenoise lists every static file), which
    would be timed with the tick."""
    global _CLIENT
    if _CLIENT is None:
        _CLIENT = Client(HTTP_HOST="localhost")
    client = _CLIENT
    client.cookies.clear()
    for part in filter(None, (cookie or "").split("; ")):
        name, _eq, value = part.partition("=")
        client.cookies[name] = value
    return client


def _count(client, method, path, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, data) if data else getattr(client, method)(path)
    if response.status_code >= 400:
        raise SystemExit(f"{method.upper()} {path}: {response.status_code}")
    return len(queries)


class Command(BaseCommand):
    help = (
        "Bench databases only: the queries each page of `make bench` runs, kept (asked a "
        "second time) and rendered (a new address), and the tick's statements and time in "
        "this process, by its fast path and by the full one. Reads a JSON list of pages "
        "({name, path, cookie?, kept?}) and the ticks file; prints JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("pages", type=Path)
        parser.add_argument("--ticks", type=Path, help="The autosave ticks file (bench/run.py).")
        parser.add_argument("--tick-count", type=int, default=200)

    def handle(self, *args, pages, ticks, tick_count, **options):
        out = {}
        for n, page in enumerate(json.loads(pages.read_text(encoding="utf-8"))):
            client = _client(page.get("cookie"))
            path = page["path"]
            separator = "&" if "?" in path else "?"
            counts = {"rendered": _count(client, "get", f"{path}{separator}_q={n}")}
            if page.get("kept"):
                _count(client, "get", path)
                counts["kept"] = _count(client, "get", path)
            out[page["name"]] = counts
        if ticks:
            out["scorecard save"] = self._ticks(ticks, tick_count)
        self.stdout.write(json.dumps(out))

    def _ticks(self, ticks: Path, count: int) -> dict:
        """Each tick of the file's first lines twice: by the fast path, then (with
        quick_tick answering None) by the full path, from the same state."""
        lines = ticks.read_text(encoding="utf-8").splitlines()
        half = len(lines) // 2
        result = {}
        for label, patch in (("fast", None), ("full", mock.patch.object(scoring, "quick_tick"))):
            if patch:
                patch.start().return_value = None
            # The first half of the file moves each answer away, the second half back.
            chosen = lines[: count // 2] + lines[half : half + count // 2]
            seconds, statements, begins = [], [], []
            try:
                for line in chosen:
                    path, cookie, _header, _token, body = line.split("\t")
                    data = dict(pair.split("=") for pair in body.split("&"))
                    client = _client(cookie)
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        response = client.post(path, data)
                        seconds.append(time.perf_counter() - started)
                    if response.status_code != 200:
                        raise SystemExit(f"tick {path} {body}: {response.status_code}")
                    statements.append(len(queries))
                    begins.append(sum(q["sql"].startswith("BEGIN") for q in queries))
            finally:
                if patch:
                    patch.stop()
            result[label] = {
                "ticks": len(chosen),
                "ms_p50": round(statistics.median(seconds) * 1000, 2),
                "statements": max(statements),
                "statements_min": min(statements),
                "write_locks": max(begins),
            }
        return result
