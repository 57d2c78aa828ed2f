"""CSRF on every URL, the security headers on public and official pages, and sign-in
throttling that a forged address does not lift.

`check --deploy` is already run with production settings by tests/ocop_site/test_settings.py
(test_check_deploy_is_clean_with_production_settings) and the throttling itself by
tests/ocop_site/test_login_throttling.py; neither is repeated here."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import timezone

from evaluation.models import Dossier, Option, Rulebook
from tests.factories import ProductFactory, bare_round, complete_papers, make_dossier
from tests.system.hostile.checks import Snapshot, no_error_logged

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ CSRF
def _named_routes(patterns=None, namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            regex = entry.pattern.regex
            # Named parameters, or as many positional ones as the pattern has groups.
            yield f"{namespace}{entry.name}", tuple(regex.groupindex) or regex.groups


# Every named URL of the site, read from the URL conf: one added later is covered too.
ROUTES = sorted(set(_named_routes()))
# A value some route's pattern takes for each parameter (an app label, a number, a word).
CANDIDATES = ("1", "registry", "x")


def _url(name, params):
    for value in CANDIDATES:
        try:
            if isinstance(params, int):
                return reverse(name, args=[value] * params)
            return reverse(name, kwargs=dict.fromkeys(params, value))
        except NoReverseMatch:
            continue
    raise AssertionError(f"no test value fits the route {name} {params}")


def refused_for_csrf(response) -> bool:
    # Django's CSRF page and DRF's "CSRF Failed" both name it; a 403 for any other reason
    # (the user may not do this) would mean the token was never checked.
    return response.status_code == 403 and b"CSRF" in response.content


@pytest.fixture
def signed_in_without_token(people):
    """An administrator's browser that never sends the CSRF token: signed in, so the API's
    session authentication checks the token too, and so no page stops at the sign-in."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(people["admin"])
    return client


def test_every_url_refuses_a_post_without_the_csrf_token(signed_in_without_token):
    assert len(ROUTES) > 100  # the admin's, the API's and the site's own
    before = Snapshot()
    accepted = []
    with no_error_logged():
        for name, params in ROUTES:
            url = _url(name, params)
            response = signed_in_without_token.post(url, {"name": "Giả mạo", "reason": "x"})
            if not refused_for_csrf(response):
                accepted.append((name, url, response.status_code))
    assert not accepted, accepted
    before.assert_unchanged()


def _draft_to_file_today(world):
    """A draft of the owner's in a round under the rulebook in force today: filing refuses
    a dossier whose round follows another one (evaluation.filing), and the cast's round
    follows Decision 148 of 2024."""
    rulebook = Rulebook.objects.governing(timezone.localdate())
    commune = world["producer"].commune
    round_ = bare_round(rulebook, rulebook.levels[0]["code"], commune, f"{commune.name} nay")
    product = ProductFactory(producer=world["producer"], stars=None, certified=False)
    # With the papers filing asks for (evaluation.checklist), so only the token decides.
    return complete_papers(make_dossier(round_, Dossier.Status.DRAFT, product=product))


def _write_cases(world):
    """The site's writes, each with the user and body that would make it happen."""
    option = Option.objects.filter(criterion__sheet=world["sheet"]).first()
    scoring = world["scoring"].pk
    return {
        "submit the dossier": (
            "owner",
            reverse("evaluation:transition", args=[_draft_to_file_today(world).pk]),
            {"target": "submitted"},
        ),
        "tick an option": (
            "member1",
            reverse("evaluation:autosave", args=[scoring]),
            {"criterion": option.criterion_id, "option": option.pk},
        ),
        "declare a conflict": (
            "member1",
            reverse("evaluation:conflict", args=[scoring]),
            {"reason": "Anh rể của chủ cơ sở"},
        ),
        "reopen a card": (
            "secretary",
            reverse("evaluation:reopen", args=[scoring, world["chair_card"].pk]),
            {"reason": "Chấm lại tiêu chí 3"},
        ),
        "revoke a certificate": (
            "city_office",  # Hoài Đức district, which issued it, was abolished
            reverse("evaluation:revoke", args=[world["certificate"].pk]),
            {
                "ground": "mark_misuse",
                "inspection_reference": "KL 15/KL-TTr",
                "inspection_concluded_on": "2026-01-05",
                "number": "15/QĐ-UBND",
                "signed_on": timezone.localdate().isoformat(),
                "authority": "UBND thành phố Hà Nội",
                "signer_name": "Đào Văn Bình",
                "signer_title": "Phó Chủ tịch",
            },
        ),
        "add a producer group": (
            "admin",
            reverse("admin:registry_productgroup_add"),
            {
                "code": "99",
                "name": "Nhóm giả mạo",
                "position": "0",
                "sets-TOTAL_FORMS": "0",
                "sets-INITIAL_FORMS": "0",
            },
        ),
    }


WRITES = [
    "submit the dossier",
    "tick an option",
    "declare a conflict",
    "reopen a card",
    "revoke a certificate",
    "add a producer group",
]


@pytest.mark.parametrize("case", WRITES)
def test_a_forged_post_writes_nothing_and_the_same_post_with_the_token_does(world, case):
    who, url, body = _write_cases(world)[case]
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(world[who])
    before = Snapshot()
    with no_error_logged():
        forged = client.post(url, body)
    assert refused_for_csrf(forged)
    before.assert_unchanged()

    # The control: with the token a page would give it, the same request does write, so
    # the refusal above was the token's doing, not the body's or the user's.
    client.get(reverse("evaluation:dossiers"))
    token = client.cookies["csrftoken"].value
    with no_error_logged():
        genuine = client.post(url, body, HTTP_X_CSRFTOKEN=token)
    assert genuine.status_code in (200, 302), genuine.status_code
    with pytest.raises(AssertionError, match="wrote rows"):
        before.assert_unchanged()


# ------------------------------------------------------------------ security headers
def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_safe_headers(response):
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in {"same-origin", "strict-origin", "no-referrer"}
    assert headers["X-Frame-Options"] == "DENY"
    policy = directives(headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    script = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, script
    assert not any(source.startswith(("http:", "https:", "*")) for source in script), script
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] in (["'none'"], ["'self'"])
    permissions = headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions


@pytest.mark.parametrize(
    "url",
    ["/", "/en/", "/xac-thuc/", "/tai-khoan/dang-nhap/", "/api/products/", "/khong-co-trang-nay/"],
)
def test_public_pages_carry_the_security_headers(world, client, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert_safe_headers(response)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("secretary", "/ho-so/"),
        ("district_office", "/thong-ke/can-bo/"),
        ("district_office", "/nhap-du-lieu/"),
        ("admin", "/admin/"),
        ("admin", "/admin/registry/product/add/"),
    ],
)
def test_official_pages_carry_the_security_headers(world, client, who, url):
    client.force_login(world[who])
    response = client.get(url)
    assert response.status_code == 200
    assert_safe_headers(response)


def test_the_csrf_refusal_page_carries_the_security_headers_too(signed_in_without_token):
    response = signed_in_without_token.post("/tai-khoan/dang-xuat/")
    assert refused_for_csrf(response)
    assert_safe_headers(response)


# ------------------------------------------------------------------ sign-in throttling
def test_a_forged_forwarded_address_does_not_lift_the_sign_in_pause(client, settings):
    # Behind no proxy (TRUSTED_PROXY_COUNT=0) X-Forwarded-For is whatever the client says: if the
    # pause trusted it, a new made-up address per guess would never be paused.
    get_user_model().objects.create_user("uv1.donganh", password="dung-mat-khau-2026")
    url = reverse("login")
    for n in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post(
            url,
            {"username": "uv1.donganh", "password": f"doan-sai-{n}"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    right = client.post(
        url,
        {"username": "uv1.donganh", "password": "dung-mat-khau-2026"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
