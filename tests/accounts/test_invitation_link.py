"""The invitation's one-time link: INVITATION_DAYS of validity, its own salt (a reset
link does not open it), dead once the password is set; the mail names the username."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import mails
from accounts.tokens import invitation_token
from tests.accounts.conftest import link_in, with_address
from tests.factories import make_user

pytestmark = pytest.mark.django_db
NEW = "Tra-sen-Tay-Ho-2027"


@pytest.fixture
def invited(db):
    return with_address(make_user("vp.moi", full_name="Lê Văn Nam"), "nam@donganh.gov.vn")


def test_the_invitation_mail_names_the_username_and_the_role(invited, run_jobs, mailoutbox):
    mails.send_invitation.enqueue(
        invited.pk, "http://127.0.0.1:8000", "cơ quan OCOP huyện Đông Anh", "Quản trị viên"
    )
    run_jobs()
    [mail] = mailoutbox
    assert mail.subject == "Tài khoản của bạn trên hệ thống OCOP"
    assert "vp.moi" in mail.body and "cơ quan OCOP huyện Đông Anh" in mail.body
    assert "Quản trị viên đã mở một tài khoản" in mail.body
    assert "http://127.0.0.1:8000/tai-khoan/loi-moi/" in mail.body
    assert "7 ngày" in mail.body


def test_the_link_sets_the_first_password_and_then_dies(client, invited, run_jobs, mailoutbox):
    mails.send_invitation.enqueue(invited.pk, "http://testserver")
    run_jobs()
    link = link_in(mailoutbox[0].body)
    form_url = client.get(link)["Location"]
    page = client.get(form_url).content.decode()
    assert "Chào mừng" in page and "vp.moi" in page
    done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("login")
    assert "Hãy đăng nhập với tên đăng nhập vp.moi" in done.content.decode()
    invited.refresh_from_db()
    assert invited.check_password(NEW)
    assert 'id="link-invalid"' in client.get(link).content.decode()


def test_no_invitation_mail_once_the_password_is_set(invited, run_jobs, mailoutbox):
    invited.set_password(NEW)
    invited.save()
    mails.send_invitation.enqueue(invited.pk, "http://testserver")
    run_jobs()
    assert mailoutbox == []


def test_the_invitation_lasts_invitation_days(invited, settings):
    settings.INVITATION_DAYS = 7
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token = invitation_token.make_token(invited)
    with time_machine.travel(start + dt.timedelta(days=6, hours=23), tick=False):
        assert invitation_token.check_token(invited, token)
    with time_machine.travel(start + dt.timedelta(days=7, hours=1), tick=False):
        assert not invitation_token.check_token(invited, token)


def test_a_reset_token_does_not_open_an_invitation_nor_the_reverse(client, invited):
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    reset = default_token_generator.make_token(invited)
    assert not invitation_token.check_token(invited, reset)
    assert not default_token_generator.check_token(invited, invitation_token.make_token(invited))
    page = client.get(reverse("accounts:invitation", args=[uid, reset]), follow=True)
    assert 'id="link-invalid"' in page.content.decode()
