"""The scorecard tick (autosave) through the view: its fast path's statements and lock.

Issue 17: a tick in at most 9 statements, the same number on a card with one answer and on
a full card, holding SQLite's write lock once (one BEGIN IMMEDIATE; two before: opening
the card and ticking each took it). Transactional tests, so the view's own transaction is
what is counted (not a savepoint inside the test's).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import scoring
from evaluation.models import Answer, Criterion, ScorecardEvent
from tests.conftest import load_reference_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def units_and_decision_148(transactional_db):
    # The test before may have emptied every table (transactional): Decision 148 only.
    load_reference_data(rulebooks=["qd148-2023"])


def sheet_options(dossier):
    criteria = Criterion.objects.filter(sheet=dossier.sheet).prefetch_related("options")
    return [(c.pk, sorted(c.options.all(), key=lambda o: o.points)) for c in criteria]


def statements(client, url, data):
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data)
    assert response.status_code == 200, response.content
    return response, [q["sql"] for q in ctx.captured_queries]


def test_a_tick_takes_at_most_nine_statements_and_one_write_lock_at_two_card_sizes(cast, client):
    dossier, member = cast["dossier"], cast["member1"]
    card = scoring.member_card(dossier, member)
    client.force_login(member)
    url = reverse("evaluation:autosave", kwargs={"pk": dossier.pk})
    sheet = sheet_options(dossier)
    (first, first_options), rest = sheet[0], sheet[1:]

    _r, small = statements(client, url, {"criterion": first, "option": first_options[-1].pk})
    for criterion_id, ranked in rest:
        scoring.tick(card, criterion_id, ranked[-1].pk, member)
    response, full = statements(client, url, {"criterion": first, "option": first_options[0].pk})

    assert len(small) == len(full) <= 9, full
    if connection.vendor == "sqlite":
        # The write lock is taken when a transaction begins (transaction_mode IMMEDIATE).
        assert sum(sql.startswith("BEGIN") for sql in full) == 1, full
    else:
        # The card is locked by the access check, a statement prepared once per
        # connection (core/prepared.py): executed once a tick, and locking.
        assert sum(sql.startswith("EXECUTE ocop_quick_tick(") for sql in full) == 1, full
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT statement FROM pg_prepared_statements WHERE name = 'ocop_quick_tick'"
            )
            [(prepared,)] = cursor.fetchall()
        assert prepared.rstrip().endswith("FOR UPDATE OF c")
    card.refresh_from_db()
    assert (
        response.json()["total"]
        == card.total
        == 100 - first_options[-1].points + (first_options[0].points)
    )
    assert Answer.objects.filter(scorecard=card).count() == len(sheet)
    last = ScorecardEvent.objects.filter(scorecard=card).latest("pk")
    assert last.actor == member and last.before == {"option": first_options[-1].pk}


def test_the_first_tick_opens_the_card_by_the_full_path_and_the_next_by_the_fast_one(cast, client):
    dossier, member = cast["dossier"], cast["member1"]
    client.force_login(member)
    url = reverse("evaluation:autosave", kwargs={"pk": dossier.pk})
    [(first, ranked), (second, ranked2)] = sheet_options(dossier)[:2]
    _r, opening = statements(client, url, {"criterion": first, "option": ranked[-1].pk})
    response, fast = statements(client, url, {"criterion": second, "option": ranked2[-1].pk})
    assert len(fast) < len(opening)
    assert response.json()["total"] == ranked[-1].points + ranked2[-1].points
