"""A member's card printed for signature, the minutes (biên bản) as PDF, and how far each
member stands from the council: who gets each, in which dossier state, and what they read.

The council is Hoài Đức's (the cast): chair, member1..3 score, the secretary does not.
The PDFs are drawn by WeasyPrint for real and read back with pypdf.
"""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from evaluation import workflow
from evaluation.models import Criterion, Dossier
from evaluation.scoring import member_card, submit, tick
from tests.factories import make_dossier, make_user, new_product

pytestmark = pytest.mark.django_db
S = Dossier.Status


def score(dossier, user, pick=max, minus=0):
    """Tick every criterion (best or worst option) and submit; `minus` criteria from the
    top get their worst option instead, to spread totals apart."""
    card = member_card(dossier, user)
    criteria = list(Criterion.objects.filter(sheet=dossier.sheet).prefetch_related("options"))
    for index, criterion in enumerate(criteria):
        chooser = min if index < minus else pick
        option = chooser(criterion.options.all(), key=lambda o: o.points)
        card = tick(card, criterion.id, option.id, user)
    return submit(card, user)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


@pytest.fixture
def scored(cast):
    """The cast's dossier with three cards in (quorum reached: result), member3 still out."""
    dossier = cast["dossier"]
    cards = {
        name: score(dossier, cast[name], minus=minus)
        for name, minus in (("chair", 0), ("member1", 1), ("member2", 2))
    }
    dossier.refresh_from_db()
    assert dossier.status == S.RESULT
    return dossier, cards


# ---------------------------------------------------------------- the card
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("chair", 200),  # the author
        ("secretary", 200),
        ("district_office", 200),
        ("inspector", 200),
        ("admin", 200),
        ("member1", 200),  # own card in: reads the others' submitted cards, as on screen
        ("member3", 404),  # still scoring: another's card is not said to exist
        ("owner", 404),
        ("outsider", 404),
        ("citizen", 404),
        ("far_office", 404),
    ],
)
def test_who_prints_a_submitted_card(client, cast, scored, as_user, who, expected):
    dossier, cards = scored
    url = reverse("evaluation:card_pdf", args=[dossier.pk, cards["chair"].pk])
    assert as_user(cast[who]).get(url).status_code == expected


def test_a_draft_of_someone_else_is_a_404_its_author_prints_it_marked_draft(
    client, cast, scored, as_user
):
    dossier, _ = scored
    draft = member_card(dossier, cast["member3"])
    url = reverse("evaluation:card_pdf", args=[dossier.pk, draft.pk])
    assert as_user(cast["member1"]).get(url).status_code == 404
    assert as_user(cast["inspector"]).get(url).status_code == 404
    response = as_user(cast["member3"]).get(url)
    assert response.status_code == 200
    text = text_of(response.content)
    assert "Bản nháp — chưa nộp, không dùng để ký" in text
    assert "THÀNH VIÊN HỘI ĐỒNG" in text.upper()  # the signature line, in Vietnamese


def test_the_card_prints_in_english_for_an_english_reader(client, cast, scored, as_user, english):
    dossier, cards = scored
    response = as_user(cast["chair"]).get(
        reverse("evaluation:card_pdf", args=[dossier.pk, cards["chair"].pk])
    )
    text = text_of(response.content)
    assert "EVALUATION AND RATING SCORECARD" in text
    assert "(signature and full name)" in text
    assert f"Total: {cards['chair'].total} / 100" in text


def test_the_card_prints_criteria_points_total_member_and_signature(client, cast, scored, as_user):
    dossier, cards = scored
    card = cards["member1"]
    response = as_user(cast["secretary"]).get(
        reverse("evaluation:card_pdf", args=[dossier.pk, card.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    name = cast["member1"].get_full_name() or cast["member1"].username
    assert name in text
    assert dossier.product.name in text
    assert f"{card.total} / 100" in text
    assert "A.1.1" in text or Criterion.objects.filter(sheet=dossier.sheet).first().where in text


def test_the_self_assessment_is_not_a_members_card(client, cast, scored, as_user):
    from evaluation.scoring import self_assessment

    dossier, _ = scored
    own = self_assessment(dossier, cast["owner"])
    url = reverse("evaluation:card_pdf", args=[dossier.pk, own.pk])
    assert as_user(cast["secretary"]).get(url).status_code == 404


# ---------------------------------------------------------------- the minutes
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("secretary", 200),
        ("district_office", 200),
        ("inspector", 200),
        ("admin", 200),
        ("chair", 200),  # own card in: sees the result beside the members
        ("member3", 404),  # still scoring: the result is not formed for them
        ("owner", 404),  # the producer sees the outcome, never the members
        ("outsider", 404),
        ("citizen", 404),
        ("far_office", 404),
    ],
)
def test_who_gets_the_minutes(client, cast, scored, as_user, who, expected):
    dossier, _ = scored
    url = reverse("evaluation:minutes_pdf", args=[dossier.pk])
    assert as_user(cast[who]).get(url).status_code == expected


def test_no_minutes_before_the_result_stands_or_once_reopened(client, cast, as_user):
    dossier = cast["dossier"]
    url = reverse("evaluation:minutes_pdf", args=[dossier.pk])
    assert as_user(cast["secretary"]).get(url).status_code == 404  # scoring, no result
    score(dossier, cast["chair"])
    score(dossier, cast["member1"])
    score(dossier, cast["member2"])
    from evaluation.scoring import reopen

    reopen(dossier.scorecards.get(author=cast["member2"]), cast["secretary"], "discussion")
    dossier.refresh_from_db()
    assert dossier.status == S.SCORING
    assert as_user(cast["secretary"]).get(url).status_code == 404


def test_the_minutes_print_members_totals_and_mean_in_vietnamese(
    client, cast, scored, as_user, english
):
    dossier, cards = scored
    result = dossier.result
    # Asked in English, the paper is still Vietnamese: an official document.
    response = as_user(cast["secretary"]).get(reverse("evaluation:minutes_pdf", args=[dossier.pk]))
    assert response.status_code == 200
    text = text_of(response.content)
    assert "BIÊN BẢN" in text
    for name, card in cards.items():
        assert (cast[name].get_full_name() or cast[name].username) in text
        assert str(card.total) in text
    mean = f"{result.mean:.2f}".replace(".", ",")
    assert mean in text
    assert "CHỦ TỊCH HỘI ĐỒNG" in text.upper() and "THƯ KÝ HỘI ĐỒNG" in text.upper()


def test_the_minutes_stay_for_the_office_after_its_decision(client, cast, scored, as_user):
    dossier, _ = scored
    workflow.transition(dossier, S.RECOGNISED, cast["district_office"])
    url = reverse("evaluation:minutes_pdf", args=[dossier.pk])
    assert as_user(cast["district_office"]).get(url).status_code == 200
    assert as_user(cast["owner"]).get(url).status_code == 404


# ---------------------------------------------------------------- deviation on the result
@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("secretary", True),
        ("district_office", True),
        ("inspector", True),
        ("admin", True),
        ("chair", False),  # a member sees the result, not how far each stands
    ],
)
def test_the_result_page_shows_deviations_to_those_who_run_the_round(
    client, cast, scored, as_user, who, sees
):
    dossier, _ = scored
    response = as_user(cast[who]).get(reverse("evaluation:result", args=[dossier.pk]))
    assert response.status_code == 200
    assert (b'id="deviations"' in response.content) is sees


# ---------------------------------------------------------------- the council's page
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("secretary", 200),
        ("district_office", 200),
        ("inspector", 200),  # Hà Nội's: oversees Hoài Đức
        ("admin", 200),
        ("chair", 404),  # scores: never sees how the others stand
        ("member1", 404),
        ("owner", 404),
        ("outsider", 404),
        ("citizen", 404),
        ("far_office", 404),
        ("far_inspector", 404),
        ("city_office", 404),  # another level's council
    ],
)
def test_who_opens_the_councils_page(client, cast, as_user, who, expected):
    url = reverse("evaluation:council_standing", args=[cast["council"].pk])
    assert as_user(cast[who]).get(url).status_code == expected


def _decided_dossiers(cast, count):
    """`count` dossiers of the cast's round scored by three members, member2 always lower."""
    for index in range(count):
        product = new_product(name=f"Sản phẩm {index}")
        dossier = make_dossier(cast["round"], S.SCORING, product=product)
        score(dossier, cast["chair"])
        score(dossier, cast["member1"])
        score(dossier, cast["member2"], minus=3)  # 8 points below, within the spread limit


def test_the_councils_page_flags_a_member_consistently_below(client, cast, as_user):
    _decided_dossiers(cast, 3)
    response = as_user(cast["secretary"]).get(
        reverse("evaluation:council_standing", args=[cast["council"].pk])
    )
    rows = {row.name: row for row in response.context["rows"]}
    low = rows[cast["member2"].get_full_name() or cast["member2"].username]
    assert low.standing.dossiers == 3
    assert low.standing.flagged and low.standing.direction == "below"
    assert b'class="badge text-bg-warning' in response.content


def test_the_councils_page_in_constant_queries(client, cast, as_user, django_assert_num_queries):
    user = cast["secretary"]
    url = reverse("evaluation:council_standing", args=[cast["council"].pk])
    as_user(user)
    _decided_dossiers(cast, 1)
    client.get(url)  # warm the session and the caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _decided_dossiers(cast, 4)
    extra = make_user("member4x", full_name="Thành viên mới")
    assert extra  # a user with no cards changes nothing
    client.get(url)  # the menu's to-do count, dropped by the new dossiers, made again
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["rows"]) == 3
    assert len(large) == len(small)


def test_the_result_page_with_deviations_in_constant_queries(client, cast, scored, as_user):
    """Three cards or four: the same number of queries (two for the deviations)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dossier, _ = scored
    url = reverse("evaluation:result", args=[dossier.pk])
    as_user(cast["secretary"]).get(url)
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert len(response.context["columns"]) == 3
    score(dossier, cast["member3"])
    client.get(url)  # the menu's to-do count, dropped by the new card, made again
    with CaptureQueriesContext(connection) as four:
        response = client.get(url)
    assert len(response.context["columns"]) == 4
    assert len(four) == len(three)


def test_markup_in_a_product_name_prints_as_text(client, cast, scored, as_user):
    """A producer names the product; the name must not become a tag that WeasyPrint would
    follow (a file:// picture would read the server's files into the PDF): it prints as
    the characters typed."""
    dossier, _ = scored
    product = dossier.product
    product.name = '<img src="file:///etc/passwd">Mật ong'
    product.save()
    response = as_user(cast["secretary"]).get(reverse("evaluation:minutes_pdf", args=[dossier.pk]))
    text = text_of(response.content)
    assert '<img src="file:///etc/passwd">Mật ong' in text
    assert "root:" not in text
