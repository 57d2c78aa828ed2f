"""A member scores with the evidence beside the options: the product and the dossier's
papers above the sheet, the producer's own answer under each criterion, how far the card
is ("0/32") with links to the criteria still open, and every open criterion listed when
submitting."""

import html

import pytest
from django.urls import reverse

from evaluation import scoring
from evaluation.models import Answer, Option

pytestmark = pytest.mark.django_db


def card_page(client, dossier):
    return html.unescape(
        client.get(reverse("evaluation:scorecard", args=[dossier.pk])).content.decode()
    )


def test_the_producers_answer_shows_under_its_criterion(as_user, cast):
    dossier, criterion = cast["dossier"], cast["criterion"]
    own = scoring.self_assessment(dossier, cast["owner"])
    chosen = Option.objects.filter(criterion=criterion).order_by("points").first()
    Answer.objects.create(scorecard=own, criterion=criterion, option=chosen)
    page = card_page(as_user(cast["member1"]), dossier)
    block = page[page.index(f'id="criterion-{criterion.pk}"') :]
    block = block[: block.index("</fieldset>")]
    assert "Chủ thể tự đánh giá" in block and chosen.text[:40] in block


def test_the_product_and_the_dossiers_papers_are_above_the_sheet(as_user, cast):
    page = card_page(as_user(cast["member1"]), cast["dossier"])
    panel = page[page.index('id="product-panel"') : page.index('id="scorecard"')]
    assert cast["product"].name in panel
    document = reverse("evaluation:document", args=[cast["dossier"].pk, cast["document"].pk])
    assert document in panel


def test_progress_counts_the_ticks_and_links_every_open_criterion(as_user, cast):
    dossier, criterion = cast["dossier"], cast["criterion"]
    client = as_user(cast["member1"])
    card = scoring.member_card(dossier, cast["member1"])
    scoring.tick(card, criterion.pk, cast["option"].pk, cast["member1"])
    page = card_page(client, dossier)
    total = dossier.sheet.criteria.count()
    assert f'<span id="progress-done">1</span>/{total}' in page
    links = page[page.index('id="open-criteria"') :]
    links = links[: links.index("</details>")]
    assert links.count("#criterion-") == total - 1
    assert f'#criterion-{criterion.pk}"' not in links


def test_the_submit_check_lists_every_open_criterion_not_ten(as_user, cast):
    dossier = cast["dossier"]
    client = as_user(cast["member1"])
    scoring.member_card(dossier, cast["member1"])
    page = html.unescape(
        client.get(reverse("evaluation:submit", args=[dossier.pk])).content.decode()
    )
    listed = page[page.index('id="missing-list"') :]
    listed = listed[: listed.index("</ul>")]
    assert listed.count("<li>") == dossier.sheet.criteria.count() > 10


def test_the_producer_sees_no_member_panel_on_the_self_assessment(as_user, cast):
    from evaluation.models import Dossier

    Dossier.objects.filter(pk=cast["dossier"].pk).update(status="draft")
    page = html.unescape(
        as_user(cast["owner"])
        .get(reverse("evaluation:self", args=[cast["dossier"].pk]))
        .content.decode()
    )
    assert 'id="product-panel"' not in page and "Chủ thể tự đánh giá:" not in page
