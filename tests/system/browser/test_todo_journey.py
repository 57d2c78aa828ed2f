"""From signing in to the work, in a real browser, on a district official's 1366-px screen
and on a phone: a council member lands on the to-do page and opens the card to score (and
writes a note on a criterion); the district office lands there and opens the result to
decide; the council's secretary checks a dossier just filed, opens its scoring and reminds
the members who have not submitted. Screenshots of each step are kept when a journey fails
(`snap`)."""

import pytest
from playwright.sync_api import expect

from evaluation.models import Dossier
from notifications.models import Notification
from tests.factories import ProductFactory, district, give_result, make_dossier, office_of
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
    # A note on the first criterion, saved as she types, there again on the next visit.
    note = page.locator("textarea[data-comment]").first
    note.fill("Hợp đồng liên kết chỉ là bản chụp, cần xem bản gốc.")
    expect(page.locator("#save-status")).to_contain_text("Đã lưu", timeout=15_000)
    snap("scorecard")
    page.reload()
    expect(page.locator("textarea[data-comment]").first).to_have_value(
        "Hợp đồng liên kết chỉ là bản chụp, cần xem bản gốc."
    )


def test_a_note_typed_before_the_page_script_ran_is_saved(page, live_server, district_round):
    """On a slow connection a member may type while the page is still loading: the
    scorecard's script, held back here until the note is typed, saves it when it runs."""
    held = []
    page.route("**/js/scorecard*.js", lambda route: held.append(route))
    log_in(page, live_server, "thanhvien")
    url = f"{live_server.url}/ho-so/{district_round['dossier'].pk}/phieu/"
    page.goto(url, wait_until="commit")
    note = page.locator("textarea[data-comment]").first
    note.fill("Nhãn chưa ghi hạn sử dụng.")
    expect(page.locator("#save-status")).not_to_contain_text("Đã lưu")
    page.wait_for_timeout(500)
    assert held, "the page asked for its script"
    held[0].continue_()
    expect(page.locator("#save-status")).to_contain_text("Đã lưu", timeout=15_000)
    page.unroute("**/js/scorecard*.js")
    page.reload()
    expect(page.locator("textarea[data-comment]").first).to_have_value("Nhãn chưa ghi hạn sử dụng.")


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


@pytest.fixture
def filed(district_round):
    """Beside the dossier being scored (its chair and member still to submit), a second
    dossier the producer has just filed, for the secretary to check."""
    product = ProductFactory(
        name="Khoai lang Vân Nội",
        stars=None,
        producer=district_round["dossier"].product.producer,
    )
    dossier = make_dossier(
        district_round["dossier"].round, Dossier.Status.SUBMITTED, product=product
    )
    return {**district_round, "filed": dossier}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_secretary_checks_a_dossier_opens_scoring_and_reminds_the_members(
    page, live_server, filed, snap, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "thuky")
    expect(page).to_have_url(f"{live_server.url}/viec-can-lam/")
    check = page.locator('.todo-task[data-kind="check"]')
    expect(check).to_have_count(1)
    expect(check).to_contain_text("Khoai lang Vân Nội")
    expect(page.locator('.todo-task[data-kind="follow_cards"]')).to_contain_text(
        "Rau cải an toàn Vân Nội"
    )
    snap("landed")

    # Check the dossier: accept it as complete, then open the council's scoring.
    check.get_by_role("link", name="Kiểm tra hồ sơ").click()
    expect(page).to_have_url(f"{live_server.url}/ho-so/{filed['filed'].pk}/")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(page.locator("#dossier-status")).to_contain_text("Đã kiểm tra")
    snap("checked")
    page.goto(f"{live_server.url}/viec-can-lam/")
    opening = page.locator('.todo-task[data-kind="open_scoring"]')
    expect(opening).to_contain_text("Khoai lang Vân Nội")
    opening.get_by_role("link", name="Mở chấm điểm").click()
    page.get_by_role("button", name="Mở chấm điểm").click()
    expect(page.locator("#dossier-status")).to_contain_text("Đang chấm điểm")

    # Both dossiers are now being scored: remind the members of the first.
    page.goto(f"{live_server.url}/viec-can-lam/")
    follow = page.locator('.todo-task[data-kind="follow_cards"]')
    expect(follow).to_have_count(2)
    follow.filter(has_text="Rau cải an toàn Vân Nội").get_by_role(
        "link", name="Theo dõi phiếu chấm"
    ).click()
    page.click("#remind-members")
    expect(page.locator("#waiting")).to_contain_text("Trần Thị Mai")
    expect(page.locator("#waiting")).to_contain_text("Nguyễn Văn Hùng")
    snap("remind")
    page.get_by_role("button", name="Gửi lời nhắc").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã nhắc:")
    expect(page).to_have_url(f"{live_server.url}/ho-so/{filed['dossier'].pk}/")
    snap("reminded")
    assert Notification.objects.filter(kind="card_reminder").count() == 2
