"""A producer has forgotten the password: from the sign-in page, "Forgot your password?",
the address; the mail comes through a real SMTP server (sent by the worker's code, not by
the request); its link leads to a new password, and the producer signs in with it."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ProducerFactory, ProductFactory
from tests.system.browser.conftest import account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "Rau-sach-Van-Noi-2027"


@pytest.fixture
def producer(reference_data):
    user = account("sx.vannoi", "Nguyễn Thị Hoà")
    user.email = "hoa@htxvannoi.vn"
    user.save(update_fields=["email"])
    cooperative = ProducerFactory(name="Hợp tác xã Rau an toàn Vân Nội")
    cooperative.users.add(user)
    ProductFactory(producer=cooperative, name="Rau cải an toàn Vân Nội")
    return user


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def test_producer_resets_a_forgotten_password_by_mail_and_signs_in(
    page, live_server, producer, send_by_smtp, run_jobs, snap
):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    expect(page.locator("#who-signs-in")).to_contain_text("chủ thể OCOP")
    page.click("#forgot-password")
    expect(page.locator("h1")).to_have_text("Quên mật khẩu?")
    page.fill("input[name=email]", "hoa@htxvannoi.vn")
    snap("address")
    page.click("#reset-form button[type=submit]")
    expect(page.locator("#reset-sent")).to_contain_text("Nếu có tài khoản dùng địa chỉ này")
    snap("check-your-mailbox")
    assert send_by_smtp.messages == []  # the request only queued it

    run_jobs()  # the worker's turn
    [mail] = send_by_smtp.messages
    assert mail.envelope_to == ["hoa@htxvannoi.vn"]
    assert mail["Subject"].strip() == "Đặt mật khẩu mới cho hệ thống OCOP"
    text = mail.get_content()
    assert "Chào Nguyễn Thị Hoà," in text and "sx.vannoi" in text
    [link] = re.findall(rf"{re.escape(live_server.url)}/tai-khoan/dat-lai-mat-khau/\S+", text)

    page.goto(link)
    expect(page.locator("h1")).to_have_text("Chọn mật khẩu mới")
    assert "/dat-mat-khau/" in page.url  # the token left the address bar
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    snap("new-password")
    page.click("#set-password-form button[type=submit]")
    expect(page.locator("#reset-complete")).to_be_visible()
    snap("changed")

    page.click("main a.btn-primary")
    page.fill("input[name=username]", "sx.vannoi")
    page.fill("input[name=password]", NEW_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.click("button.navbar-toggler")
    expect(page.locator("#user-menu")).to_contain_text("Nguyễn Thị Hoà")
    page.goto(f"{live_server.url}/ho-so/")
    expect(page).to_have_url(f"{live_server.url}/ho-so/")  # not sent back to sign in
    snap("signed-in")

    # The link was for one use.
    page.goto(link)
    expect(page.locator("#link-invalid")).to_be_visible()
