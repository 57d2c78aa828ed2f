"""Every URL of the site, for every role: the exact answer each one gets.

The application's views and the API are an explicit table (`EXPECTED`): one row per URL
pattern (and per object variant, `name@variant`), one column per role. The admin is
derived from `admin.site._registry`, so a newly registered model is covered at once, with
a few explicit rows for the admin's own pages. A URL pattern that has no row, or a row
whose pattern is gone, fails `test_every_url_pattern_has_a_row_and_every_row_a_pattern`.

Cells: a status code, `L` (302 to the sign-in page), `A` (302 to the admin's sign-in
page) or `R` (302 elsewhere). Anything outside a role's scope must answer 404: another
producer's dossier, another district's document, a withdrawn product.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from evaluation.models import CouncilResult, Dossier, Scorecard
from tests.system.permissions.conftest import ROLES

pytestmark = pytest.mark.django_db

L, A, R = "login", "admin-login", "redirect"


def url(name, **kwargs):
    """An address builder: each keyword names a cast object ("dossier_x" → its pk,
    "product_x.slug" → that attribute); a callable is called with the cast."""

    def build(cast):
        resolved = {}
        for key, value in kwargs.items():
            if callable(value):
                resolved[key] = value(cast)
            else:
                obj, _, attr = value.partition(".")
                resolved[key] = getattr(cast[obj], attr or "pk")
        return reverse(name, kwargs=resolved)

    return build


def literal(value):
    return lambda cast: value


def _city_batch():
    """The city office's import batch of the cast (tests/system/permissions/conftest.py)."""
    from imports.models import ImportBatch

    return ImportBatch.objects.get(sha256="a" * 64).pk


def with_query(build, query):
    return lambda cast: f"{build(cast)}?{query}"


def _notice(cast):
    """Producer A's unread notice that dossier X was filed: its pk."""
    from notifications.models import Notification

    notice, _ = Notification.objects.get_or_create(
        recipient=cast["producer_a"],
        kind="filed",
        event_key="matrix",
        defaults={"target_type": "dossier", "target_id": cast["dossier_x"].pk},
    )
    return notice.pk


def _fake_report(cast):
    """A visitor's report about the city's certificate: the city office's to read."""
    from evaluation import fake_reports

    certificate = cast["certificate_city"]
    report = fake_reports.receive(number=certificate.number, seen="tem giả", place="chợ")
    return report.pk


# ---------------------------------------------------------------- the application and API
# What each row opens. Dossier X is producer A's, scored by district X's council; "@y" is
# the same page for district Y, "@y_via_x" an object of Y reached through X's address.
ADDRESSES = {
    "evaluation:todo": url("evaluation:todo"),
    "evaluation:dossiers": url("evaluation:dossiers"),
    "evaluation:dossier": url("evaluation:dossier", pk="dossier_x"),
    "evaluation:dossier@y": url("evaluation:dossier", pk="dossier_y"),
    "evaluation:transition": url("evaluation:transition", pk="dossier_x"),
    "evaluation:decide": url("evaluation:decide", pk="dossier_x", action=literal("cong-nhan")),
    "evaluation:decide@y": url("evaluation:decide", pk="dossier_y", action=literal("cong-nhan")),
    "evaluation:conflict": url("evaluation:conflict", pk="dossier_x"),
    "evaluation:upload": url("evaluation:upload", pk="dossier_x"),
    "evaluation:start": url("evaluation:start"),
    "evaluation:file": url("evaluation:file", pk="dossier_x"),
    "evaluation:document_remove": url(
        "evaluation:document_remove", pk="dossier_x", document_pk="document_x"
    ),
    "evaluation:document_replace": url(
        "evaluation:document_replace", pk="dossier_x", document_pk="document_x"
    ),
    "evaluation:document": url("evaluation:document", pk="dossier_x", document_pk="document_x"),
    "evaluation:document@y": url("evaluation:document", pk="dossier_y", document_pk="document_y"),
    "evaluation:document@y_via_x": url(
        "evaluation:document", pk="dossier_x", document_pk="document_y"
    ),
    "evaluation:scorecard": url("evaluation:scorecard", pk="dossier_x"),
    "evaluation:autosave": url("evaluation:autosave", pk="dossier_x"),
    "evaluation:submit": url("evaluation:submit", pk="dossier_x"),
    "evaluation:card": url("evaluation:card", pk="dossier_x", card_pk="card_x"),
    "evaluation:card@self": url("evaluation:card", pk="dossier_x", card_pk="self_card_x"),
    "evaluation:card@y_via_x": url("evaluation:card", pk="dossier_x", card_pk="card_y"),
    "evaluation:reopen": url("evaluation:reopen", pk="dossier_x", card_pk="card_x"),
    "evaluation:reopen@y_via_x": url("evaluation:reopen", pk="dossier_x", card_pk="card_y"),
    "evaluation:self": url("evaluation:self", pk="dossier_x"),
    "evaluation:self_autosave": url("evaluation:self_autosave", pk="dossier_x"),
    "evaluation:self_submit": url("evaluation:self_submit", pk="dossier_x"),
    "evaluation:result": url("evaluation:result", pk="dossier_x"),
    "evaluation:minutes_pdf": url("evaluation:minutes_pdf", pk="dossier_x"),
    "evaluation:card_pdf": url("evaluation:card_pdf", pk="dossier_x", card_pk="card_x"),
    "evaluation:card_pdf@self": url("evaluation:card_pdf", pk="dossier_x", card_pk="self_card_x"),
    "evaluation:card_pdf@y_via_x": url("evaluation:card_pdf", pk="dossier_x", card_pk="card_y"),
    "evaluation:council_standing": url("evaluation:council_standing", pk="council_x"),
    "evaluation:council_standing@y": url("evaluation:council_standing", pk="council_y"),
    "evaluation:help": url("evaluation:help"),
    "evaluation:verify_form": url("evaluation:verify_form"),
    "evaluation:verify": url("evaluation:verify", number="certificate_x.number"),
    "evaluation:verify@withdrawn": url("evaluation:verify", number="certificate_hidden.number"),
    "evaluation:verify@unknown": url("evaluation:verify", number=literal("KHONG-CO-SO-NAY")),
    "evaluation:verify_qr": url("evaluation:verify_qr", number="certificate_x.number"),
    "evaluation:report": url("evaluation:report"),
    "evaluation:reports": url("evaluation:reports"),
    "evaluation:report_detail": url("evaluation:report_detail", pk=_fake_report),
    "evaluation:certificate_pdf": url("evaluation:certificate_pdf", number="certificate_x.number"),
    "evaluation:statistics": url("evaluation:statistics"),
    "evaluation:official_statistics": url("evaluation:official_statistics"),
    "evaluation:statistics_csv": url("evaluation:statistics_csv", key=literal("stars")),
    "evaluation:statistics_csv@official": url("evaluation:statistics_csv", key=literal("expiring")),
    "evaluation:statistics_xlsx": url("evaluation:statistics_xlsx", key=literal("stars")),
    "evaluation:statistics_xlsx@official": url(
        "evaluation:statistics_xlsx", key=literal("expiring")
    ),
    "evaluation:certificates": url("evaluation:certificates"),
    "evaluation:revoke": url("evaluation:revoke", pk="certificate_x"),
    "evaluation:revoke@city": url("evaluation:revoke", pk="certificate_city"),
    "evaluation:reevaluation": url("evaluation:reevaluation"),
    "evaluation:certificates_pdf": lambda cast: (
        f"{reverse('evaluation:certificates_pdf')}?id={cast['certificate_city'].pk}"
    ),
    "evaluation:decisions": url("evaluation:decisions"),
    "evaluation:decision": url("evaluation:decision", pk="decision_city"),
    "evaluation:decision_pdf": url("evaluation:decision_pdf", pk="decision_city"),
    "catalogue:catalogue": url("catalogue:catalogue"),
    "catalogue:product": url("catalogue:product", slug="product_x.slug"),
    "catalogue:product@withdrawn": url("catalogue:product", slug="product_hidden.slug"),
    "catalogue:product_qr": url("catalogue:product_qr", slug="product_x.slug", fmt=literal("png")),
    "catalogue:product_qr@withdrawn": url(
        "catalogue:product_qr", slug="product_hidden.slug", fmt=literal("svg")
    ),
    "catalogue:sales_points": url("catalogue:sales_points"),
    "imports:upload": url("imports:upload"),
    "imports:confirm": url("imports:confirm"),
    "imports:columns": url("imports:columns"),
    "imports:template_csv": url("imports:template_csv"),
    "imports:template_xlsx": url("imports:template_xlsx"),
    "imports:preview": url("imports:preview", token=literal("0" * 64)),
    "imports:preview_held": url("imports:preview_held", token=literal("0" * 64)),
    "imports:preview_progress": url("imports:preview_progress", token=literal("0" * 64)),
    "imports:batch": url("imports:batch", pk=lambda cast: _city_batch()),
    "imports:batch_progress": url("imports:batch_progress", pk=lambda cast: _city_batch()),
    "imports:batch_held": url("imports:batch_held", pk=lambda cast: _city_batch()),
    "imports:batch_undo": url("imports:batch_undo", pk=lambda cast: _city_batch()),
    "evaluation:evidence": url("evaluation:evidence", pk="evidence_x"),
    "evaluation:evidence@y": url("evaluation:evidence", pk="evidence_y"),
    "login": url("login"),
    "logout": url("logout"),
    "accounts:account": url("accounts:account"),
    "accounts:password_change": url("accounts:password_change"),
    "accounts:password_reset": url("accounts:password_reset"),
    "accounts:password_reset_done": url("accounts:password_reset_done"),
    "accounts:password_reset_complete": url("accounts:password_reset_complete"),
    # A link that is not one: the page that says so, for everyone.
    "accounts:password_reset_confirm": url(
        "accounts:password_reset_confirm", uidb64=literal("MQ"), token=literal("abc-123")
    ),
    "accounts:invitation": url(
        "accounts:invitation", uidb64=literal("MQ"), token=literal("abc-123")
    ),
    "set_language": url("set_language"),
    "robots_txt": url("robots_txt"),
    "ping": url("ping"),
    "health": url("health"),
    "health_live": url("health_live"),
    "sitemap_index": url("sitemap_index"),
    "django.contrib.sitemaps.views.sitemap": url(
        "django.contrib.sitemaps.views.sitemap", section=literal("products")
    ),
    "django.contrib.sitemaps.views.sitemap@unknown": url(
        "django.contrib.sitemaps.views.sitemap", section=literal("dossiers")
    ),
    # Public media is served from MEDIA_ROOT only while DEBUG is on; private papers live
    # outside it and must not come out under their stored name, nor by climbing out.
    "^media/(?P<path>.*)$@private": lambda cast: f"/media/{cast['document_x'].file.name}",
    "^media/(?P<path>.*)$@evidence": lambda cast: f"/media/{cast['evidence_x'].file.name}",
    "^media/(?P<path>.*)$@climbing": lambda cast: (
        f"/media/%2E%2E/private/{cast['document_x'].file.name}"
    ),
    # Notifications: producer A's notice about dossier X (made on first use in the test).
    "notifications:list": url("notifications:list"),
    "notifications:mark_all_read": url("notifications:mark_all_read"),
    "notifications:open": lambda cast: reverse("notifications:open", args=[_notice(cast)]),
    "notifications:mark_read": lambda cast: reverse(
        "notifications:mark_read", args=[_notice(cast)]
    ),
    "notifications:preferences": url("notifications:preferences"),
    "notifications:remind": url("notifications:remind", pk="dossier_x"),
    "api:root": url("api:root"),
    "opendata:docs": url("opendata:docs"),
    "api:schema": url("api:schema"),
    "api:product-list": url("api:product-list"),
    "api:product-detail": url("api:product-detail", slug="product_x.slug"),
    "api:product-detail@withdrawn": url("api:product-detail", slug="product_hidden.slug"),
    "api:producer-list": url("api:producer-list"),
    "api:producer-detail": url("api:producer-detail", pk="producer_x"),
    "api:producer-detail@withdrawn": url("api:producer-detail", pk="producer_hidden"),
    "api:certificate-list": url("api:certificate-list"),
    "api:certificate-detail": url("api:certificate-detail", number="certificate_x.number"),
    "api:certificate-detail@withdrawn": url(
        "api:certificate-detail", number="certificate_hidden.number"
    ),
}

# Patterns that exist only in some configurations: media is served by Django only with
# DEBUG on (in production the web server serves it).
OPTIONAL_PATTERNS = {"^media/(?P<path>.*)$"}
# Not served: a path that climbs out of MEDIA_ROOT is refused by Django's serve() with
# 400 where the media route exists (its URL conf was first loaded with DEBUG on, which
# depends on test order), and is a 404 where it does not. Either way nothing comes out.
NS = (400, 404)

# fmt: off
# The roles, left to right:       anonymous, producer A, producer B, member of X, member of Y,
# secretary of X, city office, central office, city inspector, administrator.
EXPECTED = {
    #                                      anon pr_a pr_b mb_x mb_y se_x city cent insp admin
    # Every role here has a part in the procedure (a visitor without one goes on to the
    # catalogue: tests/evaluation/views/test_todo.py).
    "evaluation:todo":                     (L,  200, 200, 200, 200, 200, 200, 200, 200, 200),
    "evaluation:dossiers":                 (L,  200, 200, 200, 200, 200, 200, 200, 200, 200),
    "evaluation:dossier":                  (L,  200, 404, 200, 404, 200, 404, 404, 200, 200),
    "evaluation:dossier@y":                (L,  404, 200, 404, 200, 404, 404, 404, 200, 200),
    "evaluation:transition":               (L,  405, 405, 405, 405, 405, 405, 405, 405, 405),
    # A decision's confirmation: the office of the round's level and unit (none here for
    # district rounds) or an administrator; those who see the dossier without deciding get
    # 403, the others 404. The dossier is being scored: the administrator is sent back to it.
    "evaluation:decide":                   (L,  403, 404, 403, 404, 403, 404, 404, 403, R),
    "evaluation:decide@y":                 (L,  404, 403, 404, 403, 404, 404, 404, 403, R),
    "evaluation:conflict":                 (L,  405, 405, 405, 405, 405, 405, 405, 405, 405),
    "evaluation:upload":                   (L,  405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Starting a dossier: a producer's page (their own products), no one else's.
    "evaluation:start":                    (L,  200, 200, 404, 404, 404, 404, 404, 404, 404),
    # Filing: the producer's; the dossier being scored is filed already (back to it).
    "evaluation:file":                     (L,  R,   404, 403, 404, 403, 404, 404, 403, 403),
    "evaluation:document_remove":          (L,  405, 405, 405, 405, 405, 405, 405, 405, 405),
    "evaluation:document_replace":         (L,  405, 405, 405, 405, 405, 405, 405, 405, 405),
    "evaluation:document":                 (L,  200, 404, 200, 404, 200, 404, 404, 200, 200),
    "evaluation:document@y":               (L,  404, 200, 404, 200, 404, 404, 404, 200, 200),
    "evaluation:document@y_via_x":         (L,  404, 404, 404, 404, 404, 404, 404, 404, 404),
    # Only the chair and members score; the secretary, producer and administrator do not.
    "evaluation:scorecard":                (L,  403, 404, 200, 404, 403, 404, 404, 403, 403),
    "evaluation:autosave":                 (L,  405, 405, 405, 405, 405, 405, 405, 405, 405),
    "evaluation:submit":                   (L,  403, 404, 200, 404, 403, 404, 404, 403, 403),
    # A member's draft card: its author, the secretary and the administrator; to anyone
    # else it does not exist (another member, the producer, the inspector: 404).
    "evaluation:card":                     (L,  404, 404, 200, 404, 200, 404, 404, 404, 200),
    # The producer's filed self-assessment: the producer, the council and the inspector.
    "evaluation:card@self":                (L,  200, 404, 200, 404, 200, 404, 404, 200, 200),
    "evaluation:card@y_via_x":             (L,  404, 404, 404, 404, 404, 404, 404, 404, 404),
    "evaluation:reopen":                   (L,  405, 405, 405, 405, 405, 405, 405, 405, 405),
    "evaluation:reopen@y_via_x":           (L,  405, 405, 405, 405, 405, 405, 405, 405, 405),
    "evaluation:self":                     (L,  200, 404, 403, 404, 403, 404, 404, 403, 403),
    "evaluation:self_autosave":            (L,  405, 405, 405, 405, 405, 405, 405, 405, 405),
    "evaluation:self_submit":              (L,  200, 404, 403, 404, 403, 404, 404, 403, 403),
    # Before a decision: those who manage, the inspector, and members once their own card
    # is in; to a member still scoring and to the producer it does not exist yet (404).
    "evaluation:result":                   (L,  404, 404, 404, 404, 200, 404, 404, 200, 200),
    # The minutes exist once the result stands: dossier X is still being scored (404 to
    # all; tests/system/permissions/test_state_matrix.py has the states after).
    "evaluation:minutes_pdf":              (L,  404, 404, 404, 404, 404, 404, 404, 404, 404),
    # A card printed for signature: exactly those who read the card (draft here).
    "evaluation:card_pdf":                 (L,  404, 404, 200, 404, 200, 404, 404, 404, 200),
    "evaluation:card_pdf@self":            (L,  404, 404, 404, 404, 404, 404, 404, 404, 404),
    "evaluation:card_pdf@y_via_x":         (L,  404, 404, 404, 404, 404, 404, 404, 404, 404),
    # How the members stand: the council's secretary, the office of its level and unit
    # (none here for district councils), the inspector over it, an administrator.
    "evaluation:council_standing":         (L,  404, 404, 404, 404, 200, 404, 404, 200, 200),
    "evaluation:council_standing@y":       (L,  404, 404, 404, 404, 404, 404, 404, 200, 200),
    "evaluation:help":                     (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "evaluation:verify_form":              (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "evaluation:verify":                   (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # A paper certificate stays checkable after its product leaves the catalogue.
    "evaluation:verify@withdrawn":         (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "evaluation:verify@unknown":           (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "evaluation:verify_qr":                (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # Anyone reports a suspected fake; the reports are read by the office they were sent
    # to (the city's certificate: the city office) and the one that may revoke, nobody else.
    "evaluation:report":                   (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "evaluation:reports":                  (L,  404, 404, 404, 404, 404, 200, 200, 404, 200),
    "evaluation:report_detail":            (L,  404, 404, 404, 404, 404, 200, 404, 404, 200),
    "evaluation:certificate_pdf":          (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "evaluation:statistics":               (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "evaluation:official_statistics":      (L,  404, 404, 404, 404, 404, 200, 200, 200, 200),
    "evaluation:statistics_csv":           (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "evaluation:statistics_csv@official":  (404, 404, 404, 404, 404, 404, 200, 200, 200, 200),
    "evaluation:statistics_xlsx":          (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "evaluation:statistics_xlsx@official": (404, 404, 404, 404, 404, 404, 200, 200, 200, 200),
    "evaluation:certificates":             (L,  200, 200, 200, 200, 200, 200, 200, 200, 200),
    # The revocation's page: the authority holding the power today (the city, also for a
    # certificate its abolished district issued) or an administrator.
    "evaluation:revoke":                   (L,  403, 404, 404, 404, 404, 200, 404, 403, 200),
    "evaluation:revoke@city":              (L,  403, 404, 404, 404, 404, 200, 404, 403, 200),
    "evaluation:reevaluation":             (L,  404, 404, 404, 404, 404, 200, 200, 200, 200),
    # Producer A's city certificate, printed: those who see it.
    "evaluation:certificates_pdf":         (L,  200, 404, 404, 404, 404, 200, 404, 200, 200),
    # Acts are officials' papers: the issuing office and the inspectors over it.
    "evaluation:decisions":                (L,  404, 404, 404, 404, 404, 200, 200, 200, 200),
    "evaluation:decision":                 (L,  404, 404, 404, 404, 404, 200, 404, 200, 200),
    "evaluation:decision_pdf":             (L,  404, 404, 404, 404, 404, 200, 404, 200, 200),
    "catalogue:catalogue":                  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "catalogue:product":                    (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "catalogue:product@withdrawn":          (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    # The code to print on the packaging: only a listed product's.
    "catalogue:product_qr":                 (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "catalogue:product_qr@withdrawn":       (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "catalogue:sales_points":               (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # A product's evidence: whoever may open the product outside the catalogue (its producer,
    # the council and inspector of its dossier), as the product admin is scoped.
    # The city office too, which may revoke the products' certificates (their districts
    # being abolished) and inspects OCOP products in the province (26/2026, Điều 9.4.a).
    "evaluation:evidence":                   (L,  200, 404, 200, 404, 200, 200, 404, 200, 200),
    "evaluation:evidence@y":                 (L,  404, 200, 404, 200, 404, 200, 404, 200, 200),
    # Imports are an office's: a page, not an object, so the others get 403, not 404.
    "imports:upload":                     (L,  403, 403, 403, 403, 403, 200, 200, 403, 200),
    "imports:confirm":             (L,  405, 405, 405, 405, 405, 405, 405, 405, 405),
    "imports:columns":             (L,  405, 405, 405, 405, 405, 405, 405, 405, 405),
    "imports:template_csv":        (L,  403, 403, 403, 403, 403, 200, 200, 403, 200),
    "imports:template_xlsx":       (L,  403, 403, 403, 403, 403, 200, 200, 403, 200),
    # A preview is its uploader's: nobody else's token is found (here: nobody's).
    "imports:preview":             (L,  403, 403, 403, 403, 403, 404, 404, 403, 404),
    "imports:preview_held":        (L,  403, 403, 403, 403, 403, 404, 404, 403, 404),
    "imports:preview_progress":    (L,  403, 403, 403, 403, 403, 404, 404, 403, 404),
    # The city office's batch: its importer and administrators; another office: 404.
    "imports:batch":               (L,  403, 403, 403, 403, 403, 200, 404, 403, 200),
    "imports:batch_progress":      (L,  403, 403, 403, 403, 403, 200, 404, 403, 200),
    "imports:batch_held":          (L,  403, 403, 403, 403, 403, 200, 404, 403, 200),
    "imports:batch_undo":          (L,  405, 405, 405, 405, 405, 405, 405, 405, 405),
    # One's own notifications; another's is a 404. Opening leads to the dossier (R).
    "notifications:list":                  (L,  200, 200, 200, 200, 200, 200, 200, 200, 200),
    "notifications:mark_all_read":         (L,  405, 405, 405, 405, 405, 405, 405, 405, 405),
    "notifications:open":                  (L,  R,   404, 404, 404, 404, 404, 404, 404, 404),
    "notifications:mark_read":             (L,  405, 405, 405, 405, 405, 405, 405, 405, 405),
    "notifications:preferences":           (L,  200, 200, 200, 200, 200, 200, 200, 200, 200),
    # The reminder to members: whoever runs the council's work (its secretary, an
    # administrator); those who see the dossier otherwise get 403, the others 404.
    "notifications:remind":                (L,  403, 404, 403, 404, 200, 404, 404, 403, 200),
    "login":                               (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "logout":                              (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # One's own account: the page, the password change.
    "accounts:account":                    (L,  200, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_change":            (L,  200, 200, 200, 200, 200, 200, 200, 200, 200),
    # A forgotten password: open to all, and the same answer whoever asks.
    "accounts:password_reset":             (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset_done":        (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset_complete":    (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset_confirm":     (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:invitation":                 (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "set_language":                        (R,  R,   R,   R,   R,   R,   R,   R,   R,   R),
    "robots_txt":                          (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "ping":                                (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # Says only "ok" or which part failed: nothing of anyone's data.
    "health":                              (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # Says "ok": this process answers (liveness, for a supervisor).
    "health_live":                         (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "sitemap_index":                       (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "django.contrib.sitemaps.views.sitemap":
                                           (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "django.contrib.sitemaps.views.sitemap@unknown":
                                           (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "^media/(?P<path>.*)$@private":        (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "^media/(?P<path>.*)$@evidence":       (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "^media/(?P<path>.*)$@climbing":       (NS,) * 10,
    "api:root":                            (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "opendata:docs":                       (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api:schema":                          (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api:product-list":                    (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api:product-detail":                  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api:product-detail@withdrawn":        (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "api:producer-list":                   (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api:producer-detail":                 (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api:producer-detail@withdrawn":       (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "api:certificate-list":                (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api:certificate-detail":              (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api:certificate-detail@withdrawn":    (404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
}
# fmt: on


# What a list shows each role, beyond its status.
def _context(name, attr=None):
    def shown(response):
        rows = response.context[name]
        rows = getattr(rows, "object_list", rows)  # a page of the catalogue
        return {str((row[attr] if attr else row).pk) for row in rows}

    return shown


def _json(field):
    def shown(response):
        return {str(row[field]) for row in response.json()["results"]}

    return shown


def _sitemap_slugs(response):
    return set(re.findall(r"/san-pham/([-\w]+)/", response.content.decode()))


@dataclass(frozen=True)
class Listing:
    shown: Callable  # response → the identifiers it lists
    identify: str  # the attribute of a cast object that `shown` gives
    sees: dict  # role → cast keys it must list, no more, no less; "*" for every role


DOSSIERS = {"dossier_x", "dossier_y"}
CERTIFICATES = {"certificate_x", "certificate_y", "certificate_city", "certificate_hidden"}
PUBLIC_PRODUCTS = {"product_x", "product_y", "product_city"}
LISTINGS = {
    "evaluation:dossiers": Listing(
        _context("dossiers"),
        "pk",
        {
            "producer_a": {"dossier_x"},
            "producer_b": {"dossier_y"},
            "member_x": {"dossier_x"},
            "member_y": {"dossier_y"},
            "secretary_x": {"dossier_x"},
            # Offices see their own level's rounds, and these are district rounds.
            "city_office": set(),
            "central_office": set(),
            "inspector": DOSSIERS,
            "administrator": DOSSIERS,
        },
    ),
    "evaluation:certificates": Listing(
        _context("rows", "certificate"),
        "pk",
        {
            "producer_a": {"certificate_x", "certificate_city"},
            "producer_b": {"certificate_y"},
            "member_x": set(),
            "member_y": set(),
            "secretary_x": set(),
            # And those it may revoke: its former districts' and an imported one.
            "city_office": CERTIFICATES,
            "central_office": set(),
            "inspector": CERTIFICATES,
            "administrator": CERTIFICATES,
        },
    ),
    "catalogue:catalogue": Listing(_context("page"), "pk", {"*": PUBLIC_PRODUCTS}),
    "api:product-list": Listing(_json("slug"), "slug", {"*": PUBLIC_PRODUCTS}),
    "api:producer-list": Listing(_json("id"), "pk", {"*": {"producer_x", "producer_y"}}),
    # Public record, except the certificates of products their producer withdrew.
    "api:certificate-list": Listing(
        _json("number"), "number", {"*": {"certificate_x", "certificate_y", "certificate_city"}}
    ),
    "django.contrib.sitemaps.views.sitemap": Listing(
        _sitemap_slugs, "slug", {"*": PUBLIC_PRODUCTS}
    ),
}


# ---------------------------------------------------------------- POST
@dataclass(frozen=True)
class Post:
    data: Callable  # cast → form data
    writes: tuple = ()  # roles whose POST must change the database
    prepare: Callable | None = None  # cast → None, run inside the test's transaction


def _status(key, status):
    def prepare(cast):
        Dossier.objects.filter(pk=cast[key].pk).update(status=status)

    return prepare


def _submitted_card(cast):
    Scorecard.objects.filter(pk=cast["card_x"].pk).update(
        status=Scorecard.Status.SUBMITTED, submitted_at=timezone.now()
    )


def _tick(cast):
    # Another option than the one already ticked, so an allowed POST does change the card.
    other = cast["criterion_x"].options.exclude(pk=cast["option_x"].pk).first()
    return {"criterion": cast["criterion_x"].pk, "option": other.pk}


def _whole_form(cast):
    tick = _tick(cast)
    return {f"c{tick['criterion']}": tick["option"]}


def _upload(cast):
    from tests.factories import pdf_upload

    return {"title": "Phiếu kiểm nghiệm", "file": pdf_upload("kn.pdf")}


def _act_form(cast):
    return {
        "number": "77/QĐ-UBND",
        "signed_on": timezone.localdate().isoformat(),
        "authority": "UBND thành phố Hà Nội",
        "signer_name": "Nguyễn Văn An",
        "signer_title": "Phó Chủ tịch",
    }


def _revocation(cast):
    return {
        **_act_form(cast),
        "ground": "criteria_not_met",
        "inspection_reference": "KL 1/2026",
        "inspection_concluded_on": "2026-01-05",
        "note": "",
    }


def _final_result(cast):
    """Dossier X with its council's final 3★ result: a decision can be taken on it."""
    Dossier.objects.filter(pk=cast["dossier_x"].pk).update(status=Dossier.Status.RESULT)
    CouncilResult.objects.filter(pk=cast["result_x"].pk).update(
        outcome="final", mean=Decimal("61.00"), band_stars=3, stars=3
    )


# What each POST sends, whose POST must write, and the state it needs first. Its address
# is the row of the same key in ADDRESSES.
POSTS = {
    "evaluation:transition": Post(
        literal({"target": "checked", "note": ""}),
        writes=("secretary_x", "administrator"),
        prepare=_status("dossier_x", "submitted"),
    ),
    "evaluation:conflict": Post(literal({"reason": "Họ hàng"}), writes=("member_x",)),
    "evaluation:upload": Post(
        _upload, writes=("producer_a",), prepare=_status("dossier_x", "draft")
    ),
    "evaluation:document_remove": Post(
        literal({}), writes=("producer_a",), prepare=_status("dossier_x", "draft")
    ),
    "evaluation:document_replace": Post(
        _upload, writes=("producer_a",), prepare=_status("dossier_x", "draft")
    ),
    "evaluation:autosave": Post(_tick, writes=("member_x",)),
    "evaluation:scorecard": Post(_whole_form, writes=("member_x",)),
    "evaluation:submit": Post(literal({})),
    "evaluation:self_autosave": Post(
        _tick, writes=("producer_a",), prepare=_status("dossier_x", "draft")
    ),
    "evaluation:self": Post(
        _whole_form, writes=("producer_a",), prepare=_status("dossier_x", "draft")
    ),
    "evaluation:self_submit": Post(literal({})),
    "evaluation:reopen": Post(
        literal({"reason": "Chấm lại tiêu chí 1"}),
        writes=("secretary_x", "administrator"),
        prepare=_submitted_card,
    ),
    "evaluation:reopen@y_via_x": Post(literal({"reason": "Chấm lại"})),
    "evaluation:decide": Post(_act_form, writes=("administrator",), prepare=_final_result),
    "evaluation:revoke": Post(_revocation, writes=("city_office", "administrator")),
    "evaluation:revoke@city": Post(_revocation, writes=("city_office", "administrator")),
    "imports:confirm": Post(literal({"token": "0" * 64})),
    "imports:columns": Post(literal({"token": "0" * 64, "col-0": "stars"})),
    "imports:upload": Post(literal({})),
    # Without the confirming tick: back to the batch page, nothing undone.
    "imports:batch_undo": Post(literal({})),
    # Queues a job (a jobs table, outside the snapshot) whoever asks, for any address.
    "accounts:password_reset": Post(literal({"email": "khong-co@example.vn"})),
    "accounts:account": Post(literal({"language": "en"})),
    # Without the old password: the form again, nothing written.
    "accounts:password_change": Post(literal({"old_password": "sai"})),
    "notifications:remind": Post(literal({}), writes=("secretary_x", "administrator")),
    "notifications:mark_read": Post(literal({}), writes=("producer_a",), prepare=_notice),
    "notifications:mark_all_read": Post(literal({}), writes=("producer_a",), prepare=_notice),
    "notifications:preferences": Post(literal({"filed": "on"}), writes=("producer_a",)),
}

# fmt: off
POST_EXPECTED = {
    #                                      anon pr_a pr_b mb_x mb_y se_x city cent insp admin
    "evaluation:transition":               (L,  403, 404, 403, 404, 302, 404, 404, 403, 302),
    "evaluation:conflict":                 (L,  403, 404, 302, 404, 403, 404, 404, 403, 403),
    # On a draft, which only its producer opens: everyone else gets 404.
    "evaluation:upload":                   (L,  302, 404, 404, 404, 404, 404, 404, 404, 403),
    "evaluation:document_remove":          (L,  302, 404, 404, 404, 404, 404, 404, 404, 403),
    "evaluation:document_replace":         (L,  302, 404, 404, 404, 404, 404, 404, 404, 403),
    "evaluation:autosave":                 (L,  403, 404, 200, 404, 403, 404, 404, 403, 403),
    "evaluation:scorecard":                (L,  403, 404, 302, 404, 403, 404, 404, 403, 403),
    # Submitting an incomplete card is refused with a message: a redirect, and no write.
    "evaluation:submit":                   (L,  403, 404, 302, 404, 403, 404, 404, 403, 403),
    # The self-assessment changes only on a draft (or a returned dossier): see
    # tests/evaluation/views/test_independence.py for the 409 once it is filed.
    "evaluation:self_autosave":            (L,  200, 404, 404, 404, 404, 404, 404, 404, 403),
    "evaluation:self":                     (L,  302, 404, 404, 404, 404, 404, 404, 404, 403),
    "evaluation:self_submit":              (L,  302, 404, 403, 404, 403, 404, 404, 403, 403),
    # A submitted card: the producer may not read it, so is not told it exists (404).
    "evaluation:reopen":                   (L,  404, 404, 403, 404, 302, 404, 404, 403, 302),
    "evaluation:reopen@y_via_x":           (L,  404, 404, 404, 404, 404, 404, 404, 404, 404),
    # Dossier X with a final result: only the administrator decides here (no district
    # office in this cast); the producer, members and inspector see it without deciding.
    "evaluation:decide":                   (L,  403, 404, 403, 404, 403, 404, 404, 403, 302),
    # A district's certificate: the city revokes it, its district being abolished.
    "evaluation:revoke":                   (L,  403, 404, 404, 404, 404, 302, 404, 403, 302),
    "evaluation:revoke@city":              (L,  403, 404, 404, 404, 404, 302, 404, 403, 302),
    # Nothing waits for confirmation: offices are sent back to the upload page.
    "imports:confirm":             (L,  403, 403, 403, 403, 403, R,   R,   403, R),
    # No file waiting: offices are sent back to the upload page, nothing remembered.
    "imports:columns":             (L,  403, 403, 403, 403, 403, R,   R,   403, R),
    # No file: offices get the form back with its error.
    "imports:upload":                     (L,  403, 403, 403, 403, 403, 400, 400, 403, 400),
    "imports:batch_undo":                 (L,  403, 403, 403, 403, 403, R,   404, 403, R),
    "accounts:password_reset":             (R,  R,   R,   R,   R,   R,   R,   R,   R,   R),
    "accounts:account":                    (L,  R,   R,   R,   R,   R,   R,   R,   R,   R),
    "accounts:password_change":            (L,  200, 200, 200, 200, 200, 200, 200, 200, 200),
    "notifications:remind":                (L,  403, 404, 403, 404, R,   404, 404, 403, R),
    "notifications:mark_read":             (L,  R,   404, 404, 404, 404, 404, 404, 404, 404),
    "notifications:mark_all_read":         (L,  R,   R,   R,   R,   R,   R,   R,   R,   R),
    "notifications:preferences":           (L,  R,   R,   R,   R,   R,   R,   R,   R,   R),
}
# fmt: on

# Reference data the matrix never changes; every other table of the two apps is compared
# before and after a refused POST, so a new model is watched without being listed here.
REFERENCE_MODELS = {
    "registry.administrativeunit",
    "registry.productgroup",
    "registry.productset",
    "evaluation.rulebook",
    "evaluation.sheet",
    "evaluation.sheetpart",
    "evaluation.sheetsection",
    "evaluation.criterion",
    "evaluation.option",
}


def snapshot():
    """Every row of every table a request could write, as plain values (plain SQL: the ORM
    would double the time of each POST test)."""
    tables = [
        model._meta.db_table
        for app in ("registry", "evaluation", "imports", "notifications")
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
        if model._meta.label_lower not in REFERENCE_MODELS
    ]
    rows = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            rows[table] = cursor.fetchall()
    return rows


# ---------------------------------------------------------------- the admin
# The admin lets in staff only, whatever else a user may do: every signed-in role without
# staff status is turned away the same way. The inspector, who reads everything in the
# application, stands for them here; test_the_admin_turns_away_every_role_without_staff
# checks the others on every model's list.
ADMIN_ROLES = ["anonymous", "inspector", "staff_x", "administrator"]

# The objects the admin opens for a model: "x" in district X's scope, "y" outside it. A
# model not named here opens its first row.
ADMIN_OBJECTS = {
    "evaluation.dossier": ("dossier_x", "dossier_y"),
    "evaluation.scorecard": ("card_x", "card_y"),
    "evaluation.councilresult": ("result_x", "result_y"),
    "evaluation.certificate": ("certificate_x", "certificate_y"),
    "registry.producer": ("producer_x", "producer_y"),
    "registry.product": ("product_x", "product_y"),
}
# The models district X's staff account may view (conftest.build_cast), and within them the
# objects in its scope: it opens those, and the admin answers "does not exist" for others.
# It holds no certificate's scope: it is neither a producer nor an office.
STAFF_MODELS = set(ADMIN_OBJECTS)
# It is a member of X's council whose own card is not submitted: like the application, the
# admin shows it no other member's card and no result (independent scoring).
STAFF_REACHES = {"dossier_x", "producer_x", "product_x"}

# Cells that fail today, each with its reason ({(key, role): reason}); strict, so that
# fixing one fails its cell until the entry is removed. None today: the last, the product
# and dossier pages that crashed on private papers, link them to checked downloads now.
KNOWN_FAILURES = {}

# Admins that refuse "add": rows that only the application's own functions write.
ADMIN_NO_ADD = {
    "jobs.job",
    "jobs.failedjob",
    "jobs.worker",
    "mail.sentmail",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "imports.importbatch",
    "evaluation.rulebook",
    "evaluation.sheet",
    "evaluation.scorecard",
    "evaluation.councilresult",
    "evaluation.certificate",
    "evaluation.decision",
    "notifications.notification",
}
# Admins that refuse "delete" even to administrators: recorded acts are kept.
ADMIN_NO_DELETE = {"evaluation.decision"}


def _admin_object_url(action, label, key):
    app, model = label.split(".")

    def build(cast):
        obj = cast[key] if key else apps.get_model(label)._default_manager.order_by("pk").first()
        address = reverse(f"admin:{app}_{model}_change", args=[obj.pk])
        return address.removesuffix("change/") + (f"{action}/" if action else "")

    return build


def _first_history(key, name="admin:evaluation_certificate_simple_history"):
    def build(cast):
        version = cast[key].history.order_by("history_id").first()
        return reverse(name, args=[cast[key].pk, version.history_id])

    return build


def admin_rows():
    """{key: (address builder, expected per ADMIN_ROLES)}: the admin's own pages, then
    each registered model's pages, derived from admin.site._registry."""
    rows = {
        "admin:index": (url("admin:index"), (A, A, 200, 200)),
        "admin:login": (url("admin:login"), (200, 200, R, R)),
        "admin:logout": (url("admin:logout"), (R, R, 405, 405)),
        "admin:password_change": (url("admin:password_change"), (A, A, 200, 200)),
        "admin:password_change_done": (url("admin:password_change_done"), (A, A, 200, 200)),
        "admin:jsi18n": (url("admin:jsi18n"), (A, A, 200, 200)),
        "admin:autocomplete": (
            with_query(
                url("admin:autocomplete"),
                "app_label=evaluation&model_name=dossier&field_name=product&term=Y",
            ),
            (A, A, 200, 200),
        ),
        # No model here has a public page to "view on site".
        "admin:view_on_site": (
            url(
                "admin:view_on_site",
                content_type_id=lambda c: ContentType.objects.get_for_model(c["dossier_x"]).pk,
                object_id="dossier_x",
            ),
            (A, A, 404, 404),
        ),
        "admin/(?P<url>.*)$": (literal("/admin/khong-co/"), (A, A, 404, 404)),
        "admin:evaluation_rulebook_load_sheet": (
            url("admin:evaluation_rulebook_load_sheet"),
            (A, A, R, 200),  # superusers only; staff go back to the index
        ),
        "admin:auth_user_invite": (
            url("admin:auth_user_invite"),
            (A, A, R, 200),  # superusers only; staff go back to the index
        ),
        "admin:auth_user_password_change": (
            lambda c: reverse("admin:auth_user_password_change", args=[c["producer_a"].pk]),
            (A, A, 403, 200),
        ),
        # A district's certificate; test_certificate_history_in_the_admin_follows_the_
        # staff_members_scope opens one in a staff member's scope.
        "admin:evaluation_certificate_simple_history": (
            _first_history("certificate_y"),
            (A, A, 404, 200),
        ),
        # The city's act: the staff member may not view acts at all.
        "admin:evaluation_decision_simple_history": (
            _first_history("decision_city", "admin:evaluation_decision_simple_history"),
            (A, A, 403, 200),
        ),
    }
    staff_apps = {label.split(".")[0] for label in STAFF_MODELS}
    for app in sorted({model._meta.app_label for model in admin.site._registry}):
        rows[f"admin:app_list@{app}"] = (
            url("admin:app_list", app_label=literal(app)),
            (A, A, 200 if app in staff_apps else 404, 200),
        )
    for model in admin.site._registry:
        label = model._meta.label_lower
        app, name = label.split(".")
        viewer = label in STAFF_MODELS
        no_add = 403 if label in ADMIN_NO_ADD else 200
        rows[f"admin:{app}_{name}_changelist"] = (
            url(f"admin:{app}_{name}_changelist"),
            (A, A, 200 if viewer else 403, 200),
        )
        rows[f"admin:{app}_{name}_add"] = (url(f"admin:{app}_{name}_add"), (A, A, 403, no_add))
        keys = ADMIN_OBJECTS.get(label, (None,))
        for key in keys:
            suffix = f"@{key.rsplit('_', 1)[1]}" if key else ""
            if not viewer:
                staff = 403
            elif key in STAFF_REACHES:
                staff = 200
            else:
                staff = R  # the admin's "does not exist", as for an id that does not exist
            # django-simple-history's history page answers 404 instead (evaluation/admin.py).
            history = 404 if label == "evaluation.certificate" and staff == R else staff
            for action, cells in [
                ("change", (A, A, staff, 200)),
                ("history", (A, A, history, 200)),
                ("delete", (A, A, 403, 403 if label in ADMIN_NO_DELETE else 200)),
            ]:
                rows[f"admin:{app}_{name}_{action}{suffix}"] = (
                    _admin_object_url(action, label, key),
                    cells,
                )
        # The bare "<object_id>/" address, kept by Django as a redirect to "change/". It has
        # no name, so its row is keyed by its route.
        rows[f"admin/{app}/{name}/<path:object_id>/"] = (
            _admin_object_url("", label, keys[0]),
            (A, A, R, R),
        )
    return rows


ADMIN_ROWS = admin_rows()


# ---------------------------------------------------------------- URL patterns
def url_patterns(patterns=None, prefix="", namespace=""):
    """(qualified name or None, route) for every pattern, through includes, i18n_patterns,
    the API router and the admin."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            nested = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            found += url_patterns(pattern.url_patterns, route, nested)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            found.append((name, route))
    return found


def base(key):
    return key.split("@", 1)[0]


def test_every_url_pattern_has_a_row_and_every_row_a_pattern():
    patterns = {name or route for name, route in url_patterns()}
    rows = {base(key) for key in EXPECTED} | {base(key) for key in ADMIN_ROWS}
    missing = sorted(patterns - rows)
    assert missing == [], f"URL patterns with no row in the permission matrix: {missing}"
    stale = sorted(rows - patterns - OPTIONAL_PATTERNS)
    assert stale == [], f"rows of the matrix whose URL pattern no longer exists: {stale}"


def test_every_row_has_an_address_and_one_cell_per_role():
    assert set(EXPECTED) == set(ADDRESSES)
    assert all(len(cells) == len(ROLES) for cells in EXPECTED.values())
    assert set(POSTS) == set(POST_EXPECTED) and set(POSTS) <= set(ADDRESSES)
    assert all(len(cells) == len(ROLES) for cells in POST_EXPECTED.values())
    assert set(LISTINGS) <= set(EXPECTED)


def test_every_page_that_refuses_get_has_a_post_row():
    # A 405 to GET means the page takes POST: its POST must be in the matrix too. Signing
    # out is the one POST that is neither scoped nor refused.
    post_only = {key for key, cells in EXPECTED.items() if 405 in cells[1:]} - {"logout"}
    assert sorted(post_only - set(POSTS)) == []


# ---------------------------------------------------------------- the checks
# One client for the module: each new Client loads the middleware again, and WhiteNoise
# then indexes every static file, half a second a time. Each role has its session from
# the cast; whatever a request writes to it is rolled back with the test.
_CLIENT = Client()


def client_for(cast, role):
    _CLIENT.cookies.clear()
    if role != "anonymous":
        _CLIENT.cookies[settings.SESSION_COOKIE_NAME] = cast["sessions"][role]
    return _CLIENT


def check(response, expected):
    """The response is what the cell says; returns a sentence when it is not."""
    status = response.status_code
    location = response.get("Location", "")
    if expected == L:
        ok = status == 302 and location.startswith(reverse("login") + "?next=")
    elif expected == A:
        ok = status == 302 and location.startswith(reverse("admin:login") + "?next=")
    elif expected == R:
        sign_in = (reverse("login"), reverse("admin:login"))
        ok = status == 302 and not location.startswith(sign_in)
    elif isinstance(expected, tuple):
        ok = status in expected
    else:
        ok = status == expected
    if ok:
        return None
    return f"expected {expected}, got {status} {location}".strip()


def close(response):
    """Read a streamed download to its end, which closes its file, as a WSGI server would.
    Not response.close(): a second request_finished would close the database connection,
    and on PostgreSQL the module's transaction with it."""
    if response.streaming:
        b"".join(response.streaming_content)


GET_CELLS = [(key, role) for key in EXPECTED for role in ROLES]


@pytest.mark.parametrize(("key", "role"), GET_CELLS, ids=[f"{k}-{r}" for k, r in GET_CELLS])
def test_url(cast, key, role):
    response = client_for(cast, role).get(ADDRESSES[key](cast))
    close(response)
    problem = check(response, EXPECTED[key][ROLES.index(role)])
    assert problem is None, f"{key} as {role}: {problem}"
    listing = LISTINGS.get(key)
    if listing is None or response.status_code != 200:
        return
    keys = listing.sees.get(role, listing.sees.get("*"))
    wanted = {str(getattr(cast[k], listing.identify)): k for k in keys}
    shown = listing.shown(response)
    assert shown == set(wanted), (
        f"{key} as {role} lists {sorted(shown - set(wanted))} it should not, "
        f"and misses {sorted(wanted[v] for v in set(wanted) - shown)}"
    )


POST_CELLS = [(key, role) for key in POSTS for role in ROLES]


@pytest.mark.parametrize(("key", "role"), POST_CELLS, ids=[f"{k}-{r}" for k, r in POST_CELLS])
def test_post(cast, key, role):
    post = POSTS[key]
    if post.prepare:
        post.prepare(cast)
    expected = POST_EXPECTED[key][ROLES.index(role)]
    refused = expected in (L, 403, 404, 405)
    before = snapshot() if refused or role in post.writes else None
    response = client_for(cast, role).post(ADDRESSES[key](cast), post.data(cast))
    problem = check(response, expected)
    assert problem is None, f"POST {key} as {role}: {problem}"
    if role in post.writes:
        assert snapshot() != before, f"POST {key} as {role} was accepted but wrote nothing"
    elif refused:
        assert snapshot() == before, f"POST {key} as {role} was refused but wrote to the database"


ADMIN_CELLS = [
    pytest.param(
        key,
        role,
        id=f"{key}-{role}",
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[key, role])]
        if (key, role) in KNOWN_FAILURES
        else [],
    )
    for key in ADMIN_ROWS
    for role in ADMIN_ROLES
]


@pytest.mark.parametrize(("key", "role"), ADMIN_CELLS)
def test_admin_url(cast, key, role):
    build, cells = ADMIN_ROWS[key]
    response = client_for(cast, role).get(build(cast))
    close(response)
    problem = check(response, cells[ADMIN_ROLES.index(role)])
    assert problem is None, f"{key} as {role}: {problem}"


def test_known_failures_name_real_cells():
    assert {key for key, _ in KNOWN_FAILURES} <= set(ADMIN_ROWS)


@pytest.mark.parametrize("role", [r for r in ROLES[1:-1] if r != "inspector"])
def test_the_admin_turns_away_every_role_without_staff(cast, role):
    client = client_for(cast, role)
    lists = [url("admin:index")] + [
        url(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist")
        for m in admin.site._registry
    ]
    let_in = []
    for build in lists:
        response = client.get(build(cast))
        if check(response, A) is not None:
            let_in.append(f"{build(cast)}: {response.status_code}")
    assert let_in == []


def test_certificate_history_in_the_admin_follows_the_staff_members_scope(cast):
    # Offices made staff with the view permission: the city opens its own certificate's
    # history and that of a district certificate it may revoke; the ministry, which
    # revokes only five stars, neither.
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    for role in ("city_office", "central_office"):
        office = get_user_model().objects.get(pk=cast[role].pk)
        office.is_staff = True
        office.save(update_fields=["is_staff"])
        office.user_permissions.add(Permission.objects.get(codename="view_certificate"))
    for role, key, expected in [
        ("city_office", "certificate_city", 200),
        ("city_office", "certificate_x", 200),
        ("central_office", "certificate_city", 404),
        ("central_office", "certificate_x", 404),
    ]:
        client = client_for(cast, role)
        certificate = cast[key]
        history = reverse("admin:evaluation_certificate_history", args=[certificate.pk])
        assert client.get(history).status_code == expected, (role, key)
        assert client.get(_first_history(key)(cast)).status_code == expected, (role, key)


@pytest.mark.parametrize("role", ["producer_b", "member_y", "administrator"])
@pytest.mark.parametrize(
    "key",
    [
        "evaluation:dossier",
        "evaluation:document",
        "evaluation:certificates",
        "evaluation:evidence",
    ],
)
def test_english_addresses_answer_as_the_vietnamese_ones(cast, key, role):
    with translation.override("en"):
        address = ADDRESSES[key](cast)
    assert address.startswith("/en/")
    response = client_for(cast, role).get(address)
    close(response)
    assert check(response, EXPECTED[key][ROLES.index(role)]) is None


def test_a_staff_account_cannot_change_or_delete_another_districts_dossier(cast):
    client = client_for(cast, "staff_x")
    dossier = cast["dossier_y"]
    before = snapshot()
    change = reverse("admin:evaluation_dossier_change", args=[dossier.pk])
    delete = reverse("admin:evaluation_dossier_delete", args=[dossier.pk])
    assert client.post(change, {"status": "recognised"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert snapshot() == before
