"""Map tiles from a tile server the deployment names (MAP_TILE_URL): what the browser
may load, read once from the setting and checked at start-up.

A tile address is a template such as ``https://tile.openstreetmap.org/{z}/{x}/{y}.png``
or ``https://{s}.tile.example.vn/{z}/{x}/{y}.png`` ({s}: the server's sub-domains a, b,
c). The page's Content-Security-Policy then allows images from that one origin
(``https://tile.openstreetmap.org``, or ``https://*.tile.example.vn``), on the pages that
show a map only, and only when a tile server is set.
"""

import re
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings

# Leaflet's placeholders: zoom, column, row, sub-domain, "@2x" on sharp screens.
PLACEHOLDERS = {"{z}", "{x}", "{y}", "{s}", "{r}"}
# A host name (or the {s}. prefix) and an optional port: nothing a policy could be
# written around (spaces, quotes, semicolons, commas, wildcards of the writer's own).
_HOST = re.compile(r"^(\{s\}\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$")
_UNSAFE = re.compile(r"""[\s'";,<>\\]""")


class TileURLError(ValueError):
    pass


def tile_source(url: str) -> str:
    """The Content-Security-Policy source that lets a browser load tiles from `url`.

    Refuses (TileURLError, saying why) anything but an http(s) template with {z}, {x}
    and {y} on a plain host name."""
    if _UNSAFE.search(url):
        raise TileURLError("must not contain spaces, quotes, commas, semicolons or < >")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http"):
        raise TileURLError("must start with https:// (or http:// on a local network)")
    if not _HOST.match(parts.netloc):
        raise TileURLError(f"has no plain host name ({parts.netloc!r})")
    placeholders = set(re.findall(r"\{[^}]*\}", url))
    if not {"{z}", "{x}", "{y}"} <= placeholders:
        raise TileURLError("must contain {z}, {x} and {y}")
    if unknown := placeholders - PLACEHOLDERS:
        raise TileURLError(f"has placeholders a map cannot fill: {', '.join(sorted(unknown))}")
    host = parts.netloc.replace("{s}.", "*.", 1)
    return f"{parts.scheme}://{host}"


def allow_tiles(view):
    """The view's pages may show the configured tile server's images (img-src), and only
    while MAP_TILE_URL is set. Put it outside `public_page`: a kept page is served
    without passing through the view, and the policy is written on every response."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if settings.MAP_TILE_URL:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["img-src"] = [*update.get("img-src", []), tile_source(settings.MAP_TILE_URL)]
            response._csp_update = update
        return response

    return wrapped
