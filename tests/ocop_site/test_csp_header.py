"""The site's Content-Security-Policy header, built once (ocop_site/csp.py), is the one
django-csp builds, and a page that asks for its own policy still gets its own."""

from csp.constants import NONCE
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from ocop_site.csp import CSPMiddleware


def header(middleware_class, response, nonce=False):
    request = RequestFactory().get("/")
    middleware = middleware_class(lambda request: response)
    middleware.process_request(request)
    if nonce:
        str(request.csp_nonce)  # a template asked for the nonce
    return middleware.process_response(request, response)["Content-Security-Policy"]


def test_the_fixed_header_is_django_csps_own():
    assert header(CSPMiddleware, HttpResponse()) == header(DjangoCSPMiddleware, HttpResponse())
    assert "default-src 'self'" in header(CSPMiddleware, HttpResponse())


def test_a_response_that_updates_its_policy_gets_the_update():
    response = HttpResponse()
    response._csp_update = {"img-src": ["https://tiles.example.org"]}
    assert "https://tiles.example.org" in header(CSPMiddleware, response)


def test_a_nonce_asked_for_is_in_the_header():
    policy = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert "'nonce-" in header(CSPMiddleware, HttpResponse(), nonce=True)
        assert "'nonce-" not in header(CSPMiddleware, HttpResponse())


def test_a_changed_setting_changes_the_header():
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        assert header(CSPMiddleware, HttpResponse()) == "default-src 'none'"
    assert "default-src 'self'" in header(CSPMiddleware, HttpResponse())


def test_pages_carry_the_header(client):
    response = client.get(reverse("evaluation:help"))
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
