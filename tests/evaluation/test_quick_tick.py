"""scoring.quick_tick, the scorecard autosave's fast path, without HTTP.

It must save exactly what scoring.tick saves (answer, total, the audit event with who and
when) and, for anything the full path would refuse or treat specially, write nothing and
return None so the full path answers.
"""

import pytest
from django.utils import timezone

from evaluation import scoring
from evaluation.models import (
    Answer,
    ConflictDeclaration,
    CouncilMembership,
    Criterion,
    Dossier,
    Scorecard,
    ScorecardEvent,
)

pytestmark = pytest.mark.django_db
S = Dossier.Status


def options(dossier):
    """(criterion id, best option, worst option) for each criterion of the sheet."""
    found = []
    for criterion in Criterion.objects.filter(sheet=dossier.sheet).prefetch_related("options"):
        ranked = sorted(criterion.options.all(), key=lambda o: o.points)
        found.append((criterion.id, ranked[-1], ranked[0]))
    return found


@pytest.fixture
def card(cast):
    return scoring.member_card(cast["dossier"], cast["member1"])


def written(card):
    return (
        sorted(Answer.objects.filter(scorecard=card).values_list("criterion_id", "option_id")),
        ScorecardEvent.objects.filter(scorecard=card).count(),
        Scorecard.objects.get(pk=card.pk).total,
    )


def test_a_tick_saves_the_answer_the_total_and_who_ticked_it(cast, card):
    member, criterion, option = cast["member1"], cast["criterion"], cast["option"]
    saved = scoring.quick_tick(member, cast["dossier"].pk, criterion.pk, option.pk)
    assert saved.pk == card.pk and saved.total == option.points
    card.refresh_from_db()
    assert card.total == option.points and card.updated_at == saved.updated_at
    assert Answer.objects.get(scorecard=card).option_id == option.pk
    event = ScorecardEvent.objects.get(scorecard=card)
    assert (event.actor, event.action, event.criterion_id) == (member, "tick", criterion.pk)
    assert (event.before, event.after) == (None, {"option": option.pk, "points": option.points})
    assert event.at is not None


def test_the_same_tick_again_changes_nothing_and_another_option_is_recorded_with_before(cast, card):
    member, dossier = cast["member1"], cast["dossier"]
    criterion_id, best, worst = options(dossier)[0]
    scoring.quick_tick(member, dossier.pk, criterion_id, best.pk)
    again = scoring.quick_tick(member, dossier.pk, criterion_id, best.pk)
    assert again.total == best.points
    assert ScorecardEvent.objects.filter(scorecard=card).count() == 1
    changed = scoring.quick_tick(member, dossier.pk, criterion_id, worst.pk)
    assert changed.total == worst.points
    event = ScorecardEvent.objects.filter(scorecard=card).latest("pk")
    assert event.before == {"option": best.pk}
    assert event.after == {"option": worst.pk, "points": worst.points}
    assert Answer.objects.get(scorecard=card).option_id == worst.pk


def test_a_whole_card_by_the_fast_path_has_the_total_the_full_path_gives(cast, card, people):
    dossier = cast["dossier"]
    for criterion_id, best, _worst in options(dossier):
        assert scoring.quick_tick(cast["member1"], dossier.pk, criterion_id, best.pk)
    other = scoring.member_card(dossier, people["member2"])
    for criterion_id, best, _worst in options(dossier):
        other = scoring.tick(other, criterion_id, best.pk, people["member2"])
    card.refresh_from_db()
    assert card.total == other.total == 100
    # and the event trail has the same shape
    fast = ScorecardEvent.objects.filter(scorecard=card).values_list("criterion_id", "after")
    full = ScorecardEvent.objects.filter(scorecard=other).values_list("criterion_id", "after")
    assert sorted(fast) == sorted(full)


def nothing_written(cast, card, user=None, criterion=None, option=None):
    before = written(card)
    result = scoring.quick_tick(
        user or cast["member1"],
        cast["dossier"].pk,
        criterion or cast["criterion"].pk,
        option or cast["option"].pk,
    )
    assert result is None
    assert written(card) == before


def test_no_card_yet_takes_the_full_path_which_opens_it(cast):
    nothing_written(cast, scoring.member_card(cast["dossier"], cast["member1"]), cast["member2"])
    assert not Scorecard.objects.filter(author=cast["member2"]).exists()


def test_a_submitted_card_takes_the_full_path(cast, card):
    Scorecard.objects.filter(pk=card.pk).update(status="submitted", submitted_at=timezone.now())
    nothing_written(cast, card)


@pytest.mark.parametrize("status", [s for s in S.values if s not in scoring.OPEN_STATUSES])
def test_a_dossier_not_being_scored_takes_the_full_path(cast, card, status):
    Dossier.objects.filter(pk=cast["dossier"].pk).update(status=status)
    nothing_written(cast, card)


def test_the_result_stage_still_takes_ticks(cast, card):
    Dossier.objects.filter(pk=cast["dossier"].pk).update(status=S.RESULT)
    assert scoring.quick_tick(
        cast["member1"], cast["dossier"].pk, cast["criterion"].pk, cast["option"].pk
    )


def test_a_member_who_left_the_council_or_only_takes_minutes_takes_the_full_path(cast, card):
    seat = CouncilMembership.objects.filter(user=cast["member1"])
    seat.update(active=False)
    nothing_written(cast, card)
    seat.update(active=True, role="secretary")
    nothing_written(cast, card)


def test_a_conflict_of_interest_takes_the_full_path(cast, card):
    ConflictDeclaration.objects.create(
        user=cast["member1"], producer=cast["producer"], reason="họ hàng"
    )
    nothing_written(cast, card)


def test_an_account_of_the_producer_takes_the_full_path(cast, card):
    cast["producer"].users.add(cast["member1"])
    nothing_written(cast, card)


def test_another_members_card_is_never_ticked(cast, card):
    # member2 has no card; member1's card is not theirs to tick
    nothing_written(cast, card, user=cast["member2"])
    nothing_written(cast, card, user=cast["secretary"])


def test_an_option_of_another_criterion_or_sheet_takes_the_full_path(cast, card, qd26):
    [(first, _b1, _w1), (second, best2, _w2)] = options(cast["dossier"])[:2]
    nothing_written(cast, card, criterion=first, option=best2.pk)
    foreign = Criterion.objects.exclude(sheet=cast["dossier"].sheet).first()
    nothing_written(cast, card, criterion=foreign.pk, option=foreign.options.first().pk)
    nothing_written(cast, card, criterion=first, option=10**12)
