"""The sign-in page says who signs in and how to get a new password; a signed-in user
changes the password and the language of mails from the user menu."""

import pytest
from django.urls import reverse

from accounts.models import Profile, language_of
from tests.accounts.conftest import PASSWORD, with_address
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_says_who_signs_in_and_links_a_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert "Dành cho cán bộ" in page
    assert f'href="{reverse("accounts:password_reset")}" id="forgot-password"' in page
    english = client.get("/en/tai-khoan/dang-nhap/").content.decode()
    assert "For officials" in english and 'href="/en/tai-khoan/quen-mat-khau/"' in english


def test_the_user_menu_leads_to_the_account_and_a_new_password(as_user, producer_account):
    page = as_user(producer_account).get("/").content.decode()
    assert reverse("accounts:password_change") in page
    assert reverse("accounts:account") in page
    assert "Đổi mật khẩu" in page


def test_a_password_change_needs_the_old_password(client, producer_account):
    client.force_login(producer_account)
    url = reverse("accounts:password_change")
    wrong = client.post(
        url,
        {"old_password": "sai", "new_password1": "Moi-2027-abc", "new_password2": "Moi-2027-abc"},
    )
    assert wrong.status_code == 200
    assert "Mật khẩu cũ không chính xác" in wrong.content.decode()
    right = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Moi-2027-abc",
            "new_password2": "Moi-2027-abc",
        },
        follow=True,
    )
    assert right.redirect_chain[-1][0] == reverse("accounts:account")
    assert "Đã đổi mật khẩu" in right.content.decode()
    assert right.context["user"].is_authenticated  # still signed in
    producer_account.refresh_from_db()
    assert producer_account.check_password("Moi-2027-abc")


def test_the_account_pages_ask_for_a_sign_in(client):
    for name in ("accounts:account", "accounts:password_change"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_language_of_mails_is_chosen_on_the_account_page(as_user, producer_account):
    client = as_user(producer_account)
    assert language_of(producer_account) == "vi"
    page = client.get(reverse("accounts:account")).content.decode()
    assert "hoa@htxvannoi.vn" in page and "sx.vannoi" in page
    response = client.post(reverse("accounts:account"), {"language": "en"})
    assert response.status_code == 302
    assert language_of(producer_account) == "en"
    assert Profile.objects.count() == 1
    assert client.post(reverse("accounts:account"), {"language": "fr"}).status_code == 200
    assert language_of(producer_account) == "en"


def test_an_account_without_an_address_is_told_so(as_user):
    page = as_user(with_address(make_user("khong.thu"), "")).get(reverse("accounts:account"))
    assert "không thể đặt lại mật khẩu qua thư" in page.content.decode()
