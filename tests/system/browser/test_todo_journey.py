"""From signing in to the work, in a real browser, on a district official's 1366-px screen
and on a phone: a council member lands on the to-do page and opens the card to score; the
district office lands there and opens the result to decide. Screenshots of each step are
kept when a journey fails (`snap`)."""

import pytest
from playwright.sync_api import expect

from evaluation.models import Dossier
from tests.factories import district, give_result, office_of
from tests.system.browser.conftest import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1366, 390]


def menu_words_unbroken(page):
    """On a wide screen every menu item sits on one line: none is taller than one line of
    its text (the notifications bell, an icon, is not a line of text)."""
    heights = page.locator("#nav .nav-link").evaluate_all(
        "links => links.map(a => [a.innerText.trim(), a.getBoundingClientRect().height,"
        " parseFloat(getComputedStyle(a).lineHeight)])"
    )
    return [
        text
        for text, height, line in heights
        if text and height > line * 1.5 + 16  # one line and the link's padding
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_signs_in_to_the_to_do_page_and_opens_the_card_to_score(
    page, live_server, district_round, snap, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "thanhvien")
    expect(page).to_have_url(f"{live_server.url}/viec-can-lam/")
    snap("landed")
    task = page.locator('.todo-task[data-kind="score"]')
    expect(task).to_have_count(1)
    expect(task).to_contain_text("Rau cải an toàn Vân Nội")
    expect(task).to_contain_text("quá hạn")  # Decision 148's dossiers were due by 21/07/2026
    expect(task).to_contain_text("0/32")
    if width >= 992:
        expect(page.locator("#todo-count")).to_have_text("1")
        assert menu_words_unbroken(page) == []
        expect(page.locator("#todo-phone")).to_be_hidden()
    else:  # the menu is folded: the count stays in sight beside it
        expect(page.locator("#todo-phone")).to_be_visible()
        expect(page.locator("#todo-phone")).to_contain_text("1")
    task.get_by_role("link", name="Chấm điểm").click()
    expect(page.locator("h1")).to_contain_text("Rau, củ, quả, hạt tươi")
    snap("scorecard")


@pytest.fixture
def at_result(district_round):
    dossier = district_round["dossier"]
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.RESULT)
    give_result(dossier, 3, "62")
    office = office_of("phongkt", "district", district("017"))
    office.set_password(PASSWORD)
    office.first_name, office.last_name = "Ngô Thị", "Thu"
    office.save()
    return {"dossier": dossier, "office": office}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_district_office_signs_in_to_the_to_do_page_and_opens_the_result_to_decide(
    page, live_server, at_result, snap, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "phongkt")
    expect(page).to_have_url(f"{live_server.url}/viec-can-lam/")
    snap("landed")
    decide = page.locator('.todo-task[data-kind="decide"]')
    expect(decide).to_have_count(1)
    expect(decide).to_contain_text("Rau cải an toàn Vân Nội")
    expect(decide).to_contain_text("hạn 21/07/2026")
    if width >= 992:
        assert menu_words_unbroken(page) == []
    decide.get_by_role("link", name="Ra quyết định").click()
    expect(page).to_have_url(f"{live_server.url}/ho-so/{at_result['dossier'].pk}/")
    expect(page.locator("#dossier-status")).to_contain_text("Có kết quả")
    snap("dossier")
