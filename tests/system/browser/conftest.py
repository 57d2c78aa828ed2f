"""Browser journeys run against a live server on a real database.

They are transactional tests: the database is emptied after each, so each test asks for
`reference_data` (tests/conftest.py) to load it again. The people of a journey sign in
by typing a password and are shown by name, so they are made here (`account`) rather
than taken from the shared cast, whose users have neither.
"""

from datetime import date

import pytest

from evaluation.models import Council, CouncilMembership, Dossier
from tests.factories import ProductFactory, commune, district, make_dossier, make_round, make_user
from tests.system.browser.accessibility import assert_accessible

PASSWORD = "browser-test-password"


def account(username, full_name):
    """A user who signs in by typing PASSWORD, shown as `full_name`."""
    return make_user(username, full_name=full_name, password=PASSWORD)


@pytest.fixture
def district_round(reference_data, qd148):
    """Đông Anh district council under Decision 148: a chair, one member, a secretary
    (two scorers, so two cards make the quorum), and a set-1 dossier open for scoring."""
    council = Council.objects.create(
        name="Hội đồng OCOP huyện Đông Anh", level="district", unit=district("017")
    )
    people = {}
    for username, name, role in [
        ("chutich", "Nguyễn Văn Hùng", "chair"),
        ("thanhvien", "Trần Thị Mai", "member"),
        ("thuky", "Đỗ Minh Anh", "secretary"),
    ]:
        people[role] = account(username, name)
        CouncilMembership.objects.create(council=council, user=people[role], role=role)
    round_ = make_round(
        council,
        qd148,
        name="Đông Anh 2024 — đợt 1",
        opens_on=date(2024, 5, 1),
        closes_on=date(2024, 6, 30),
    )
    product = ProductFactory(
        name="Rau cải an toàn Vân Nội",
        stars=None,
        producer__commune=commune("Xã Đông Anh"),
        producer__district=district("017"),
    )
    dossier = make_dossier(round_, Dossier.Status.SCORING, product=product)
    return {"dossier": dossier, "council": council, **people}


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")


@pytest.fixture
def browser_context_args(browser_context_args):
    """The journeys' pages let Playwright inject axe-core (accessibility.py), which the
    site's Content-Security-Policy would refuse as an inline script; the policy is tested
    on its own (test_content_security_policy.py, which does not bypass it)."""
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def snap(snap, page):
    """Each step a journey screenshots is also checked by axe-core: a serious or critical
    violation fails the journey there, naming the rule, the elements and the page."""

    def take(step: str):
        snap(step)
        assert_accessible(page)

    return take
