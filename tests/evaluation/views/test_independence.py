"""Scoring stays independent, and a producer's draft stays the producer's.

A council member whose own card is not submitted sees nothing of the other members' cards:
not their ticks, totals or status, in the change log, the card pages, the members' table,
the result or the admin. The producer sees the council's outcome only once the office has
decided, without members' names or totals, and not while a reopened result is re-scored.
Before filing, nobody but the producer opens the dossier; after filing, its self-assessment
and documents are frozen (409) until the council returns it.
"""

import pytest
from django.urls import reverse

from evaluation import decisions, scoring, workflow
from evaluation.models import Dossier, EliminationNote, Scorecard
from tests.evaluation.test_scoring import fill, score
from tests.factories import ProductFactory, act, make_dossier, pdf_upload

S = Dossier.Status


def page(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(f"evaluation:{name}", args=args))


def detail(client, user, dossier):
    return page(client, user, "dossier", dossier.pk)


def audit_text(response) -> str:
    """Everything the trail holds for the reader: headings, sentences, stored values."""
    return " ".join(
        f"{e.what} {e.sentence} {e.before} {e.after}"
        for day in response.context.get("audit", [])
        for e in day.entries
    )


# ---------------------------------------------------------------- members, while scoring
def test_a_member_still_scoring_sees_no_other_members_ticks_in_the_change_log(client, cast):
    dossier, people = cast["dossier"], cast
    fill(dossier, people["member1"])  # a draft: every criterion ticked, not submitted
    scoring.member_card(dossier, people["member2"])
    response = detail(client, people["member2"], dossier)
    assert response.status_code == 200
    log = audit_text(response)
    assert str(people["member1"]) not in log
    assert "progress" not in response.context
    assert response.context["result"] is None


def test_a_member_still_scoring_cannot_open_another_members_card(client, cast):
    dossier, people = cast["dossier"], cast
    other = score(dossier, people["member1"])  # submitted
    response = page(client, people["member2"], "card", dossier.pk, other.pk)
    assert response.status_code == 404
    assert page(client, people["member2"], "result", dossier.pk).status_code == 404


def test_after_submitting_a_member_sees_submitted_cards_but_never_a_draft(client, cast):
    dossier, people = cast["dossier"], cast
    submitted = score(dossier, people["member1"])
    draft = fill(dossier, people["member3"])
    mine = score(dossier, people["member2"])
    assert page(client, people["member2"], "card", dossier.pk, submitted.pk).status_code == 200
    assert page(client, people["member2"], "card", dossier.pk, draft.pk).status_code == 404
    log = audit_text(detail(client, people["member2"], dossier))
    assert str(people["member1"]) in log
    assert str(people["member3"]) not in log
    assert mine.is_locked


def test_a_reopened_card_hides_the_others_again(client, cast):
    dossier, people = cast["dossier"], cast
    other = score(dossier, people["member1"])
    mine = score(dossier, people["member2"])
    scoring.reopen(mine, people["secretary"], "Thảo luận lại tiêu chí 1.1")
    assert page(client, people["member2"], "card", dossier.pk, other.pk).status_code == 404
    assert str(people["member1"]) not in audit_text(detail(client, people["member2"], dossier))


def test_the_secretary_follows_every_card_and_the_draft_ticks(client, cast):
    dossier, people = cast["dossier"], cast
    draft = fill(dossier, people["member1"])
    response = detail(client, people["secretary"], dossier)
    assert str(people["member1"]) in audit_text(response)
    assert "progress" in response.context
    assert page(client, people["secretary"], "card", dossier.pk, draft.pk).status_code == 200


def test_the_admin_shows_a_member_only_the_cards_they_may_see(client, cast):
    from django.contrib.auth.models import Permission

    dossier, people = cast["dossier"], cast
    draft = fill(dossier, people["member1"])
    member = people["member2"]
    member.is_staff = True
    member.save(update_fields=["is_staff"])
    member.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_scorecard", "view_councilresult"])
    )
    client.force_login(member)
    listing = client.get(reverse("admin:evaluation_scorecard_changelist"))
    assert listing.status_code == 200
    assert draft not in listing.context["cl"].queryset
    change = client.get(reverse("admin:evaluation_scorecard_change", args=[draft.pk]))
    assert change.status_code == 302  # the admin's "does not exist", as for a missing id


# ---------------------------------------------------------------- the producer
def _decided(cast, target=S.RECOGNISED):
    dossier, people = cast["dossier"], cast
    for name in ("chair", "member1", "member2", "member3"):
        score(dossier, people[name])
    dossier.refresh_from_db()
    assert dossier.status == S.RESULT
    return dossier


def test_the_producer_sees_no_result_before_the_office_decides(client, cast):
    dossier = _decided(cast)
    owner = cast["owner"]
    assert page(client, owner, "result", dossier.pk).status_code == 404
    assert detail(client, owner, dossier).context["result"] is None


def test_the_producer_sees_the_outcome_without_members_once_decided(client, cast):
    dossier = _decided(cast)
    decisions.decide(dossier, S.RECOGNISED, cast["district_office"], "QĐ 12/QĐ-UBND", act=act())
    response = page(client, cast["owner"], "result", dossier.pk)
    assert response.status_code == 200
    assert list(response.context["cards"]) == []
    body = response.content.decode()
    for name in ("chair", "member1", "member2", "member3"):
        assert str(cast[name]) not in body


def test_the_history_names_no_member_to_the_producer_nor_to_a_member_still_scoring(client, cast):
    # The card that completes the quorum moves the dossier to "result", its author recorded
    # as the mover: the status history and the change log must not say who that was.
    dossier, people = cast["dossier"], cast
    for name in ("chair", "member1", "member2"):
        score(dossier, people[name])
    fill(dossier, people["member3"])  # still scoring
    mover = dossier.history.get(to_status=S.RESULT).actor
    assert mover == people["member2"]
    decisions.decide(dossier, S.RECOGNISED, cast["district_office"], "QĐ 12/QĐ-UBND", act=act())
    for reader in ("member3", "owner"):
        body = detail(client, cast[reader], dossier).content.decode()
        for name in ("chair", "member1", "member2"):
            assert str(people[name]) not in body, f"{reader} reads {name}"
    # Those who see the members still see who moved it.
    history = detail(client, people["secretary"], dossier).context["history"]
    assert [move.actor for move in history if move.change.to_status == S.RESULT] == [mover]


def test_a_result_reopened_for_rescoring_disappears_for_the_producer(client, cast):
    dossier = _decided(cast)
    # Two cards reopened: the quorum (three of four) is lost and scoring resumes.
    for name in ("member1", "member2"):
        card = Scorecard.objects.get(dossier=dossier, author=cast[name])
        scoring.reopen(card, cast["secretary"], "Chấm lại sau thảo luận")
    dossier.refresh_from_db()
    assert dossier.status == S.SCORING
    assert page(client, cast["owner"], "result", dossier.pk).status_code == 404


# ---------------------------------------------------------------- drafts and filing
@pytest.fixture
def draft(cast):
    product = ProductFactory(producer=cast["producer"], name="Mật ong rừng", stars=None)
    return make_dossier(cast["round"], S.DRAFT, product=product)


@pytest.mark.parametrize(
    "who", ["chair", "member1", "secretary", "district_office", "inspector", "city_office"]
)
def test_nobody_but_the_producer_opens_an_unfiled_dossier(client, cast, draft, who):
    user = cast[who]
    assert detail(client, user, draft).status_code == 404
    self_card = scoring.self_assessment(draft, cast["owner"])
    assert page(client, user, "card", draft.pk, self_card.pk).status_code == 404


def test_the_producer_opens_and_fills_the_draft(client, cast, draft):
    owner = cast["owner"]
    assert detail(client, owner, draft).status_code == 200
    client.force_login(owner)
    upload = client.post(
        reverse("evaluation:upload", args=[draft.pk]),
        {"title": "Phiếu kiểm nghiệm", "file": pdf_upload("kiem-nghiem.pdf")},
    )
    assert upload.status_code == 302
    assert draft.documents.count() == 1


def test_after_filing_the_self_assessment_and_documents_are_frozen(client, cast, draft):
    owner = cast["owner"]
    card = scoring.self_assessment(draft, owner)
    workflow.transition(draft, S.SUBMITTED, owner, "")
    client.force_login(owner)
    criterion, option = cast["criterion"], cast["option"]
    tick = client.post(
        reverse("evaluation:self_autosave", args=[draft.pk]),
        {"criterion": criterion.pk, "option": option.pk},
    )
    assert tick.status_code == 409
    assert "trả lại" in tick.json()["error"] or "return" in tick.json()["error"]
    whole = client.post(
        reverse("evaluation:self", args=[draft.pk]), {f"c{criterion.pk}": option.pk}
    )
    assert whole.status_code == 409
    upload = client.post(
        reverse("evaluation:upload", args=[draft.pk]),
        {"title": "Thêm giấy tờ", "file": pdf_upload("them.pdf")},
    )
    assert upload.status_code == 409
    assert draft.documents.count() == 0
    assert not card.answers.exists()


def test_a_returned_dossier_can_be_completed_again(client, cast, draft):
    owner = cast["owner"]
    workflow.transition(draft, S.SUBMITTED, owner, "")
    workflow.transition(draft, S.RETURNED, cast["secretary"], "Thiếu giấy ATTP")
    client.force_login(owner)
    upload = client.post(
        reverse("evaluation:upload", args=[draft.pk]),
        {"title": "Giấy ATTP", "file": pdf_upload("attp.pdf")},
    )
    assert upload.status_code == 302
    assert draft.documents.count() == 1


# ---------------------------------------------------------------- stop and elimination notes
def test_a_member_still_scoring_sees_no_other_members_note_flags(client, cast):
    dossier, people = cast["dossier"], cast
    note = EliminationNote.objects.filter(criterion__sheet=dossier.sheet).first()
    for key in ("chair", "member1"):
        card = fill(dossier, people[key])
        scoring.flag_elimination(card, note.pk, True, people[key])
        scoring.submit(card, people[key])
    score(dossier, people["member3"])  # quorum: the result is formed, and rejected
    assert dossier.result.eliminations

    own = page(client, people["member2"], "scorecard", dossier.pk)
    assert f'id="note-{note.pk}" checked' not in own.content.decode()
    assert page(client, people["member2"], "result", dossier.pk).status_code == 404
    response = detail(client, people["member2"], dossier)
    assert response.context["result"] is None
    assert "eliminations" not in audit_text(response)
    assert note.text not in response.content.decode()

    mine = scoring.flag_elimination(
        fill(dossier, people["member2"]), note.pk, True, people["member2"]
    )
    scoring.submit(mine, people["member2"])  # 3 of 4 flag it
    result = page(client, people["member2"], "result", dossier.pk).content.decode()
    assert note.text in result
