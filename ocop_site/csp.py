"""django-csp's middleware with the site's policy built once.

django-csp builds the Content-Security-Policy header for every response from the
settings, twice (the policy and the report-only one), through dataclasses and sorting:
about a tenth of what a kept public page costs. The site's header is the same for every
response that asks nothing of its own (no nonce used, no per-view update or replace, no
exemption): that header is built once a process and set as it is; anything else goes
through django-csp unchanged.
"""

from functools import cache

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.dispatch import receiver
from django.test.signals import setting_changed

# What a view may set on its response to change its policy (csp.decorators, core/maps.py).
_PER_RESPONSE = (
    "_csp_update",
    "_csp_replace",
    "_csp_config",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_config_ro",
    "_csp_exempt",
    "_csp_exempt_ro",
)


@cache
def _policy() -> str:
    return build_policy()  # the settings' policy, as django-csp builds it


@cache
def _plain() -> bool:
    """No report-only policy and no excluded paths: the one header applies to every page."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    return not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) and not (
        policy.get("EXCLUDE_URL_PREFIXES")
    )


@receiver(setting_changed)
def _forget(**kwargs):
    _policy.cache_clear()
    _plain.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request, response):
        if (
            _plain()
            and not settings.DEBUG
            and getattr(request, "_csp_nonce", None) is None
            and not any(hasattr(response, name) for name in _PER_RESPONSE)
            and HEADER not in response
        ):
            response[HEADER] = _policy()
            # As django-csp does: a nonce asked for after the header is written is an error.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
            return response
        return super().process_response(request, response)
