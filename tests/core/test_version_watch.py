"""core/version_watch.py: on PostgreSQL a kept page is served without asking the database
while nothing has changed, and never after a change: one made by this process, by another
worker of this machine (the stamp), or on another machine (the notification).

Outside a test's transaction (transaction=True): notifications and the fast path exist
only between transactions, as in a worker serving requests."""

import select
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import version_watch
from core.models import PublicChange
from evaluation import certificates
from tests.conftest import load_reference_data
from tests.factories import ProductFactory, act, certificate_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def places(transactional_db):
    # The test before may have emptied every table (transactional).
    load_reference_data(rulebooks=["qd148-2023"])


@pytest.fixture(autouse=True)
def persistent_connection(monkeypatch):
    """As a worker runs (CONN_MAX_AGE 60): one connection across requests. make test
    closes it after each request (CONN_MAX_AGE=0), and a new one knows nothing."""
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    yield
    connection.close()


@pytest.fixture
def stamp_dir(settings, tmp_path):
    settings.PUBLIC_CHANGE_STAMP_DIR = str(tmp_path)
    return tmp_path


@pytest.fixture
def product(stamp_dir):
    return ProductFactory(name="Trà sen Tây Hồ", stars=5)


def page(product):
    return reverse("catalogue:product", args=[product.slug])


def kept_queries(client, url) -> int:
    """Queries of a kept page's third request (the first keeps it, the second reads its
    version)."""
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    return len(queries)


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite reads its version in process: nothing to watch")


def in_another_session(*statements):
    """What a worker on another machine does: its own connection and transaction."""

    def work():
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("BEGIN")
                for statement in statements:
                    cursor.execute(statement)
                cursor.execute("COMMIT")
        finally:
            other.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


def wait_for_notification(seconds=5.0):
    raw = connection.connection
    ready, _w, _x = select.select([raw], [], [], seconds)
    assert ready, "no notification arrived"


def test_a_kept_page_asks_nothing_while_nothing_changed(client, product):
    postgresql_only()
    assert kept_queries(client, page(product)) == 0


def test_sqlite_asks_each_time(client, product):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL knows its version between changes")
    assert kept_queries(client, page(product)) == 1


def test_a_revocation_shows_on_the_very_next_request(client, product, people):
    url = page(product)
    check = reverse("evaluation:verify", args=[certificate_of(product).number])
    for address in (url, check):
        kept_queries(client, address)
    certificates.revoke(
        certificate_of(product),
        ground=certificate_of(product).Ground.choices[0][0],
        inspection_reference="KL-07/2026",
        concluded_on=timezone.localdate(),
        actor=people["inspector"],
        act=act(),
    )
    assert client.get(url).status_code == 404
    verdict = client.get(check)
    assert verdict["X-Page-Cache"] == "miss"
    assert 'class="alert alert-danger" id="verdict"' in verdict.content.decode()


def test_a_change_on_another_machine_drops_the_page_when_its_word_arrives(client, product):
    postgresql_only()
    url = page(product)
    assert kept_queries(client, url) == 0
    # Another machine renames the product and announces it: rows and NOTIFY, committed
    # there. This machine's stamp does not move.
    in_another_session(
        f"UPDATE registry_product SET name = 'Trà sen mới' WHERE id = {product.pk}",
        f"INSERT INTO core_publicchange (tag, at) VALUES ('product:{product.pk}', now())",
        f"NOTIFY {version_watch.CHANNEL}",
    )
    wait_for_notification()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Trà sen mới" in response.content.decode()


def test_a_change_by_another_worker_of_this_machine_is_seen_at_once(client, product):
    postgresql_only()
    url = page(product)
    assert kept_queries(client, url) == 0
    # Another worker: its rows committed, its stamp bumped after commit; its notification
    # not yet arrived (none sent here): the stamp alone is enough.
    in_another_session(
        f"UPDATE registry_product SET name = 'Trà sen mới' WHERE id = {product.pk}",
        f"INSERT INTO core_publicchange (tag, at) VALUES ('product:{product.pk}', now())",
    )
    version_watch._bump_stamp()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Trà sen mới" in response.content.decode()


def test_without_a_stamp_every_version_is_read(client, product, stamp_dir):
    postgresql_only()
    url = page(product)
    assert kept_queries(client, url) == 0
    (stamp_dir / version_watch.STAMP_NAME).unlink()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
        client.get(url)
    assert len(queries) == 2


def test_a_new_connection_listens_again(client, product):
    postgresql_only()
    url = page(product)
    assert kept_queries(client, url) == 0
    connection.close()
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert (len(first), len(second)) == (1, 0)  # the new session reads once, then knows
    in_another_session(
        f"UPDATE registry_product SET name = 'Trà sen mới' WHERE id = {product.pk}",
        f"INSERT INTO core_publicchange (tag, at) VALUES ('product:{product.pk}', now())",
        f"NOTIFY {version_watch.CHANNEL}",
    )
    wait_for_notification()
    assert "Trà sen mới" in client.get(url).content.decode()


def test_what_a_connection_keeps_is_bounded(client, product, monkeypatch):
    postgresql_only()
    monkeypatch.setattr(version_watch, "MAX_KNOWN", 3)
    client.get(page(product))
    for n in range(10):
        token = version_watch.begin()
        version_watch.remember(token, ("version", frozenset({f"product:{n}"})), str(n))
    (state,) = [s for raw, s in version_watch._states.items() if raw is connection.connection]
    assert len(state.known) == 3


def test_inside_a_transaction_it_always_asks(client, product):
    postgresql_only()
    from django.db import transaction

    client.get(page(product))
    with transaction.atomic():
        assert version_watch.begin() is None
        assert version_watch.known(("version", frozenset())) is None
        assert PublicChange.objects.exists()
