"""The Content-Security-Policy allows no inline script or style: every page must still
work under it. Chromium reports each violation on the console; any one fails the test."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from evaluation.models import Certificate, Dossier, Scorecard
from registry.models import Product
from tests.factories import certificate_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "ocop-demo-2026"


@pytest.fixture
def browser_context_args(browser_context_args):
    """The policy itself, unlike the journeys' pages (which bypass it for axe-core)."""
    return {**browser_context_args, "bypass_csp": False}


@pytest.fixture
def demo(reference_data):
    call_command("load_demo", products=10, verbosity=0)
    call_command("load_evaluation_demo", verbosity=0)


@pytest.fixture
def violations(page):
    """Console messages about the policy, and script errors, as the browser reports them."""
    seen = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and seen.append(f"{page.url}: {message.text}")
        ),
    )
    page.on("pageerror", lambda error: seen.append(f"{page.url}: script error: {error}"))
    return seen


def visit(page, live_server, path):
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, path
    directives = {d.strip() for d in response.headers["content-security-policy"].split(";")}
    assert "default-src 'self'" in directives and "script-src 'self'" in directives, path
    page.wait_for_load_state("networkidle")


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_public_pages_run_under_the_policy(page, live_server, demo, violations):
    product = Product.objects.public().order_by("pk").first()
    number = certificate_of(product).number
    for path in [
        "/",
        "/?q=tra+sen&stars=4",
        f"/san-pham/{product.slug}/",
        f"/xac-thuc/{number}/",
        "/thong-ke/",
        "/diem-ban/",
        "/en/",
        reverse("login"),
        reverse("accounts:password_reset"),
        "/api/",
        "/api/products/",
    ]:
        visit(page, live_server, path)
    # The mobile menu is Bootstrap's script: it must still open.
    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, live_server, "/")
    page.click(".navbar-toggler")
    page.wait_for_selector("#nav.show")
    assert violations == []


def test_officials_pages_and_the_scorecard_run_under_the_policy(
    page, live_server, demo, violations
):
    dossier = Dossier.objects.get(product__name="Dưa lưới Thư Lâm")
    started = Scorecard.objects.filter(dossier=dossier).values("author")
    member = dossier.round.council.memberships.exclude(user__in=started).filter(
        role__in=["member", "chair"]
    )[0]
    sign_in(page, live_server, member.user.username)
    visit(page, live_server, f"/ho-so/{dossier.pk}/")
    visit(page, live_server, f"/ho-so/{dossier.pk}/phieu/")
    # A tick is saved by the page's script with fetch(): connect-src must allow it.
    page.locator("fieldset.criterion input[type=radio]").first.check()
    page.wait_for_selector("#save-status:has-text('Đã lưu')")
    assert Scorecard.objects.get(dossier=dossier, author=member.user).answers.count() == 1

    sign_in(page, live_server, "admin")
    certificate = Certificate.objects.order_by("pk").first()
    for path in [
        "/ho-so/",
        "/thong-ke/can-bo/",
        "/giay-chung-nhan/",
        "/nhap-du-lieu/",
        "/admin/",
        "/admin/registry/product/",
        "/admin/registry/product/add/",
        f"/admin/evaluation/certificate/{certificate.pk}/change/",
        f"/admin/evaluation/certificate/{certificate.pk}/history/",
        "/tai-khoan/",
        "/tai-khoan/doi-mat-khau/",
        "/admin/jobs/job/",
        "/admin/auth/user/invite/",
    ]:
        visit(page, live_server, path)
    # The invitation's producer autocomplete (the admin's select2) asks the server as typed.
    page.click(".field-producer .select2-selection")
    page.keyboard.type("Van Noi")
    page.wait_for_selector(".select2-results__option:has-text('Vân Nội')")
    # The user menu is Bootstrap's dropdown script.
    visit(page, live_server, "/")
    page.click("#user-menu button")
    page.wait_for_selector("#user-menu .dropdown-menu.show")
    assert violations == []
