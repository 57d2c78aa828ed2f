"""A member's note on each criterion of their card: saved by the autosave and the whole
form, its length limit, frozen with the card, escaped wherever it is shown (the card, the
card printed for signature, the result page's per-criterion view, the change log), and
read by the others only under the rule that holds for scores: once one's own card is in
(members), or by those who run the round.
"""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.people import display_name
from evaluation import audit, scoring
from evaluation.access import dossier_access
from evaluation.models import Criterion, Dossier, Scorecard, ScorecardEvent

pytestmark = pytest.mark.django_db
S = Dossier.Status
NOTE = "Thiếu hợp đồng liên kết <b>bản gốc</b> & chữ ký"


def autosave(client, dossier, criterion, text):
    return client.post(
        reverse("evaluation:autosave", args=[dossier.pk]),
        {"criterion": criterion.pk, "comment": text},
    )


def fill_and_submit(dossier, user, note_on=None, note=NOTE):
    card = scoring.member_card(dossier, user)
    for criterion in Criterion.objects.filter(sheet=dossier.sheet).prefetch_related("options"):
        best = max(criterion.options.all(), key=lambda o: o.points)
        card = scoring.tick(card, criterion.id, best.id, user)
    if note_on is not None:
        card = scoring.write_comment(card, note_on.id, note, user)
    return scoring.submit(card, user)


def test_a_note_is_saved_by_the_autosave_and_shown_again_on_the_card(as_user, cast):
    client = as_user(cast["member1"])
    response = autosave(client, cast["dossier"], cast["criterion"], f"  {NOTE}\n")
    assert response.status_code == 200 and "saved_at" in response.json()
    card = Scorecard.objects.get(author=cast["member1"], dossier=cast["dossier"])
    assert card.comments == {str(cast["criterion"].pk): NOTE}  # the ends trimmed
    page = client.get(reverse("evaluation:scorecard", args=[cast["dossier"].pk])).content.decode()
    assert f'name="comment-{cast["criterion"].pk}"' in page
    assert "&lt;b&gt;bản gốc&lt;/b&gt; &amp; chữ ký" in page
    assert "<b>bản gốc</b>" not in page


def test_a_repeated_note_is_one_event_and_an_empty_one_removes_it(as_user, cast):
    client = as_user(cast["member1"])
    for _ in range(2):
        assert autosave(client, cast["dossier"], cast["criterion"], "Một").status_code == 200
    assert autosave(client, cast["dossier"], cast["criterion"], "Hai").status_code == 200
    assert autosave(client, cast["dossier"], cast["criterion"], "   ").status_code == 200
    card = Scorecard.objects.get(author=cast["member1"], dossier=cast["dossier"])
    assert card.comments == {}
    events = ScorecardEvent.objects.filter(scorecard=card, action="comment").order_by("id")
    assert [(e.before, e.after) for e in events] == [
        (None, {"comment": "Một"}),
        ({"comment": "Một"}, {"comment": "Hai"}),
        ({"comment": "Hai"}, None),
    ]
    assert all(e.actor == cast["member1"] and e.criterion == cast["criterion"] for e in events)


def test_a_note_longer_than_the_limit_is_refused_in_words_and_the_earlier_one_kept(as_user, cast):
    client = as_user(cast["member1"])
    autosave(client, cast["dossier"], cast["criterion"], "Giữ lại")
    most = scoring.COMMENT_CHARS
    assert autosave(client, cast["dossier"], cast["criterion"], "x" * most).status_code == 200
    response = autosave(client, cast["dossier"], cast["criterion"], "y" * (most + 1))
    assert response.status_code == 409
    assert response.json()["error"] == (
        f"Ghi chú tối đa {most} ký tự; ghi chú này có {most + 1} ký tự."
    )
    card = Scorecard.objects.get(author=cast["member1"], dossier=cast["dossier"])
    assert card.comments[str(cast["criterion"].pk)] == "x" * most


def test_the_whole_form_saves_notes_and_refuses_one_too_long_keeping_the_others(as_user, cast):
    first, second = Criterion.objects.filter(sheet=cast["dossier"].sheet).order_by("position")[:2]
    client = as_user(cast["member1"])
    client.get(reverse("evaluation:scorecard", args=[cast["dossier"].pk]))  # the card exists
    response = client.post(
        reverse("evaluation:scorecard", args=[cast["dossier"].pk]),
        {f"comment-{first.pk}": "Đạt", f"comment-{second.pk}": "z" * 501, "comment-x": "?"},
        follow=True,
    )
    text = response.content.decode()
    assert "Ghi chú tối đa 500 ký tự" in text
    assert "Phiếu này không có tiêu chí đó." in text
    card = Scorecard.objects.get(author=cast["member1"], dossier=cast["dossier"])
    assert card.comments == {str(first.pk): "Đạt"}


@pytest.mark.parametrize(
    "text", ["a\x00b", "</textarea><script>alert(1)</script>", "‮ đảo chiều", "\u200b" * 3]
)
def test_any_text_typed_in_the_whole_form_is_saved_or_refused_never_a_server_error(
    as_user, cast, text
):
    client = as_user(cast["member1"])
    page = reverse("evaluation:scorecard", args=[cast["dossier"].pk])
    client.get(page)
    response = client.post(page, {f"comment-{cast['criterion'].pk}": text})
    assert response.status_code in (302, 400)  # a NUL: the site refuses the request
    body = client.get(page).content.decode()
    assert "<script>alert(1)</script>" not in body
    card = Scorecard.objects.get(author=cast["member1"], dossier=cast["dossier"])
    assert "\x00" not in card.comments.get(str(cast["criterion"].pk), "")


def test_a_note_of_another_sheets_criterion_is_refused(as_user, cast, qd26):
    foreign = Criterion.objects.filter(sheet__rulebook=qd26).first()
    response = autosave(as_user(cast["member1"]), cast["dossier"], foreign, "Ghi chú")
    assert response.status_code == 409
    assert response.json()["error"] == "Phiếu này không có tiêu chí đó."


def test_a_submitted_card_keeps_its_notes_frozen(as_user, cast):
    card = fill_and_submit(cast["dossier"], cast["member1"], cast["criterion"])
    response = autosave(as_user(cast["member1"]), cast["dossier"], cast["criterion"], "Sửa")
    assert response.status_code == 409
    card.refresh_from_db()
    assert card.comments == {str(cast["criterion"].pk): NOTE}


@pytest.mark.parametrize("who", ["secretary", "owner", "district_office", "citizen"])
def test_only_a_scoring_member_writes_a_note_on_their_card(as_user, cast, who):
    response = autosave(as_user(cast[who]), cast["dossier"], cast["criterion"], "Ghi chú")
    assert response.status_code in (403, 404, 409)
    assert not Scorecard.objects.filter(comments__has_key=str(cast["criterion"].pk)).exists()


def test_the_producers_self_assessment_takes_no_notes(cast):
    card = scoring.self_assessment(cast["dossier"], cast["owner"])
    with pytest.raises(scoring.ScoringError):
        scoring.write_comment(card, cast["criterion"].id, "Ghi chú", cast["owner"])


def test_a_note_is_read_by_another_member_only_once_their_own_card_is_in(as_user, cast):
    """The rule that holds for scores: a member still scoring is not even told another's
    card exists; the secretary reads a draft's notes from the change log only once the
    card is in; after their own card is submitted, a member reads the others'."""
    card = fill_and_submit(cast["dossier"], cast["chair"], cast["criterion"])
    card_url = reverse("evaluation:card", args=[cast["dossier"].pk, card.pk])
    log_url = reverse("evaluation:dossier", args=[cast["dossier"].pk])
    member = as_user(cast["member1"])
    assert member.get(card_url).status_code == 404
    assert "bản gốc" not in member.get(log_url).content.decode()
    secretary_page = as_user(cast["secretary"]).get(card_url).content.decode()
    assert "Thiếu hợp đồng liên kết &lt;b&gt;bản gốc&lt;/b&gt;" in secretary_page
    fill_and_submit(cast["dossier"], cast["member1"])
    page = member.get(card_url).content.decode()
    assert "Thiếu hợp đồng liên kết &lt;b&gt;bản gốc&lt;/b&gt;" in page


def test_a_draft_cards_note_is_hidden_from_the_other_members_and_read_as_its_ticks_are(
    as_user, cast
):
    """A draft's notes follow its ticks: another member is not told the card exists, nor
    finds them in the change log; the secretary, who follows the drafts, reads them."""
    card = scoring.member_card(cast["dossier"], cast["chair"])
    scoring.write_comment(card, cast["criterion"].id, "Nháp riêng", cast["chair"])
    url = reverse("evaluation:card", args=[cast["dossier"].pk, card.pk])
    assert as_user(cast["member1"]).get(url).status_code == 404
    assert not any("Nháp riêng" in s for s in sentences(cast, "member1"))
    assert "Nháp riêng" in as_user(cast["secretary"]).get(url).content.decode()
    assert any("Nháp riêng" in s for s in sentences(cast, "secretary"))


def sentences(cast, who):
    access = dossier_access(cast[who], cast["dossier"].pk)
    return [entry.sentence for entry in audit.timeline(cast["dossier"], access)]


def test_the_change_log_tells_the_note_in_sentences_with_the_members_name(as_user, cast):
    card = scoring.member_card(cast["dossier"], cast["chair"])
    for text in ("Cần bổ sung", "Cần bổ sung <hợp đồng>", ""):
        card = scoring.write_comment(card, cast["criterion"].id, text, cast["chair"])
    name = display_name(cast["chair"])
    where = cast["criterion"].where
    told = [s for s in sentences(cast, "secretary") if "ghi chú" in s]
    assert told == [
        f"{name} ghi chú ở tiêu chí {where}: “Cần bổ sung”.",
        f"{name} sửa ghi chú ở tiêu chí {where} thành “Cần bổ sung <hợp đồng>”.",
        f"{name} xóa ghi chú ở tiêu chí {where}: “Cần bổ sung <hợp đồng>”.",
    ]
    page = as_user(cast["secretary"]).get(reverse("evaluation:dossier", args=[cast["dossier"].pk]))
    trail = page.content.decode()
    assert "thành “Cần bổ sung &lt;hợp đồng&gt;”." in trail and "<hợp đồng>" not in trail


def test_the_printed_card_and_the_result_page_show_the_notes(as_user, cast):
    dossier = cast["dossier"]
    cards = [
        fill_and_submit(dossier, cast[who], cast["criterion"], note=f"Ý kiến của {who} <i>")
        for who in ("chair", "member1", "member2")
    ]
    dossier.refresh_from_db()
    assert dossier.status == S.RESULT
    pdf = as_user(cast["secretary"]).get(
        reverse("evaluation:card_pdf", args=[dossier.pk, cards[1].pk])
    )
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "Ý kiến của member1 <i>" in " ".join(text.split())
    result = as_user(cast["district_office"]).get(reverse("evaluation:result", args=[dossier.pk]))
    body = result.content.decode()
    assert f'class="criterion-comments" data-criterion="{cast["criterion"].pk}"' in body
    assert body.count("Ý kiến của") == 3 and "Ý kiến của chair &lt;i&gt;" in body
    member_view = as_user(cast["member3"]).get(reverse("evaluation:result", args=[dossier.pk]))
    assert "Ý kiến của" not in member_view.content.decode()
