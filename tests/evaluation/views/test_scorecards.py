"""Scoring through the views: autosave, the whole-form fallback, submit and double submit."""

import pytest
from django.urls import reverse

from evaluation.models import (
    Answer,
    Council,
    Criterion,
    Dossier,
    EliminationNote,
    Scorecard,
    ScorecardEvent,
)
from tests.factories import make_council, make_dossier, make_round

pytestmark = pytest.mark.django_db


def url(name, cast):
    return reverse(f"evaluation:{name}", kwargs={"pk": cast["dossier"].pk})


def tick_all(client, cast):
    for criterion in Criterion.objects.filter(sheet=cast["dossier"].sheet):
        option = criterion.options.order_by("-points").first()
        response = client.post(
            url("autosave", cast), {"criterion": criterion.pk, "option": option.pk}
        )
        assert response.status_code == 200


def test_the_scorecard_page_shows_the_sheet_in_the_decisions_wording(as_user, cast):
    body = as_user(cast["member1"]).get(url("scorecard", cast)).content.decode()
    assert "TỔ CHỨC SẢN XUẤT" in body
    assert "Nguồn gốc sản phẩm" in body
    assert "Có hợp đồng liên kết trên 75% sản lượng tiêu thụ" in body
    assert body.count('type="radio"') == 108
    assert "★★★★" in body


def test_autosave_stores_one_answer_and_returns_the_total(as_user, cast):
    client = as_user(cast["member1"])
    data = {"criterion": cast["criterion"].pk, "option": cast["option"].pk}
    first = client.post(url("autosave", cast), data).json()
    second = client.post(url("autosave", cast), data).json()
    assert first["total"] == second["total"] == cast["option"].points
    card = Scorecard.objects.get(author=cast["member1"])
    assert Answer.objects.filter(scorecard=card).count() == 1
    assert ScorecardEvent.objects.filter(scorecard=card, action="tick").count() == 1


def test_autosave_refuses_an_option_of_another_criterion_with_a_message(as_user, cast):
    other = (
        Criterion.objects.filter(sheet=cast["dossier"].sheet)
        .exclude(pk=cast["criterion"].pk)
        .first()
    )
    response = as_user(cast["member1"]).post(
        url("autosave", cast), {"criterion": other.pk, "option": cast["option"].pk}
    )
    assert response.status_code == 409
    assert response.json()["error"]


def test_autosave_refuses_garbage(as_user, cast):
    response = as_user(cast["member1"]).post(url("autosave", cast), {"criterion": "x"})
    assert response.status_code == 400


def test_the_whole_form_saves_without_javascript(as_user, cast):
    client = as_user(cast["member1"])
    response = client.post(url("scorecard", cast), {f"c{cast['criterion'].pk}": cast["option"].pk})
    assert response.status_code == 302
    card = Scorecard.objects.get(author=cast["member1"])
    assert card.answers.get().option == cast["option"]


def test_submit_asks_for_confirmation_and_names_missing_criteria(as_user, cast):
    client = as_user(cast["member1"])
    response = client.get(url("submit", cast))
    assert response.status_code == 200
    assert len(response.context["missing"]) == 32
    response = client.post(url("submit", cast), follow=True)
    assert Scorecard.objects.get(author=cast["member1"]).status == "draft"
    assert "32" in response.content.decode()


def test_a_double_submit_leaves_one_submitted_card(as_user, cast):
    client = as_user(cast["member1"])
    tick_all(client, cast)
    assert client.post(url("submit", cast)).status_code == 302
    assert client.post(url("submit", cast)).status_code == 302
    cards = Scorecard.objects.filter(dossier=cast["dossier"], author=cast["member1"])
    assert cards.count() == 1
    assert cards.get().status == "submitted"
    assert ScorecardEvent.objects.filter(scorecard=cards.get(), action="submit").count() == 1


def test_a_submitted_card_refuses_more_ticks(as_user, cast):
    client = as_user(cast["member1"])
    tick_all(client, cast)
    client.post(url("submit", cast))
    response = client.post(
        url("autosave", cast), {"criterion": cast["criterion"].pk, "option": cast["option"].pk}
    )
    assert response.status_code == 409


def test_once_the_office_decides_a_card_never_submitted_is_read_only(as_user, cast):
    from evaluation import decisions
    from tests.evaluation.test_scoring import score
    from tests.factories import act

    client = as_user(cast["member1"])
    assert 'id="save-all"' in client.get(url("scorecard", cast)).content.decode()  # a draft
    for name in ("chair", "member2", "member3"):
        score(cast["dossier"], cast[name])
    decisions.decide(
        cast["dossier"], "recognised", cast["district_office"], "QĐ 12/QĐ-UBND", act=act()
    )
    body = client.get(url("scorecard", cast)).content.decode()
    assert 'id="save-all"' not in body
    assert 'id="submit-card"' not in body
    tick = {"criterion": cast["criterion"].pk, "option": cast["option"].pk}
    assert client.post(url("autosave", cast), tick).status_code == 409


def test_secretary_sees_who_submitted(as_user, cast):
    tick_all(as_user(cast["member1"]), cast)
    as_user(cast["member1"]).post(url("submit", cast))
    response = as_user(cast["secretary"]).get(url("dossier", cast))
    rows = {row["membership"].user.username: row for row in response.context["progress"]}
    assert rows["member1"]["card"].status == "submitted"
    assert rows["chair"]["card"] is None


def test_declaring_a_conflict_removes_the_member_from_scoring(as_user, cast):
    client = as_user(cast["member1"])
    assert (
        client.post(url("conflict", cast), {"reason": "Anh ruột của giám đốc"}).status_code == 302
    )
    assert client.get(url("scorecard", cast)).status_code == 302  # sent back with the reason
    response = client.get(url("dossier", cast))
    assert response.context["conflict"] is True


def test_the_whole_form_save_is_one_transaction(as_user, cast, monkeypatch):
    """Without JavaScript the whole card is posted at once: a fault half way (the database
    going away) must leave the card as it was, not half saved."""
    from django.db import DatabaseError

    from evaluation import scoring

    criteria = list(Criterion.objects.filter(sheet=cast["sheet"]).prefetch_related("options"))
    form = {f"c{c.pk}": c.options.all()[0].pk for c in criteria[:5]}
    real_tick, calls = scoring.tick, []

    def failing_tick(card, criterion_id, option_id, actor):
        calls.append(criterion_id)
        if len(calls) == 4:
            raise DatabaseError("server closed the connection unexpectedly")
        return real_tick(card, criterion_id, option_id, actor)

    monkeypatch.setattr(scoring, "tick", failing_tick)
    client = as_user(cast["member1"])
    client.raise_request_exception = False
    response = client.post(reverse("evaluation:scorecard", args=[cast["dossier"].pk]), form)
    assert response.status_code == 500
    assert not Answer.objects.filter(scorecard__author=cast["member1"]).exists()


# ---------------------------------------------------------------- published slips
@pytest.fixture
def hanoi_council(qd26, hanoi):
    council, people = make_council("Hội đồng OCOP thành phố Hà Nội", "province", hanoi, "hn_")
    return make_round(council, qd26, level="province", name="Hà Nội 2026"), people


def test_the_set_19_labelling_slip_is_shown_beside_its_criterion(as_user, hanoi_council):
    round_, people = hanoi_council
    dossier = make_dossier(round_, Dossier.Status.SCORING, product_set=19)
    page = as_user(people["member1"]).get(reverse("evaluation:scorecard", args=[dossier.pk]))
    body = page.content.decode()
    [slip] = [
        c for p in page.context["tree"] for s in p.sections for c in s.criteria if c.discrepancies
    ]
    assert slip.criterion.where == "A.2.3"
    assert body.count("published-slip") == 1
    assert "Lỗi in trong văn bản" in body
    assert "“Có nhãn, ghi nhãn hàng hóa đầy đủ, theo đúng quy định”" in body


# ---------------------------------------------------------------- stop and elimination notes
def notes_of(cast):
    return list(EliminationNote.objects.filter(criterion__sheet=cast["dossier"].sheet))


def test_each_note_has_a_box_under_its_criterion(as_user, cast):
    body = as_user(cast["member1"]).get(url("scorecard", cast)).content.decode()
    assert body.count('name="elimination"') == 3
    for note in notes_of(cast):
        assert f'id="note-{note.pk}"' in body
        assert note.text in body
    assert "dừng đánh giá tại đây" in body  # 6.a, 10
    assert "sản phẩm bị loại" in body  # 2.a


def test_the_self_assessment_shows_the_notes_without_boxes(as_user, cast):
    cast["dossier"].status = Dossier.Status.DRAFT
    cast["dossier"].save()
    body = as_user(cast["owner"]).get(url("self", cast)).content.decode()
    assert 'name="elimination"' not in body
    assert all(note.text in body for note in notes_of(cast))


def test_autosave_flags_and_unflags_a_note(as_user, cast):
    client = as_user(cast["member1"])
    note = notes_of(cast)[0]
    assert client.post(url("autosave", cast), {"note": note.pk, "flagged": "on"}).status_code == 200
    card = Scorecard.objects.get(author=cast["member1"])
    assert card.eliminations == [note.pk]
    assert client.post(url("autosave", cast), {"note": note.pk}).status_code == 200
    card.refresh_from_db()
    assert card.eliminations == []
    assert ScorecardEvent.objects.filter(scorecard=card, action="note").count() == 2


def test_autosave_refuses_a_note_of_another_sheet_or_garbage(as_user, cast, qd26):
    client = as_user(cast["member1"])
    other = EliminationNote.objects.filter(criterion__sheet__rulebook=qd26).first()
    assert (
        client.post(url("autosave", cast), {"note": other.pk, "flagged": "on"}).status_code == 409
    )
    assert client.post(url("autosave", cast), {"note": "x"}).status_code == 400
    assert Scorecard.objects.get(author=cast["member1"]).eliminations == []


def test_the_whole_form_saves_the_note_boxes(as_user, cast):
    client = as_user(cast["member1"])
    first, second, _ = notes_of(cast)
    client.post(url("scorecard", cast), {"elimination": [first.pk, second.pk, "x", "99999999"]})
    card = Scorecard.objects.get(author=cast["member1"])
    assert sorted(card.eliminations) == sorted([first.pk, second.pk])
    client.post(url("scorecard", cast), {"elimination": [second.pk]})
    card.refresh_from_db()
    assert card.eliminations == [second.pk]


def test_a_submitted_card_shows_its_note_boxes_frozen(as_user, cast):
    client = as_user(cast["member1"])
    note = notes_of(cast)[0]
    client.post(url("autosave", cast), {"note": note.pk, "flagged": "on"})
    tick_all(client, cast)
    client.post(url("submit", cast))
    body = client.get(url("scorecard", cast)).content.decode()
    assert f'id="note-{note.pk}" checked' in body
    assert client.post(url("autosave", cast), {"note": note.pk}).status_code == 409
    assert Scorecard.objects.get(author=cast["member1"]).eliminations == [note.pk]


def test_the_result_page_says_in_words_which_note_applies(as_user, cast):
    stop = next(n for n in notes_of(cast) if n.criterion.code == "6.a")
    for key in ("chair", "member1", "member2"):
        client = as_user(cast[key])
        tick_all(client, cast)
        client.post(url("autosave", cast), {"note": stop.pk, "flagged": "on"})
        client.post(url("submit", cast))
    body = as_user(cast["member1"]).get(url("result", cast)).content.decode()
    assert 'id="result-not-rated"' in body
    assert "Không được xếp hạng" in body
    assert f"Dừng đánh giá tại {stop.criterion}" in body.replace("&quot;", '"')
    assert stop.text in body
    assert "3/3 phiếu đã nộp" in body


# ---------------------------------------------------------------- the council's rules, printed
def test_the_result_page_prints_the_rules_the_result_was_computed_under(as_user, cast):
    council = cast["council"]
    council.minimum_rule = Council.MinimumRule.CHAIR_BREAKS_TIE
    council.save()
    for key in ("chair", "member1", "member2"):
        client = as_user(cast[key])
        tick_all(client, cast)
        client.post(url("submit", cast))
    council.minimum_rule = Council.MinimumRule.UNANIMOUS  # changed later, not recomputed
    council.save()

    page = as_user(cast["member1"]).get(url("result", cast))
    rules = page.content.decode().split('id="council-rules"')[1].split("</dl>")[0]
    assert "75% số thành viên chấm điểm nộp phiếu. Chủ tịch hội đồng phải nộp phiếu" in rules
    assert "khi số phiếu ngang nhau thì theo phiếu của Chủ tịch hội đồng" in rules
    assert "Tất cả các phiếu đã nộp" not in rules
    assert "chênh nhau quá 10 điểm" in rules
    assert "kể cả khi đa số phiếu đề nghị loại" in rules
    assert "quá nửa số phiếu đã nộp đánh dấu" in rules


def test_a_result_stored_before_results_recorded_rules_prints_the_councils(as_user, cast):
    for key in ("chair", "member1", "member2"):
        client = as_user(cast[key])
        tick_all(client, cast)
        client.post(url("submit", cast))
    cast["dossier"].result.__class__.objects.update(council_rules={})
    body = as_user(cast["member1"]).get(url("result", cast)).content.decode()
    assert "Quá nửa số phiếu đã nộp; số phiếu ngang nhau thì chưa đạt" in body


def test_the_result_page_in_english_says_the_rules_too(as_user, cast, english):
    for key in ("chair", "member1", "member2"):
        client = as_user(cast[key])
        tick_all(client, cast)
        client.post(url("submit", cast))
    body = as_user(cast["member1"]).get(url("result", cast)).content.decode()
    assert "The council's operating rules" in body
    assert "75% of the scoring members submit their cards." in body
    assert "More than half of the submitted cards; a tie is not enough." in body


# ---------------------------------------------------------------- the help page
def test_the_help_page_says_how_stars_are_decided_and_what_each_council_sets(client):
    body = client.get(reverse("evaluation:help")).content.decode()
    assert "một phương án in sau phương án đó" in body  # minimums follow the ticked option
    assert "Bị loại nếu …" in body and "sẽ không đánh giá các bước tiếp theo" in body
    settings = body.split('id="council-settings"')[1].split("</dl>")[0]
    for choices in (Council.MinimumRule, Council.ChairRule, Council.SpreadRule):
        for label in choices.labels:
            assert str(label) in settings
    assert settings.count("(mặc định)") == 3


def test_each_rules_default_is_its_first_choice_as_the_help_page_says():
    for name in ("minimum_rule", "chair_rule", "spread_rule"):
        field = Council._meta.get_field(name)
        assert field.default == field.choices[0][0]


def test_the_submit_page_reads_back_the_clauses_and_notes_flagged(as_user, cast):
    client = as_user(cast["member1"])
    tick_all(client, cast)
    note = notes_of(cast)[0]
    client.post(url("autosave", cast), {"note": note.pk, "flagged": "on"})
    client.post(url("autosave", cast), {"clause": 0, "flagged": "on"})
    body = client.get(url("submit", cast)).content.decode()
    flagged = body.split('id="flagged"')[1].split("</div>")[0]
    assert note.text in flagged
    assert cast["dossier"].sheet.rejection_clauses[0] in flagged


def test_the_submit_page_says_nothing_of_flags_when_there_are_none(as_user, cast):
    client = as_user(cast["member1"])
    tick_all(client, cast)
    assert 'id="flagged"' not in client.get(url("submit", cast)).content.decode()
