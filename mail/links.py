from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def site_root(base: str = "") -> str:
    """The public address for links in mails: SITE_URL, else `base` (the address the
    request that asked for the mail came in on, which ALLOWED_HOSTS vouched for). A job
    with neither (a scheduled one) cannot write a link anyone could follow."""
    root = settings.SITE_URL or base.rstrip("/")
    if not root:
        raise ImproperlyConfigured("SITE_URL is needed for links in mails sent by the worker.")
    return root


def request_root(request) -> str:
    """The base of links in a mail a request asks for: SITE_URL, else the address the
    request came in on (its host is one ALLOWED_HOSTS accepts)."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
