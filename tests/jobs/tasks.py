"""Jobs for the tests, importable by a worker in another process (tests/ is a package and
manage.py runs from the repository's root). Each leaves its trace in a file, which a test
reads whichever process ran it."""

import os
import time
from pathlib import Path

from jobs.queue import job


def _lines(path: str) -> list[str]:
    file = Path(path)
    return file.read_text(encoding="utf-8").splitlines() if file.exists() else []


def _append(path: str, line: str) -> None:
    with open(path, "a", encoding="utf-8") as file:
        file.write(line + "\n")


@job(attempts=3, backoff_seconds=0)
def note(path: str, text: str) -> str:
    _append(path, text)
    return text


@job(attempts=3, backoff_seconds=0)
def always_fails(message: str) -> None:
    raise RuntimeError(message)


@job(attempts=4, backoff_seconds=0)
def fails_twice(path: str) -> int:
    """Raises on its first two runs, succeeds on the third."""
    _append(path, "run")
    runs = len(_lines(path))
    if runs <= 2:
        raise ConnectionError(f"mail server away (run {runs})")
    return runs


@job(attempts=3, backoff_seconds=0)
def slow_first_time(path: str, seconds: float) -> str:
    """Writes "started <pid>", then on its first run sleeps `seconds` (long enough to be
    killed in), on a later run finishes at once."""
    first = not _lines(path)
    _append(path, f"started {os.getpid()}")
    if first:
        time.sleep(seconds)
    _append(path, f"finished {os.getpid()}")
    return "done"


@job(attempts=2, backoff_seconds=0)
def daily_probe(day: str, path: str = "") -> str:
    """A daily job for the schedule's tests: notes each run with its day."""
    if path:
        _append(path, f"ran {day} {os.getpid()}")
    return day
