"""One timeline of everything that changed on a dossier, with who, when, before and after.

Status moves and card events are our own rows; results and certificates are
snapshotted by django-simple-history, so their before/after is the difference
between consecutive snapshots.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from evaluation.models import (
    Certificate,
    CouncilResult,
    Decision,
    DossierStatusChange,
    ScorecardEvent,
)

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
    "decision",
    "revocation_decision",
]


@dataclass
class Entry:
    at: datetime
    actor: object
    what: str
    before: dict | None
    after: dict | None
    note: str = ""
    sentence: str = ""  # said in words instead of before/after (recorded acts)


#: The act's fields whose changes its history tells, in the order a reader checks them.
DECISION_FIELDS = [
    "number",
    "signed_on",
    "authority",
    "signer_name",
    "signer_title",
    "kind",
    "ground",
    "inspection_reference",
    "note",
]

ID_FIELDS = {"superseded_by", "decision", "revocation_decision"}


def _history_entries(records, label, fields):
    entries, previous = [], None
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        after = {f: before_value(record, f) for f in fields}
        before = None
        if previous is not None:
            changed = [f for f in fields if before_value(previous, f) != after[f]]
            before = {f: before_value(previous, f) for f in changed}
            after = {f: after[f] for f in changed}
        entries.append(Entry(record.history_date, record.history_user, label, before, after))
        previous = record
    return entries


def before_value(record, field):
    value = getattr(record, f"{field}_id", None) if field in ID_FIELDS else getattr(record, field)
    return str(value)


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
        changes = DossierStatusChange.objects.filter(dossier=dossier).select_related(
            "actor", "decision"
        )
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


def _act_sentence(decision) -> str:
    """The act a move rests on, in words: a public act, said to every reader of the move."""
    return _("By %(kind)s no. %(number)s of %(date)s.") % {
        "kind": decision.get_kind_display().lower(),
        "number": decision.number,
        "date": decision.signed_on.strftime("%d/%m/%Y"),
    }


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
            _act_sentence(move.change.decision) if move.change.decision_id else "",
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
    acts = Decision.objects.filter(
        Q(moves__dossier=dossier)
        | Q(certificates__id__in=list(certificate_ids))
        | Q(revoked_certificates__id__in=list(certificate_ids))
    ).values_list("pk", flat=True)
    entries += [
        Entry(change.at, change.actor, _("Decision"), None, None, sentence=change.sentence)
        for change in history_sentences(
            Decision.history.filter(id__in=set(acts)).select_related("history_user")
        )
    ]
    return sorted(entries, key=lambda e: e.at)


# ---------------------------------------------------------------- an act's history, in words
@dataclass
class Change:
    at: datetime
    actor: object
    sentence: str


def _shown(record, field) -> str:
    value = getattr(record, field)
    if field == "signed_on":
        return value.strftime("%d/%m/%Y")
    if field == "kind":
        return str(Decision.Kind(value).label)
    if field == "ground":
        return str(Certificate.Ground(value).label) if value else "—"
    return value or "—"


def _label(field) -> str:
    return str(Decision._meta.get_field(field).verbose_name)


def history_sentences(records) -> list[Change]:
    """django-simple-history's snapshots of acts, oldest first, told as sentences: who
    recorded which act, then who changed which field from what to what."""
    changes, previous = [], {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        user = record.history_user
        who = (user.get_full_name() or user.username) if user is not None else _("the system")
        if before is None:
            sentence = _(
                "%(who)s recorded %(kind)s no. %(number)s of %(date)s by %(authority)s, "
                "signed by %(signer)s (%(title)s)."
            ) % {
                "who": who,
                "kind": _shown(record, "kind").lower(),
                "number": record.number,
                "date": _shown(record, "signed_on"),
                "authority": record.authority,
                "signer": record.signer_name,
                "title": record.signer_title,
            }
        elif record.history_type == "-":
            sentence = _("%(who)s deleted the record of act no. %(number)s.") % {
                "who": who,
                "number": record.number,
            }
        else:
            parts = [
                _("%(field)s from “%(old)s” to “%(new)s”")
                % {
                    "field": _label(field),
                    "old": _shown(before, field),
                    "new": _shown(record, field),
                }
                for field in DECISION_FIELDS
                if getattr(before, field) != getattr(record, field)
            ]
            if not parts:
                previous[record.id] = record
                continue
            sentence = _("%(who)s changed act no. %(number)s: %(changes)s.") % {
                "who": who,
                "number": record.number,
                "changes": "; ".join(parts),
            }
        changes.append(Change(record.history_date, record.history_user, sentence))
        previous[record.id] = record
    return changes
