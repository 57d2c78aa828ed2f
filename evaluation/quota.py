"""How much a dossier may hold: DOSSIER_QUOTA_BYTES of documents, all files together.

Each file is bounded (MAX_DOCUMENT_BYTES), but a producer could attach them without end,
and the private store is one disk for every district. So a document that would take its
dossier over the quota is refused, saying how much is used and how much is left. The sizes
are the stored files' own, read from the disk, so nothing needs keeping in step.
"""

from contextlib import suppress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def stored_bytes(dossier, *, besides=None) -> int:
    """What the dossier's documents take on the disk, `besides` (a document's id) left out."""
    total = 0
    for document in dossier.documents.exclude(pk=besides).only("file"):
        with suppress(OSError):  # a file gone from the disk takes no room
            total += document.file.size
    return total


def check_room(dossier, size: int, *, replacing=None):
    """Refuse a file of `size` bytes that would take the dossier over its quota."""
    quota = settings.DOSSIER_QUOTA_BYTES
    used = stored_bytes(dossier, besides=replacing)
    if used + size > quota:
        raise ValidationError(
            _(
                "This dossier already holds %(used)s of the %(quota)s it may hold; %(left)s "
                "is left and this file is %(size)s. Send a smaller file (print it again as "
                "PDF, or take the photo at a lower resolution), or ask the office to remove "
                "papers the dossier no longer needs."
            )
            % {
                "used": filesizeformat(used),
                "quota": filesizeformat(quota),
                "left": filesizeformat(max(quota - used, 0)),
                "size": filesizeformat(size),
            },
            code="over_quota",
        )
