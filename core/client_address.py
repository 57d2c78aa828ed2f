"""The address a request came from, as the sign-in pause counts it.

With no proxy in front (TRUSTED_PROXY_COUNT=0, the default) it is REMOTE_ADDR and
X-Forwarded-For is ignored: that header is whatever the client chose to write, so trusting
it would give a guesser a fresh address per guess. Behind N reverse proxies, each of which
appends the address it saw, REMOTE_ADDR is the last proxy and the client is the N-th entry
from the right of X-Forwarded-For; entries further left were written by the client and are
ignored. This is the rule Django REST framework applies with NUM_PROXIES, so the API
throttle and the sign-in pause see the same address.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops <= 0 or not forwarded.strip():
        return remote
    chain = [entry.strip() for entry in forwarded.split(",")]
    candidate = chain[-min(hops, len(chain))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # Our own proxies write addresses; anything else is not one to count by.
        return remote
