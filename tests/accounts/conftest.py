import re

import pytest

from tests.factories import make_user

PASSWORD = "mat-khau-cu-2026"


@pytest.fixture
def producer_account(db):
    """A producer's account that signs in with PASSWORD, with an e-mail address."""
    return with_address(
        make_user("sx.vannoi", full_name="Nguyễn Thị Hoà", password=PASSWORD), "hoa@htxvannoi.vn"
    )


def with_address(user, email):
    user.email = email
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def public_site(settings):
    settings.SITE_URL = "https://ocop.hanoi.gov.vn"
    return settings.SITE_URL


def link_in(mail_text: str) -> str:
    """The one link to the site in a mail, as a path the test client opens."""
    [link] = re.findall(r"https?://\S+/tai-khoan/\S+", mail_text)
    return re.sub(r"^https?://[^/]+", "", link)
