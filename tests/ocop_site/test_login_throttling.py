"""Repeated wrong passwords lock the account for that address; the right one then fails too,
other accounts and other addresses are unaffected, and a good sign-in resets the count."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("login")


@pytest.fixture
def member():
    return get_user_model().objects.create_user("uv1.donganh", password="dung-mat-khau-2026")


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_pause_sign_in_for_that_account(client, settings, member):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "uv1.donganh", "sai").status_code == 200  # the form again
    locked = attempt(client, "uv1.donganh", "sai")
    assert locked.status_code == 429
    assert "Tạm dừng đăng nhập" in locked.content.decode()
    # Even the right password is refused while the pause lasts.
    assert attempt(client, "uv1.donganh", "dung-mat-khau-2026").status_code == 429
    assert "_auth_user_id" not in client.session


def test_other_accounts_and_addresses_are_not_locked(client, settings, member):
    get_user_model().objects.create_user("thuky.donganh", password="mat-khau-thu-ky-2026")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "uv1.donganh", "sai")
    assert attempt(client, "thuky.donganh", "mat-khau-thu-ky-2026").status_code == 302
    assert (
        attempt(client, "uv1.donganh", "dung-mat-khau-2026", address="10.0.0.2").status_code == 302
    )


def test_a_good_sign_in_resets_the_count(client, settings, member):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "uv1.donganh", "sai")
    assert attempt(client, "uv1.donganh", "dung-mat-khau-2026").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "uv1.donganh", "sai").status_code == 200
