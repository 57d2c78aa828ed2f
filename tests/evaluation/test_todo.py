"""The to-do rules (evaluation.todo) without HTTP: who has what to do, in each dossier state,
inside their scope only, with the dossier pages' own due dates.

Today is Tuesday 1 December 2026. The cast's dossier is Hoài Đức district's Decision 148
round, whose dossiers had to be finished by 21 July 2026 (Decision 26/2026 Điều 12 khoản 2):
every task on it is late, due 21/07/2026, as the dossier list says.
"""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from evaluation import presenters, todo
from evaluation.models import Answer, ConflictDeclaration, Dossier, Scorecard
from evaluation.validity import add_months
from tests.factories import ProductFactory, certify, give_result, make_dossier

pytestmark = pytest.mark.django_db

S = Dossier.Status
TODAY = date(2026, 12, 1)
TRANSITION_DUE = date(2026, 7, 21)
SUBMITTED = {
    "status": Scorecard.Status.SUBMITTED,
    "submitted_at": timezone.make_aware(datetime.combine(TODAY, time(8))),
}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.combine(TODAY, time(9)), tick=False):
        yield


def kinds(user, dossier=None):
    """{kind} of `user`'s tasks (on `dossier` only, when given)."""
    return {
        task.kind
        for task in todo.tasks_for(user, TODAY)
        if dossier is None or task.dossier == dossier
    }


def set_status(dossier, status):
    Dossier.objects.filter(pk=dossier.pk).update(status=status)
    dossier.refresh_from_db()
    return dossier


SCORING_CAST = {
    "chair": {"score"},
    "member1": {"score"},
    "member2": {"score"},
    "member3": {"score"},
    "secretary": {"follow_cards"},
    "district_office": {"follow_cards"},
    "city_office": set(),
    "central_office": set(),
    "far_office": set(),
    "inspector": set(),
    "far_inspector": set(),
    "outsider": set(),
    "citizen": set(),
    "owner": set(),
    "stranger": set(),
}


@pytest.mark.parametrize("who", sorted(SCORING_CAST))
def test_while_the_council_scores_members_score_and_those_running_it_follow_the_cards(cast, who):
    assert kinds(cast[who]) == SCORING_CAST[who]


# Each dossier state → who has which task on it (everyone else: none).
BY_STATE = {
    S.DRAFT: {"owner": {"file"}},
    S.SUBMITTED: {"secretary": {"check"}, "district_office": {"check"}},
    S.RETURNED: {"owner": {"complete"}},
    S.CHECKED: {"secretary": {"open_scoring"}, "district_office": {"open_scoring"}},
    S.RESULT: {"district_office": {"decide"}},
    S.RECOGNISED: {},
    S.FORWARDED: {},
    S.NOT_RECOGNISED: {},
}


@pytest.mark.parametrize("status", list(BY_STATE))
def test_each_state_gives_its_task_to_the_one_who_acts_and_to_nobody_else(cast, status):
    dossier = set_status(cast["dossier"], status)
    if status == S.RESULT:
        give_result(dossier, 3, "60")
    for who in SCORING_CAST:
        assert kinds(cast[who], dossier) == BY_STATE[status].get(who, set()), who


def test_an_administrator_acts_as_every_office(cast):
    dossier = set_status(cast["dossier"], S.RESULT)
    assert kinds(cast["admin"], dossier) == {"decide"}
    set_status(dossier, S.DRAFT)
    assert kinds(cast["admin"], dossier) == set()  # a draft is the producer's


@pytest.mark.parametrize("status", [S.SUBMITTED, S.CHECKED, S.SCORING])
@pytest.mark.parametrize("who", ["admin", "district_office", "secretary"])
def test_those_who_run_the_round_see_each_dossier_once(cast, status, who):
    """Once, not once per member of its council (the council has five)."""
    dossier = set_status(cast["dossier"], status)
    tasks = [t for t in todo.tasks_for(cast[who], TODAY) if t.dossier == dossier]
    assert len(tasks) == 1


def test_a_member_sees_how_far_along_their_card_is_and_loses_the_task_once_submitted(cast):
    (task,) = todo.tasks_for(cast["member1"], TODAY)
    assert (task.action, task.done, task.of) == ("Chấm điểm", 0, 32)
    card = Scorecard.objects.create(dossier=cast["dossier"], author=cast["member1"])
    criteria = list(cast["sheet"].criteria.order_by("position")[:2])
    for criterion in criteria:
        Answer.objects.create(scorecard=card, criterion=criterion, option=criterion.options.first())
    (task,) = todo.tasks_for(cast["member1"], TODAY)
    assert (task.done, task.of) == (2, 32)
    (follow,) = todo.tasks_for(cast["secretary"], TODAY)
    assert (follow.action, follow.done, follow.of) == ("Theo dõi phiếu chấm", 0, 4)
    Scorecard.objects.filter(pk=card.pk).update(
        status=Scorecard.Status.SUBMITTED, submitted_at=timezone.now()
    )
    assert todo.tasks_for(cast["member1"], TODAY) == []
    (follow,) = todo.tasks_for(cast["secretary"], TODAY)
    assert (follow.done, follow.of) == (1, 4)


def test_all_cards_in_leaves_the_secretary_nothing_to_chase(cast):
    for who in ("chair", "member1", "member2", "member3"):
        Scorecard.objects.create(dossier=cast["dossier"], author=cast[who], **SUBMITTED)
    assert kinds(cast["secretary"]) == set()


def test_a_member_with_a_declared_conflict_has_nothing_to_score(cast):
    ConflictDeclaration.objects.create(
        user=cast["member2"], producer=cast["producer"], reason="Anh em họ"
    )
    assert kinds(cast["member2"]) == set()
    assert kinds(cast["member1"]) == {"score"}


def test_due_dates_and_overdue_marks_are_the_dossier_pages_own(cast, qd148):
    (task,) = todo.tasks_for(cast["member1"], TODAY)
    rulebooks = {qd148.pk: qd148}
    dossier = presenters.with_clock_fields(Dossier.objects.filter(pk=cast["dossier"].pk)).get()
    (row,) = presenters.dossier_rows([dossier], rulebooks | _all_rulebooks(), TODAY)
    assert task.due == row.next.deadline.due == TRANSITION_DUE
    assert task.late and row.late
    assert task.article == "Điều 12 khoản 2"


def _all_rulebooks():
    from evaluation.models import Rulebook

    return {r.pk: r for r in Rulebook.objects.all()}


def certified_expiring_in(product, days):
    """A certificate of `product` issued so that it expires `days` from today."""
    expires = TODAY + timedelta(days=days)
    return certify(product, issued_on=add_months(expires, -36))


@pytest.mark.parametrize(
    ("days_to_expiry", "listed", "late"),
    [
        (300, False, False),  # window not yet open (opens 180 days before)
        (181, False, False),
        (180, True, False),  # opens today
        (150, True, False),
        (120, True, False),  # closes today
        (100, True, True),  # closed 20 days ago, still in force
        (-5, False, False),  # expired
    ],
)
def test_a_producer_renews_in_the_window_and_is_late_once_it_closes(
    cast, days_to_expiry, listed, late
):
    product = ProductFactory(producer=cast["producer"], certified=False)
    certificate = certified_expiring_in(product, days_to_expiry)
    found = [t for t in todo.tasks_for(cast["owner"], TODAY) if t.kind == "renew"]
    assert bool(found) == listed
    if listed:
        (task,) = found
        assert task.certificate == certificate
        assert task.due == certificate.expires_on - timedelta(days=120)
        assert task.late == late
        assert task.action == "Gia hạn"
    # Nobody else renews a producer's certificate.
    for who in ("stranger", "district_office", "city_office", "inspector", "member1"):
        assert "renew" not in kinds(cast[who])


def test_a_re_evaluation_under_way_ends_the_renewal_task(cast, qd148):
    product = ProductFactory(producer=cast["producer"], certified=False)
    certified_expiring_in(product, 150)
    assert "renew" in kinds(cast["owner"])
    make_dossier(cast["round"], S.DRAFT, product=product, kind=Dossier.Kind.REEVALUATION)
    assert "renew" not in kinds(cast["owner"])


def test_another_councils_and_provinces_dossiers_never_appear(cast, qd148, people):
    from tests.factories import bare_round, district, province

    elsewhere = bare_round(qd148, "district", district("282"), "Mỹ Đức 2024 đợt 1")
    far = bare_round(qd148, "province", province("33"), "Hưng Yên 2024")
    for round_ in (elsewhere, far):
        make_dossier(round_, S.RESULT)
        make_dossier(round_, S.SUBMITTED)
    mine = {t.dossier.round_id for t in todo.tasks_for(cast["district_office"], TODAY)}
    assert mine == {cast["round"].pk}
    assert kinds(cast["far_office"]) == {"check", "decide"}
    assert {t.dossier.round_id for t in todo.tasks_for(cast["far_office"], TODAY)} == {far.pk}


def test_late_tasks_come_first_then_the_nearest(cast):
    product = ProductFactory(producer=cast["producer"], certified=False)
    certified_expiring_in(product, 150)  # due in 30 days
    make_dossier(cast["round"], S.RETURNED, product=ProductFactory(producer=cast["producer"]))
    tasks = todo.tasks_for(cast["owner"], TODAY)
    assert [t.kind for t in tasks] == ["complete", "renew"]
    assert tasks[0].late and not tasks[1].late


def test_the_menus_count_is_kept_and_dropped_when_work_changes(cast, django_assert_num_queries):
    assert todo.count_for(cast["member1"], TODAY) == 1
    with django_assert_num_queries(0):
        assert todo.count_for(cast["member1"], TODAY) == 1
    Scorecard.objects.create(dossier=cast["dossier"], author=cast["member1"], **SUBMITTED)
    assert todo.count_for(cast["member1"], TODAY) == 0


def test_who_lands_on_the_to_do_page(cast):
    landing = {who for who in SCORING_CAST if todo.has_role(cast[who])}
    assert landing == set(SCORING_CAST) - {"citizen"}
