"""One timeline of everything that changed on a dossier, with who, when, before and after.

Status moves and card events are our own rows; results and certificates are
snapshotted by django-simple-history, so their before/after is the difference
between consecutive snapshots.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from evaluation.models import Certificate, CouncilResult, DossierStatusChange, ScorecardEvent

RESULT_FIELDS = ["outcome", "cards", "mean", "spread", "band_stars", "stars"]
CERTIFICATE_FIELDS = [
    "number",
    "stars",
    "issued_on",
    "expires_on",
    "superseded_by",
    "revoked_on",
    "revocation_ground",
    "inspection_reference",
]


@dataclass
class Entry:
    at: datetime
    actor: object
    what: str
    before: dict | None
    after: dict | None
    note: str = ""


def _history_entries(records, label, fields):
    entries, previous = [], None
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        after = {
            f: str(getattr(record, f"{f}_id", None) if f == "superseded_by" else getattr(record, f))
            for f in fields
        }
        before = None
        if previous is not None:
            changed = [f for f in fields if before_value(previous, f) != after[f]]
            before = {f: before_value(previous, f) for f in changed}
            after = {f: after[f] for f in changed}
        entries.append(Entry(record.history_date, record.history_user, label, before, after))
        previous = record
    return entries


def before_value(record, field):
    return str(
        getattr(record, f"{field}_id", None) if field == "superseded_by" else getattr(record, field)
    )


@dataclass
class Move:
    """A status move as one reader may see it: on the council's own moves, the council
    stands for the member or secretary who made it, and the note is left out for anyone
    who does not see the members (DossierAccess.may_see_move_details)."""

    at: datetime
    status: str  # the label of the status moved to
    actor: object  # a user, or the council
    note: str
    change: DossierStatusChange


def status_history(dossier, access, changes=None) -> list[Move]:
    """The dossier's moves as `access` may see them; `changes` when the caller has them."""
    if changes is None:
        changes = DossierStatusChange.objects.filter(dossier=dossier).select_related("actor")
    moves = []
    for change in changes:
        shown = access.may_see_move_details(change)
        moves.append(
            Move(
                change.at,
                change.get_to_status_display(),
                change.actor if shown else dossier.round.council,
                change.note if shown else "",
                change,
            )
        )
    return moves


def timeline(dossier, access) -> list[Entry]:
    """What `access` may see of it: a member still scoring sees no other member's card
    events and no result, nor who moved the dossier between scoring and result; nobody
    sees a draft card of someone else's."""
    entries = [
        Entry(
            move.at,
            move.actor,
            _("Status"),
            {"status": move.change.get_from_status_display()},
            {"status": move.status},
            move.note,
        )
        for move in status_history(dossier, access)
    ]
    for event in ScorecardEvent.objects.filter(scorecard__dossier=dossier).select_related(
        "actor", "scorecard__author", "criterion"
    ):
        if not access.may_see_card(event.scorecard):
            continue
        what = _("Card of %(member)s: %(action)s") % {
            "member": event.scorecard.author,
            "action": event.get_action_display(),
        }
        if event.criterion_id:
            what += f" — {event.criterion}"
        entries.append(Entry(event.at, event.actor, what, event.before, event.after, event.note))
    if access.may_see_result:
        entries += _history_entries(
            CouncilResult.history.filter(dossier_id=dossier.pk).select_related("history_user"),
            _("Council result"),
            RESULT_FIELDS,
        )
    certificate_ids = Certificate.objects.filter(dossier=dossier).values_list("pk", flat=True)
    entries += _history_entries(
        Certificate.history.filter(id__in=list(certificate_ids)).select_related("history_user"),
        _("Certificate"),
        CERTIFICATE_FIELDS,
    )
    return sorted(entries, key=lambda e: e.at)
