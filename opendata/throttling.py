"""DRF's throttles, reading their rate from settings at each request.

DRF copies DEFAULT_THROTTLE_RATES into a class attribute when it is first imported,
so a rate changed later (a test's `settings` fixture, override_settings) would be
ignored; these look the rate up through `api_settings`, which follows such changes.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import throttling
from rest_framework.settings import api_settings


class _LiveRate:
    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as exc:
            raise ImproperlyConfigured(
                f"REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'] has no rate for {self.scope!r}"
            ) from exc


class AnonRateThrottle(_LiveRate, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_LiveRate, throttling.UserRateThrottle):
    pass
