"""A forgotten password is reset through a link sent by mail, written in the account's
language, from a job. The form answers every address alike, in the same work (it queues
the same job), and is throttled per network address (429) and per e-mail address (the same
answer, no mail), so it tells nobody which addresses have accounts and floods no mailbox."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import set_language
from tests.accounts.conftest import PASSWORD, link_in, with_address
from tests.factories import make_user

pytestmark = pytest.mark.django_db
URL = "/tai-khoan/quen-mat-khau/"
NEW = "Rau-sach-Van-Noi-2027"


def ask(client, email, address="10.0.0.1"):
    return client.post(URL, {"email": email}, REMOTE_ADDR=address)


def test_the_form_is_in_the_sites_look_and_vietnamese(client):
    page = client.get(URL).content.decode()
    assert "Quên mật khẩu?" in page and 'id="reset-form"' in page
    assert 'name="email"' in page and "form-control" in page  # crispy's Bootstrap 5


def test_a_known_address_gets_a_link_by_mail_from_a_job(
    client, producer_account, public_site, run_jobs, mailoutbox
):
    response = ask(client, "hoa@htxvannoi.vn")
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:password_reset_done"
    )
    assert mailoutbox == []  # not sent by the request
    run_jobs()
    [mail] = mailoutbox
    assert mail.to == ["hoa@htxvannoi.vn"]
    assert mail.subject == "Đặt mật khẩu mới cho hệ thống OCOP"
    assert "Chào Nguyễn Thị Hoà," in mail.body
    assert "sx.vannoi" in mail.body  # the username, which people forget too
    assert f"{public_site}/tai-khoan/dat-lai-mat-khau/" in mail.body
    assert "3 ngày" in mail.body


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    client, producer_account, run_jobs, mailoutbox
):
    known, unknown = ask(client, "hoa@htxvannoi.vn"), ask(client, "khong-co@example.vn")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert DBTaskResult.objects.count() == 2  # the same job queued for both
    run_jobs()
    assert [m.to for m in mailoutbox] == [["hoa@htxvannoi.vn"]]
    done = client.get(known["Location"]).content.decode()
    assert "Nếu có tài khoản dùng địa chỉ này" in done


def test_known_and_unknown_addresses_cost_the_request_the_same_queries(client, producer_account):
    counts = []
    for email in ("hoa@htxvannoi.vn", "khong-co@example.vn"):
        with CaptureQueriesContext(connection) as queries:
            ask(client, email)
        counts.append([q["sql"].split()[0] for q in queries.captured_queries])
    assert counts[0] == counts[1]
    assert not any("auth_user" in q["sql"] for q in queries.captured_queries)


def test_the_address_matches_whatever_its_case(client, producer_account, run_jobs, mailoutbox):
    ask(client, "Hoa@HTXVanNoi.vn")
    run_jobs()
    assert [m.to for m in mailoutbox] == [["hoa@htxvannoi.vn"]]


def test_the_mail_is_in_the_accounts_language(client, producer_account, run_jobs, mailoutbox):
    set_language(producer_account, "en")
    ask(client, "hoa@htxvannoi.vn")  # asked on the Vietnamese page
    run_jobs()
    [mail] = mailoutbox
    assert mail.subject == "Choose a new password for the OCOP registry"
    assert "/en/tai-khoan/dat-lai-mat-khau/" in mail.body


def test_no_mail_for_an_inactive_account(client, producer_account, run_jobs, mailoutbox):
    producer_account.is_active = False
    producer_account.save()
    ask(client, "hoa@htxvannoi.vn")
    run_jobs()
    assert mailoutbox == []


def test_an_invited_account_without_a_password_yet_may_use_it(client, run_jobs, mailoutbox):
    invited = with_address(make_user("moi.donganh"), "moi@donganh.gov.vn")
    assert not invited.has_usable_password()
    ask(client, "moi@donganh.gov.vn")
    run_jobs()
    assert [m.to for m in mailoutbox] == [["moi@donganh.gov.vn"]]


# ------------------------------------------------------------------ the link
def follow(client, mail):
    """Open the mail's link: Django moves the token to the session and redirects."""
    response = client.get(link_in(mail.body))
    assert response.status_code == 302
    return response["Location"]


def test_the_link_sets_a_new_password_once(client, producer_account, run_jobs, mailoutbox):
    ask(client, "hoa@htxvannoi.vn")
    run_jobs()
    [mail] = mailoutbox
    form_url = follow(client, mail)
    assert "/dat-mat-khau/" in form_url and link_in(mail.body).split("/")[-2] not in form_url
    page = client.get(form_url).content.decode()
    assert "Chọn mật khẩu mới" in page and "sx.vannoi" in page
    done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == reverse(
        "accounts:password_reset_complete"
    )
    producer_account.refresh_from_db()
    assert producer_account.check_password(NEW)
    again = client.get(link_in(mail.body))
    assert again.status_code == 200 and "Liên kết này không còn dùng được" in again.content.decode()


def test_the_new_password_signs_in(client, producer_account, run_jobs, mailoutbox):
    ask(client, "hoa@htxvannoi.vn")
    run_jobs()
    form_url = follow(client, mailoutbox[0])
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    signed_in = client.post(reverse("login"), {"username": "sx.vannoi", "password": NEW})
    assert signed_in.status_code == 302
    old = client.post(reverse("login"), {"username": "sx.vannoi", "password": PASSWORD})
    assert old.status_code == 200  # refused


def test_a_weak_new_password_is_refused_in_vietnamese(
    client, producer_account, run_jobs, mailoutbox
):
    ask(client, "hoa@htxvannoi.vn")
    run_jobs()
    form_url = follow(client, mailoutbox[0])
    page = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert page.status_code == 200
    assert "Mật khẩu này quá phổ biến." in page.content.decode()


def test_a_tampered_link_opens_nothing(client, producer_account):
    page = client.get("/tai-khoan/dat-lai-mat-khau/MQ/abc-123/")
    assert page.status_code == 200 and 'id="link-invalid"' in page.content.decode()


def test_a_reset_lifts_the_sign_in_pause_of_that_account_from_that_address(
    client, producer_account, run_jobs, mailoutbox, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "sx.vannoi", "password": "sai"})
    assert (
        client.post(reverse("login"), {"username": "sx.vannoi", "password": PASSWORD}).status_code
        == 429
    )
    ask(client, "hoa@htxvannoi.vn", address="127.0.0.1")
    run_jobs()
    form_url = follow(client, mailoutbox[0])
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert (
        client.post(reverse("login"), {"username": "sx.vannoi", "password": NEW}).status_code == 302
    )


# ------------------------------------------------------------------ throttles
def test_too_many_requests_for_one_address_send_no_more_mail_and_say_nothing(
    client, producer_account, run_jobs, mailoutbox, settings
):
    settings.PASSWORD_RESETS_PER_EMAIL = 3
    answers = [ask(client, "hoa@htxvannoi.vn", address=f"10.0.0.{n}") for n in range(6)]
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("accounts:password_reset_done"))
    }
    run_jobs()
    assert len(mailoutbox) == 3


def test_too_many_requests_from_one_network_address_are_paused(client, settings):
    settings.PASSWORD_RESETS_PER_ADDRESS = 2
    for n in range(2):
        assert ask(client, f"a{n}@example.vn").status_code == 302
    paused = ask(client, "a3@example.vn")
    assert paused.status_code == 429
    assert "Có quá nhiều yêu cầu từ địa chỉ mạng này" in paused.content.decode()
    assert ask(client, "a3@example.vn", address="10.0.0.2").status_code == 302
    assert DBTaskResult.objects.count() == 3


def test_a_malformed_address_is_refused_by_the_form(client):
    page = client.post(URL, {"email": "khong-phai-dia-chi"})
    assert page.status_code == 200 and DBTaskResult.objects.count() == 0
    assert get_user_model().objects.count() == 0
