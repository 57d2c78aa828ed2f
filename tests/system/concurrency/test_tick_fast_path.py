"""The tick's fast path (scoring.quick_tick) racing, through the real view, real threads.

The card exists already, so every request below takes the fast path: one statement locks
the card (SELECT … FOR UPDATE) and checks every rule, then the answers are read after the
lock. Two tabs ticking different criteria must both count in the total; the same
criterion from two tabs leaves one answer, and the events tell every change in order;
a tick racing the submission is either in the submitted card or refused.
"""

from django.urls import reverse

from evaluation import scoring
from evaluation.models import Answer, Criterion, Scorecard, ScorecardEvent
from tests.system.concurrency.conftest import (
    errors,
    needs_postgresql,
    run_together,
    same_session,
    signed_in,
)

pytestmark = needs_postgresql


def ranked_options(dossier):
    criteria = Criterion.objects.filter(sheet=dossier.sheet).prefetch_related("options")
    return [(c.id, sorted(c.options.all(), key=lambda o: o.points)) for c in criteria]


def tabs(user, count):
    first = signed_in(user)
    return [first] + [same_session(first) for _ in range(count - 1)]


def test_twenty_tabs_ticking_twenty_criteria_of_an_open_card_count_every_tick(cast, people):
    dossier, member = cast["dossier"], people["member1"]
    card = scoring.member_card(dossier, member)
    picks = [(c, ranked[-1]) for c, ranked in ranked_options(dossier)[:20]]
    clients = tabs(member, 20)
    url = reverse("evaluation:autosave", kwargs={"pk": dossier.pk})

    outcomes = run_together(
        20, lambda i: clients[i].post(url, {"criterion": picks[i][0], "option": picks[i][1].id})
    )

    assert errors(outcomes) == []
    assert [o.value.status_code for o in outcomes] == [200] * 20
    card.refresh_from_db()
    expected = sum(o.points for _c, o in picks)
    # Each tick read the answers after taking the lock: none computed a total without
    # another tab's tick committed while it waited.
    assert card.total == expected
    assert max(o.value.json()["total"] for o in outcomes) == expected
    assert sorted(
        Answer.objects.filter(scorecard=card).values_list("criterion_id", "option_id")
    ) == sorted((c, o.id) for c, o in picks)
    events = ScorecardEvent.objects.filter(scorecard=card, action="tick")
    assert sorted(events.values_list("criterion_id", flat=True)) == sorted(c for c, _o in picks)


def test_two_options_of_one_criterion_at_once_leave_one_answer_and_a_true_history(cast, people):
    dossier, member = cast["dossier"], people["member1"]
    card = scoring.member_card(dossier, member)
    criterion_id, ranked = ranked_options(dossier)[0]
    choices = [ranked[i % 2] for i in range(12)]  # a double click between two options
    clients = tabs(member, 12)
    url = reverse("evaluation:autosave", kwargs={"pk": dossier.pk})

    outcomes = run_together(
        12, lambda i: clients[i].post(url, {"criterion": criterion_id, "option": choices[i].id})
    )

    assert errors(outcomes) == []
    assert [o.value.status_code for o in outcomes] == [200] * 12
    [answer] = Answer.objects.filter(scorecard=card)
    card.refresh_from_db()
    kept = next(o for o in ranked if o.id == answer.option_id)
    assert card.total == kept.points
    # The events chain: each one's before is the one before's after, the last is the answer.
    chain = list(ScorecardEvent.objects.filter(scorecard=card).order_by("pk"))
    assert chain[0].before is None
    for earlier, later in zip(chain, chain[1:], strict=False):
        assert later.before == {"option": earlier.after["option"]}
    assert chain[-1].after["option"] == answer.option_id


def test_ticks_racing_the_submission_are_in_the_submitted_card_or_refused(cast, people):
    dossier, member = cast["dossier"], people["member1"]
    card = scoring.member_card(dossier, member)
    sheet = ranked_options(dossier)
    for criterion_id, ranked in sheet:
        card = scoring.tick(card, criterion_id, ranked[0].id, member)  # the lowest everywhere
    clients = tabs(member, 11)
    autosave = reverse("evaluation:autosave", kwargs={"pk": dossier.pk})
    submit = reverse("evaluation:submit", kwargs={"pk": dossier.pk})

    def work(i):
        if i == 0:
            return clients[i].post(submit)
        criterion_id, ranked = sheet[i]
        return clients[i].post(autosave, {"criterion": criterion_id, "option": ranked[-1].id})

    outcomes = run_together(11, work)

    assert errors(outcomes) == []
    assert outcomes[0].value.status_code == 302
    codes = [o.value.status_code for o in outcomes[1:]]
    assert set(codes) <= {200, 409}
    card = Scorecard.objects.get(pk=card.pk)
    assert card.status == Scorecard.Status.SUBMITTED
    answers = dict(Answer.objects.filter(scorecard=card).values_list("criterion_id", "option_id"))
    for i, code in enumerate(codes, start=1):
        criterion_id, ranked = sheet[i]
        # A tick answered 200 is in the card; one refused (409) left the lowest option.
        assert answers[criterion_id] == (ranked[-1].id if code == 200 else ranked[0].id)
    points = {o.id: o.points for _c, ranked in sheet for o in ranked}
    assert card.total == sum(points[o] for o in answers.values())
    submitted = ScorecardEvent.objects.get(scorecard=card, action="submit")
    assert submitted.after["total"] == card.total
    assert not ScorecardEvent.objects.filter(
        scorecard=card, action="tick", pk__gt=submitted.pk
    ).exists()
