"""Many requests on one scorecard at once, through the real views, with real threads.

A double click, a member with the card open in many tabs, an autosave retried by a flaky
connection: every request must get a sensible answer (never a 500) and the database must
hold one submission, one result and each tick once. The council is Hoài Đức district's
under Decision 148 (a chair, three members, a secretary; quorum 75 % with the chair),
scoring a set-1 dossier on a 32-criterion sheet.
"""

import pytest
from django.urls import reverse

from evaluation import scoring
from evaluation.models import (
    Answer,
    CouncilResult,
    Criterion,
    Dossier,
    DossierStatusChange,
    Scorecard,
    ScorecardEvent,
)
from tests.system.concurrency.conftest import (
    errors,
    messages_of,
    needs_postgresql,
    run_together,
    same_session,
    signed_in,
)

pytestmark = needs_postgresql

S = Dossier.Status
Event = ScorecardEvent.Action
SCORERS = ("chair", "member1", "member2", "member3")


@pytest.fixture
def dossier(cast):
    """The shared cast's dossier: Hoài Đức's council scoring a set-1 product."""
    return cast["dossier"]


def best_options(dossier) -> dict[int, object]:
    """Each criterion's highest option, by criterion id, in sheet order."""
    criteria = Criterion.objects.filter(sheet=dossier.sheet).prefetch_related("options")
    return {c.id: max(c.options.all(), key=lambda o: o.points) for c in criteria}


def fill(dossier, user) -> Scorecard:
    """Open the member's card and tick the best option everywhere (100 points), unsubmitted."""
    card = scoring.member_card(dossier, user)
    for criterion_id, option in best_options(dossier).items():
        card = scoring.tick(card, criterion_id, option.id, user)
    return card


def tabs(user, count):
    """`count` clients on one session of `user`: the same member in many tabs."""
    first = signed_in(user)
    return [first] + [same_session(first) for _ in range(count - 1)]


def test_twenty_submits_of_one_card_at_once_leave_one_submission_and_one_result(dossier, people):
    for name in ("chair", "member1"):
        scoring.submit(fill(dossier, people[name]), people[name])
    card = fill(dossier, people["member2"])  # the third card of four makes the quorum
    results_before = CouncilResult.history.filter(dossier_id=dossier.pk).count()
    clients = tabs(people["member2"], 20)
    url = reverse("evaluation:submit", kwargs={"pk": dossier.pk})

    outcomes = run_together(20, lambda i: clients[i].post(url))

    assert errors(outcomes) == []
    responses = [o.value for o in outcomes]
    assert [r.status_code for r in responses] == [302] * 20
    assert {r["Location"] for r in responses} == {
        reverse("evaluation:dossier", kwargs={"pk": dossier.pk})
    }
    # A repeated submission changes nothing and says so as the first did.
    assert [messages_of(r) for r in responses] == [["Your card is submitted and locked."]] * 20
    card.refresh_from_db()
    assert card.status == Scorecard.Status.SUBMITTED
    assert ScorecardEvent.objects.filter(scorecard=card, action=Event.SUBMIT).count() == 1
    assert ScorecardEvent.objects.filter(scorecard=card, action=Event.TICK).count() == 32
    assert Answer.objects.filter(scorecard=card).count() == 32
    # The result was computed once, for this card, and the dossier moved once.
    [result] = CouncilResult.objects.filter(dossier=dossier)
    assert (result.outcome, result.cards, result.mean) == ("final", 3, 100)
    assert CouncilResult.history.filter(dossier_id=dossier.pk).count() == results_before + 1
    assert DossierStatusChange.objects.filter(dossier=dossier, to_status=S.RESULT).count() == 1
    dossier.refresh_from_db()
    assert dossier.status == S.RESULT


def test_twenty_autosaves_of_one_card_at_once_keep_every_tick_once(dossier, people):
    member = people["member1"]
    best = list(best_options(dossier).items())[:10]
    clients = tabs(member, 20)
    url = reverse("evaluation:autosave", kwargs={"pk": dossier.pk})

    def autosave(i):
        # Each of ten criteria from two tabs at once; the card does not exist yet, so the
        # first requests also race to open it.
        criterion_id, option = best[i % 10]
        return clients[i].post(url, {"criterion": criterion_id, "option": option.id})

    outcomes = run_together(20, autosave)

    assert errors(outcomes) == []
    responses = [o.value for o in outcomes]
    assert [r.status_code for r in responses] == [200] * 20
    [card] = Scorecard.objects.filter(dossier=dossier, author=member)
    answers = Answer.objects.filter(scorecard=card).values_list("criterion_id", "option_id")
    assert sorted(answers) == sorted((c, o.id) for c, o in best)
    ticks = ScorecardEvent.objects.filter(scorecard=card, action=Event.TICK)
    assert sorted(ticks.values_list("criterion_id", flat=True)) == sorted(c for c, _o in best)
    # Every tick counted in the total: none overwritten by a total computed without it.
    expected = sum(o.points for _c, o in best)
    assert card.total == expected
    assert max(r.json()["total"] for r in responses) == expected


def test_the_four_scorers_submitting_at_once_make_one_result_of_four_cards(dossier, people):
    scorers = [people[name] for name in SCORERS]
    cards = [fill(dossier, member) for member in scorers]
    clients = [signed_in(member) for member in scorers]
    url = reverse("evaluation:submit", kwargs={"pk": dossier.pk})

    outcomes = run_together(4, lambda i: clients[i].post(url))

    assert errors(outcomes) == []
    assert [o.value.status_code for o in outcomes] == [302] * 4
    for card in cards:
        card.refresh_from_db()
        assert card.status == Scorecard.Status.SUBMITTED
    assert (
        ScorecardEvent.objects.filter(scorecard__dossier=dossier, action=Event.SUBMIT).count() == 4
    )
    # Each submission counts the cards submitted before it, the others' included.
    [result] = CouncilResult.objects.filter(dossier=dossier)
    assert (result.outcome, result.cards, result.mean) == ("final", 4, 100)
    assert DossierStatusChange.objects.filter(dossier=dossier, to_status=S.RESULT).count() == 1
    dossier.refresh_from_db()
    assert dossier.status == S.RESULT
