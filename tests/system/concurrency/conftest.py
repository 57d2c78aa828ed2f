"""Real threads on a real database: helpers for the race tests.

Each racing thread gets its own database connection (Django opens one per thread) and
closes it when done; a Barrier releases them all at once. The tests are transactional,
so the database is emptied after each one: the reference data is loaded again before
each test (Decision 148 only: these tests score on its sheet, and Decision 26/2026's 26
sheets would cost ~2.5 s a test); tests/conftest.py puts all of it back for the tests
that come after.
"""

import threading
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test import Client

from tests.conftest import load_reference_data

#: Every race test carries this mark. CI runs the suite on both databases, so they run there.
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no SELECT … FOR UPDATE and serialises writers "
    "(“database is locked”), so these races cannot happen there",
)


@pytest.fixture(autouse=True)
def units_and_decision_148(transactional_db):
    load_reference_data(rulebooks=["qd148-2023"])


@pytest.fixture(autouse=True)
def in_english(english):
    """Messages are asserted in their English msgids: reverse() gives /en/ addresses, and
    requests to them run in English in any thread. Reverse in the test, not in the racing
    thread: a thread does not inherit the active language, so there it gives Vietnamese."""


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None


def run_together(count: int, work, *, timeout: float = 120) -> list[Outcome]:
    """Run work(0) … work(count - 1) in `count` threads released together by a Barrier.

    Returns what each call returned or raised; a thread still running after `timeout`
    seconds (a deadlock) fails the test.
    """
    barrier = threading.Barrier(count, timeout=30)
    outcomes = [Outcome() for _ in range(count)]

    def target(index):
        try:
            barrier.wait()
            outcomes[index].value = work(index)
        except BaseException as exc:  # reported by the test's assertions
            outcomes[index].error = exc
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a racing thread is stuck (deadlock?)"
    return outcomes


def errors(outcomes: list[Outcome]) -> list[str]:
    return [repr(o.error) for o in outcomes if o.error is not None]


def signed_in(user) -> Client:
    """A test client with its own session for `user`."""
    client = Client()
    client.force_login(user)
    return client


def same_session(client: Client) -> Client:
    """Another client on the same session: a second tab or a double click."""
    other = Client()
    name = settings.SESSION_COOKIE_NAME
    other.cookies[name] = client.cookies[name].value
    return other


def messages_of(response) -> list[str]:
    """The messages a request left for the next page (a redirect's flash messages)."""
    return [str(message) for message in get_messages(response.wsgi_request)]
