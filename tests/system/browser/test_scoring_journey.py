"""A council member fills a whole sheet in a real browser, then the secretary reads the result."""

import re

import pytest
from playwright.sync_api import expect

from evaluation import scoring
from evaluation.models import Answer, Criterion, Dossier, Scorecard
from tests.system.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def best_options(dossier):
    """criterion id → index of its best option (options are shown in sheet order)."""
    plan = {}
    for criterion in Criterion.objects.filter(sheet=dossier.sheet).prefetch_related("options"):
        options = list(criterion.options.order_by("position"))
        plan[criterion.id] = max(range(len(options)), key=lambda i: options[i].points)
    return plan


def test_member_scores_by_keyboard_through_a_lost_connection_and_secretary_sees_result(
    page, live_server, district_round, snap
):
    dossier = district_round["dossier"]
    # The chair has already scored: every best option.
    chair = district_round["chair"]
    chair_card = scoring.member_card(dossier, chair)
    for criterion in Criterion.objects.filter(sheet=dossier.sheet).prefetch_related("options"):
        best = max(criterion.options.all(), key=lambda o: o.points)
        scoring.tick(chair_card, criterion.id, best.id, chair)
    scoring.submit(chair_card, chair)

    log_in(page, live_server, "thanhvien")
    page.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
    page.click("#open-scorecard")
    expect(page.locator("h1")).to_contain_text("Rau, củ, quả, hạt tươi")

    groups = page.locator("fieldset.criterion")
    count = groups.count()
    assert count == Criterion.objects.filter(sheet=dossier.sheet).count() == 32
    plan = best_options(dossier)

    # Keyboard only: Tab into each radio group, Space ticks the first option, arrows move.
    page.locator("#rejection-0").focus()
    page.keyboard.press("Tab")
    for n in range(count):
        group = groups.nth(n)
        criterion_id = int(group.locator("input[type=radio]").first.get_attribute("name")[1:])
        page.keyboard.press("Space")
        for _ in range(plan[criterion_id]):
            page.keyboard.press("ArrowDown")
        if n == count // 2:
            # Half way the connection drops: ticks are kept on the device …
            page.context.set_offline(True)
        if n == count // 2 + 3:
            expect(page.locator("#save-status")).to_contain_text("Chưa lưu")
            # … and sent as soon as it returns.
            page.context.set_offline(False)
        # On to the next criterion; the box for the member's note on the criterion, and a
        # stop or elimination note's checkbox (printed under some criteria), are passed
        # over with Tab, as a keyboard user does.
        page.keyboard.press("Tab")
        while page.evaluate("document.activeElement.type") in ("textarea", "checkbox"):
            page.keyboard.press("Tab")

    expect(page.locator("#save-status")).to_contain_text("Đã lưu", timeout=15000)
    # the time on a 24-hour clock, as everywhere on a Vietnamese page: never "AM"/"PM"
    expect(page.locator("#save-status")).to_have_text(re.compile(r"Đã lưu lúc \d\d:\d\d:\d\d$"))
    expect(page.locator("#total")).to_have_text("100")
    card = Scorecard.objects.get(dossier=dossier, author=district_round["member"])
    assert Answer.objects.filter(scorecard=card).count() == 32

    # A reload (a closed tab) shows every tick from the server.
    page.reload()
    expect(page.locator("fieldset.criterion input[type=radio]:checked")).to_have_count(32)
    snap("ticks-kept-after-reload")
    expect(page.locator(".part-points[data-part=A]")).to_have_text("40")

    page.click("#submit-card")
    expect(page.locator("body")).to_contain_text("100")
    page.click("#confirm-submit button[type=submit]")
    expect(page.locator("#dossier-status")).to_have_text("Có kết quả")
    snap("submitted")
    card.refresh_from_db()
    assert card.status == Scorecard.Status.SUBMITTED

    # The secretary sees both cards submitted and the explained result.
    page.context.clear_cookies()
    log_in(page, live_server, "thuky")
    page.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
    expect(page.locator("#progress")).to_contain_text("Trần Thị Mai")
    expect(page.locator("#progress .text-bg-success")).to_have_count(2)
    page.click("#result-link")
    expect(page.locator("#result-mean")).to_have_text("100,00")
    expect(page.locator("#result-stars [aria-label]")).to_have_attribute("aria-label", "5 sao")
    snap("secretary-sees-result")
    assert Dossier.objects.get(pk=dossier.pk).status == Dossier.Status.RESULT
