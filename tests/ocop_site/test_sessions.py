"""ocop_site/sessions.py: Django's database sessions, read in one plain statement, keep
Django's rules: a live session loads, an expired or unknown key loads nothing and is
dropped (a new key is made on save), a tampered row is refused."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ocop_site.sessions import SessionStore

pytestmark = pytest.mark.django_db


def saved(**data):
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_live_session_loads_in_one_statement():
    key = saved(user="42")
    with CaptureQueriesContext(connection) as queries:
        assert SessionStore(key).load() == {"user": "42"}
    assert len(queries) == 1


def test_an_expired_session_loads_nothing_and_its_key_is_dropped():
    key = saved(user="42")
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None
    store["again"] = 1
    store.save()
    assert store.session_key != key  # never the expired key brought back


def test_an_unknown_key_loads_nothing():
    store = SessionStore("x" * 32)
    assert store.load() == {} and store.session_key is None


def test_a_tampered_row_is_refused():
    key = saved(user="42")
    Session.objects.filter(pk=key).update(session_data="eyJ1c2VyIjoiMSJ9:forged:sig")
    assert SessionStore(key).load() == {}
