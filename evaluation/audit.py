"""One timeline of everything that changed on a dossier, with who, when, before and after,
each told as a sentence with people's names ("Phạm Thu Hà chose “…” (3 points) for
criterion A.1.1"), never logins or stored values.

Status moves and card events are our own rows; results and certificates are
snapshotted by django-simple-history, so their before/after is the difference
between consecutive snapshots. Sentences are written when the page is drawn, in the
reader's language, from the stored values: nothing stored is a sentence.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import groupby

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.people import display_name
from evaluation.models import (
    Certificate,
    CouncilResult,
    Decision,
    DossierStatusChange,
    Option,
    ScorecardEvent,
)

#: How much of an option's or note's text a sentence quotes.
QUOTE_CHARS = 90

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
    what: str  # the kind of change, a short heading ("Status", "Certificate")
    before: dict | None
    after: dict | None
    note: str = ""  # what the person wrote (a reason, a note)
    sentence: str = ""  # the change, said in words
    act: str = ""  # the recorded act a status move rests on, in words


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


def _history_entries(records, label, fields, tell):
    """Snapshots of one model, oldest first, as entries: `tell(record, previous, changed)`
    says each in words (`previous` None for the first snapshot, `changed` the fields that
    differ from it)."""
    entries, previous = [], {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        after = {f: before_value(record, f) for f in fields}
        before, changed = None, fields
        earlier = previous.get(record.id)
        if earlier is not None:
            changed = [f for f in fields if before_value(earlier, f) != after[f]]
            if not changed and record.history_type != "-":
                previous[record.id] = record
                continue
            before = {f: before_value(earlier, f) for f in changed}
            after = {f: after[f] for f in changed}
        sentence = tell(record, earlier, changed)
        entries.append(
            Entry(record.history_date, record.history_user, label, before, after, "", sentence)
        )
        previous[record.id] = record
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


def _quote(text) -> str:
    return Truncator(" ".join(str(text).split())).chars(QUOTE_CHARS)


def _points(points) -> str:
    return ngettext("%(points)s point", "%(points)s points", points) % {
        "points": number_format(points)
    }


def _move_sentence(move: Move) -> str:
    words = {
        "who": display_name(move.actor),
        "old": move.change.get_from_status_display(),
        "new": move.status,
    }
    if not move.change.from_status:
        return _("%(who)s moved the dossier to “%(new)s”.") % words
    return _("%(who)s moved the dossier from “%(old)s” to “%(new)s”.") % words


def _card_sentence(event, options) -> str:
    """One card event in words. `options` maps the option ids the events name to their
    rows (one query for the whole timeline)."""
    card = event.scorecard
    who = display_name(event.actor)
    own = event.actor_id == card.author_id
    member = display_name(card.author)
    A = ScorecardEvent.Action
    if event.action == A.TICK:
        chosen = options.get((event.after or {}).get("option"))
        if chosen is None:  # an option since removed from the sheet
            return _("%(who)s changed the answer to criterion %(criterion)s.") % {
                "who": who,
                "criterion": event.criterion.where if event.criterion else "?",
            }
        words = {
            "who": who,
            "option": _quote(chosen.text),
            "points": _points(chosen.points),
            "criterion": chosen.criterion.where,
            "member": member,
        }
        earlier = options.get((event.before or {}).get("option"))
        if earlier is not None:
            words |= {"old": _quote(earlier.text), "old_points": _points(earlier.points)}
            if own:
                return (
                    _(
                        "%(who)s chose “%(option)s” (%(points)s) for criterion %(criterion)s, "
                        "instead of “%(old)s” (%(old_points)s)."
                    )
                    % words
                )
            return (
                _(
                    "%(who)s chose “%(option)s” (%(points)s) for criterion %(criterion)s "
                    "on the card of %(member)s, instead of “%(old)s” (%(old_points)s)."
                )
                % words
            )
        if own:
            return _("%(who)s chose “%(option)s” (%(points)s) for criterion %(criterion)s.") % words
        return (
            _(
                "%(who)s chose “%(option)s” (%(points)s) for criterion %(criterion)s "
                "on the card of %(member)s."
            )
            % words
        )
    if event.action == A.REJECTION:
        before = set((event.before or {}).get("rejections", []))
        after = set((event.after or {}).get("rejections", []))
        clauses = card.dossier.sheet.rejection_clauses
        parts = []
        for index in sorted(after - before):
            text = clauses[index] if 0 <= index < len(clauses) else ""
            parts.append(
                _("%(who)s found that rejection clause %(number)s applies: “%(text)s”.")
                % {"who": who, "number": index + 1, "text": _quote(text)}
            )
        for index in sorted(before - after):
            text = clauses[index] if 0 <= index < len(clauses) else ""
            parts.append(
                _("%(who)s withdrew rejection clause %(number)s: “%(text)s”.")
                % {"who": who, "number": index + 1, "text": _quote(text)}
            )
        return " ".join(parts)
    if event.action == A.NOTE:
        before = set((event.before or {}).get("eliminations", []))
        after = set((event.after or {}).get("eliminations", []))
        words = {
            "who": who,
            "criterion": event.criterion.where if event.criterion else "?",
            "text": _quote(event.note),
        }
        if after - before:
            return (
                _("%(who)s found that the note on criterion %(criterion)s applies: “%(text)s”.")
                % words
            )
        return _("%(who)s withdrew the note on criterion %(criterion)s: “%(text)s”.") % words
    if event.action == A.COMMENT:
        words = {
            "who": who,
            "criterion": event.criterion.where if event.criterion else "?",
            "text": _quote((event.after or {}).get("comment", "")),
            "old": _quote((event.before or {}).get("comment", "")),
        }
        if not event.after:
            return _("%(who)s removed their note on criterion %(criterion)s: “%(old)s”.") % words
        if event.before:
            return _("%(who)s changed their note on criterion %(criterion)s to “%(text)s”.") % words
        return _("%(who)s wrote a note on criterion %(criterion)s: “%(text)s”.") % words
    if event.action == A.SUBMIT:
        total = (event.after or {}).get("total")
        words = {"who": who, "member": member, "total": _points(total or 0)}
        if own:
            return _("%(who)s submitted their card: %(total)s in all.") % words
        return _("%(who)s submitted the card of %(member)s: %(total)s in all.") % words
    if event.action == A.REOPEN:
        return _("%(who)s reopened the card of %(member)s for re-scoring.") % {
            "who": who,
            "member": member,
        }
    return str(event.get_action_display())


def _shown_value(model, field, value, names) -> str:
    """A stored value as a reader reads it: a choice by its label, a date as dd/mm/yyyy,
    a number in the reader's format, a link to another row by that row's number."""
    if value is None or value == "" or value == "None":
        return "—"
    if field in ID_FIELDS:
        return names.get((field, int(value)), "—")
    model_field = model._meta.get_field(field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return number_format(value, 2)
    return str(value)


def _field_label(model, field) -> str:
    return str(model._meta.get_field(field).verbose_name)


def _changes(model, record, earlier, changed, names) -> str:
    return "; ".join(
        _("%(field)s from “%(old)s” to “%(new)s”")
        % {
            "field": _field_label(model, field),
            "old": _shown_value(model, field, getattr(earlier, _attr(field)), names),
            "new": _shown_value(model, field, getattr(record, _attr(field)), names),
        }
        for field in changed
    )


def _attr(field) -> str:
    return f"{field}_id" if field in ID_FIELDS else field


def _result_teller(names):
    def tell(record, earlier, changed):
        who = display_name(record.history_user)
        if record.history_type == "-":
            return _("%(who)s deleted the council's result.") % {"who": who}
        if earlier is None:
            words = {
                "who": who,
                "outcome": _shown_value(CouncilResult, "outcome", record.outcome, names),
                "cards": record.cards,
                "mean": _shown_value(CouncilResult, "mean", record.mean, names),
                "stars": _shown_value(CouncilResult, "stars", record.stars, names),
            }
            return (
                _(
                    "The council's result was worked out when %(who)s acted: %(outcome)s, "
                    "%(cards)s cards, mean total %(mean)s, stars %(stars)s."
                )
                % words
            )
        return _("The council's result changed when %(who)s acted: %(changes)s.") % {
            "who": who,
            "changes": _changes(CouncilResult, record, earlier, changed, names),
        }

    return tell


def _certificate_teller(names):
    def tell(record, earlier, changed):
        who = display_name(record.history_user)
        if record.history_type == "-":
            return _("%(who)s deleted certificate no. %(number)s.") % {
                "who": who,
                "number": record.number,
            }
        if earlier is None:
            return _(
                "%(who)s issued certificate no. %(number)s: %(stars)s stars, "
                "valid from %(issued)s to %(expires)s."
            ) % {
                "who": who,
                "number": record.number,
                "stars": record.stars,
                "issued": _shown_value(Certificate, "issued_on", record.issued_on, names),
                "expires": _shown_value(Certificate, "expires_on", record.expires_on, names),
            }
        return _("%(who)s changed certificate no. %(number)s: %(changes)s.") % {
            "who": who,
            "number": record.number,
            "changes": _changes(Certificate, record, earlier, changed, names),
        }

    return tell


def _names(certificate_records) -> dict:
    """The numbers of the rows a certificate's history points to (the certificate that
    superseded it, the acts), fetched at once."""
    wanted = {"superseded_by": set(), "decision": set(), "revocation_decision": set()}
    for record in certificate_records:
        for field in wanted:
            if getattr(record, f"{field}_id", None):
                wanted[field].add(getattr(record, f"{field}_id"))
    names = {}
    for pk, number in Certificate.objects.filter(pk__in=wanted["superseded_by"]).values_list(
        "pk", "number"
    ):
        names[("superseded_by", pk)] = number
    acts = wanted["decision"] | wanted["revocation_decision"]
    for pk, number in Decision.objects.filter(pk__in=acts).values_list("pk", "number"):
        names[("decision", pk)] = names[("revocation_decision", pk)] = number
    return names


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
            _move_sentence(move),
            _act_sentence(move.change.decision) if move.change.decision_id else "",
        )
        for move in status_history(dossier, access)
    ]
    events = [
        event
        for event in ScorecardEvent.objects.filter(scorecard__dossier=dossier).select_related(
            "actor", "scorecard__author", "scorecard__dossier__sheet", "criterion"
        )
        if access.may_see_card(event.scorecard)
    ]
    option_ids = {
        (side or {}).get("option")
        for event in events
        if event.action == ScorecardEvent.Action.TICK
        for side in (event.before, event.after)
    } - {None}
    options = Option.objects.select_related("criterion").in_bulk(option_ids)
    for event in events:
        what = _("Card of %(member)s") % {"member": display_name(event.scorecard.author)}
        note = event.note if event.action == ScorecardEvent.Action.REOPEN else ""
        entries.append(
            Entry(
                event.at,
                event.actor,
                what,
                event.before,
                event.after,
                note,
                _card_sentence(event, options),
            )
        )
    if access.may_see_result:
        entries += _history_entries(
            CouncilResult.history.filter(dossier_id=dossier.pk).select_related("history_user"),
            _("Council result"),
            RESULT_FIELDS,
            _result_teller({}),
        )
    certificate_ids = Certificate.objects.filter(dossier=dossier).values_list("pk", flat=True)
    records = list(
        Certificate.history.filter(id__in=list(certificate_ids)).select_related("history_user")
    )
    entries += _history_entries(
        records, _("Certificate"), CERTIFICATE_FIELDS, _certificate_teller(_names(records))
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


@dataclass
class Day:
    day: date
    entries: list[Entry]


def by_day(entries: list[Entry]) -> list[Day]:
    """The timeline grouped by the local day, the latest day first, each day in order."""
    local = lambda entry: timezone.localtime(entry.at).date()  # noqa: E731
    days = [Day(day, list(group)) for day, group in groupby(entries, key=local)]
    return list(reversed(days))


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
        who = display_name(user)
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
