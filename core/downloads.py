"""How a private file leaves the site: always as a download, never as a page.

Whoever may see a paper is the view's question; this is how it is sent once they may. The
browser is told to save it (Content-Disposition: attachment, its name in RFC 5987 form when
it is Vietnamese), not to guess its type (nosniff), and not to keep it (private, no-store:
on a shared office PC the next person must not find it in the cache). Its type is what its
stored bytes are (core.filetypes), never a guess from its name, so a file stored before the
upload checks existed cannot be sent as a web page: unknown bytes go as
application/octet-stream.
"""

import os
import re
import unicodedata

from django.http import FileResponse, Http404
from django.utils.cache import add_never_cache_headers

from core import filetypes

MAX_NAME_CHARS = 100
# Letters of any script, digits, and a few marks; anything else in a title becomes a space.
_UNSAFE = re.compile(r"[^\w\s().,-]")


def private_file_response(field_file, title: str = "") -> FileResponse:
    """Stream a stored file as an attachment named after `title` (or its stored name)."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    head = handle.read(filetypes.HEAD_BYTES)
    handle.seek(0)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(title, field_file.name, filetypes.extension_of(head)),
        content_type=filetypes.content_type_of(head),
    )
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response


def download_name(title: str, stored_name: str, extension: str) -> str:
    """A file name from the paper's title, ending as its bytes say: no path, no control or
    quoting characters, at most MAX_NAME_CHARS letters before the extension."""
    stem = title or os.path.splitext(os.path.basename(stored_name))[0]
    stem = _UNSAFE.sub(" ", unicodedata.normalize("NFC", stem)).replace("..", " ")
    stem = re.sub(r"\s+", " ", stem).strip(" .-")[:MAX_NAME_CHARS].rstrip(" .-")
    return (stem or "tai-lieu") + extension
