"""Repeated wrong passwords lock the account for that address; the right one then fails too,
other accounts and other addresses are unaffected, and a good sign-in resets the count.
Many usernames guessed from one address (spraying) lock that address; no number of guesses
from elsewhere locks a named official out; behind TRUSTED_PROXY_COUNT proxies the address
is taken from X-Forwarded-For, counted from the right, and with none that header is ignored."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.client_address import client_ip

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


# ------------------------------------------------ spraying: one address, many usernames
def spray(client, address, count, **extra):
    for n in range(count):
        client.post(
            URL, {"username": f"doan-{n}", "password": f"sai-{n}"}, REMOTE_ADDR=address, **extra
        )


def test_spraying_many_usernames_from_one_address_locks_that_address(client, settings, member):
    get_user_model().objects.create_user("thuky.donganh", password="mat-khau-thu-ky-2026")
    spray(client, "10.0.0.9", settings.AXES_ADDRESS_FAILURE_LIMIT)
    # One wrong password per username never reaches the per-account limit, but the
    # address has guessed too often: even a right password from it is refused.
    locked = attempt(client, "thuky.donganh", "mat-khau-thu-ky-2026", address="10.0.0.9")
    assert locked.status_code == 429
    assert "Tạm dừng đăng nhập" in locked.content.decode()
    assert (
        "từ địa chỉ mạng này, cho tài khoản này hoặc cho nhiều tài khoản" in locked.content.decode()
    )
    assert "_auth_user_id" not in client.session
    # Another address is not touched.
    assert (
        attempt(client, "uv1.donganh", "dung-mat-khau-2026", address="10.0.0.2").status_code == 302
    )


def test_a_good_sign_in_does_not_wipe_the_address_count_of_other_usernames(
    client, settings, member
):
    # A sprayer who holds one real account must not reset the address count with it.
    spray(client, "10.0.0.9", settings.AXES_ADDRESS_FAILURE_LIMIT - 1)
    assert (
        attempt(client, "uv1.donganh", "dung-mat-khau-2026", address="10.0.0.9").status_code == 302
    )
    client.logout()
    spray(client, "10.0.0.9", 1)
    assert (
        attempt(client, "uv1.donganh", "dung-mat-khau-2026", address="10.0.0.9").status_code == 429
    )


def test_spraying_with_a_new_forged_forwarded_address_each_time_still_locks(
    client, settings, member
):
    settings.TRUSTED_PROXY_COUNT = 0  # no proxy: X-Forwarded-For is the client's own words
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        client.post(
            URL,
            {"username": f"doan-{n}", "password": "sai"},
            REMOTE_ADDR="10.0.0.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    right = client.post(
        URL,
        {"username": "uv1.donganh", "password": "dung-mat-khau-2026"},
        REMOTE_ADDR="10.0.0.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert right.status_code == 429


# ------------------------------------------- an outsider cannot lock out a named official
PROXY = "10.0.0.254"


@pytest.mark.parametrize("behind_proxy", [False, True], ids=["direct", "behind-one-proxy"])
def test_an_outsider_cannot_lock_a_named_official_out(client, settings, member, behind_proxy):
    settings.TRUSTED_PROXY_COUNT = 1 if behind_proxy else 0

    def post(password, address):
        where = (
            {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}
            if behind_proxy
            else {"REMOTE_ADDR": address}
        )
        return client.post(URL, {"username": "uv1.donganh", "password": password}, **where)

    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        post("sai", "203.0.113.5")
    assert post("dung-mat-khau-2026", "203.0.113.5").status_code == 429  # the outsider is paused
    assert post("dung-mat-khau-2026", "198.51.100.20").status_code == 302  # the official is not


# ------------------------------------------------------ the client address behind proxies
def test_behind_one_proxy_clients_are_told_apart_by_the_forwarded_address(client, settings, member):
    settings.TRUSTED_PROXY_COUNT = 1

    def post(password, forwarded):
        return client.post(
            URL,
            {"username": "uv1.donganh", "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    # The proxy appends the address it saw; whatever the client wrote before it is ignored.
    for n in range(settings.AXES_FAILURE_LIMIT):
        post("sai", f"192.0.2.{n}, 203.0.113.5")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert post("dung-mat-khau-2026", "203.0.113.5").status_code == 429
    assert post("dung-mat-khau-2026", "198.51.100.20").status_code == 302


def test_with_no_proxy_the_forwarded_address_is_ignored(client, settings, member):
    settings.TRUSTED_PROXY_COUNT = 0
    attempt_from = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    client.post(URL, {"username": "uv1.donganh", "password": "sai"}, **attempt_from)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["10.0.0.1"]


@pytest.mark.parametrize(
    ("hops", "forwarded", "address"),
    [
        (0, "203.0.113.5", "10.0.0.254"),
        (1, "", "10.0.0.254"),
        (1, "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, "192.0.2.1, 203.0.113.5, 10.0.0.253", "203.0.113.5"),
        (3, "203.0.113.5", "203.0.113.5"),  # fewer hops than proxies: the leftmost, as DRF
        (1, "not-an-address", "10.0.0.254"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_counted_from_the_right(rf, settings, hops, forwarded, address):
    settings.TRUSTED_PROXY_COUNT = hops
    request = rf.get("/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == address
