"""The council's own papers: a member's card printed for signature, the minutes (biên bản)
of a dossier's result, and how far each member stands from the others.

Shapes are built here in a fixed number of queries; the views stay thin and ask
evaluation.access who may see what. The result itself is never recomputed here: the minutes
print the stored CouncilResult (evaluation.scoring wrote it under evaluation.rules), and the
deviations follow evaluation.deviation.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from evaluation import deviation, workflow
from evaluation.models import (
    Answer,
    Council,
    CouncilMembership,
    Criterion,
    Dossier,
    EliminationNote,
    Scorecard,
)
from evaluation.papers import print_css
from evaluation.presenters import council_rules_lines, sheet_tree

S = Dossier.Status

#: The minutes exist once the council's result stands: the result itself and every decision.
MINUTES_STATUSES = {S.RESULT} | workflow.DECISIONS


def _name(user) -> str:
    return user.get_full_name() or user.username


def _render_pdf(request, template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only the PDF needs.
    from weasyprint import HTML

    html = render_to_string(template, {**context, "inline_css": print_css()}, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()


# ---------------------------------------------------------------- a member's card
def card_paper(dossier: Dossier, card: Scorecard) -> dict:
    """What a card prints: the sheet's criteria with the ticked option and points, the
    subtotals, the total, the clauses and notes flagged, and who signs it."""
    membership = (
        CouncilMembership.objects.filter(council=dossier.round.council, user=card.author)
        .order_by("-active")
        .first()
    )
    clauses = dossier.sheet.rejection_clauses
    notes = EliminationNote.objects.filter(pk__in=card.eliminations or []).select_related(
        "criterion"
    )
    return {
        "dossier": dossier,
        "card": card,
        "author_name": _name(card.author),
        "role": membership.get_role_display() if membership else "",
        "tree": sheet_tree(dossier.sheet, card),
        "clauses": [clauses[i] for i in card.rejections or [] if 0 <= i < len(clauses)],
        "notes": list(notes),
        "printed_on": timezone.localdate(),
    }


def card_pdf(request, dossier, card) -> bytes:
    return _render_pdf(
        request, "evaluation/card_print.html", {**card_paper(dossier, card), "pdf": True}
    )


# ---------------------------------------------------------------- deviation on a dossier
@dataclass
class MemberColumn:
    card: Scorecard
    name: str
    total_others: Decimal | None = None
    total_deviation: Decimal | None = None


@dataclass
class CriterionRow:
    criterion: Criterion
    cells: list[tuple[int, Decimal | None, Decimal | None]] = field(default_factory=list)
    # per member: (points, mean of the others' points, points minus that mean)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (member, their note)


def dossier_deviations(dossier: Dossier, cards: list[Scorecard]):
    """Per criterion, each member's points beside the mean of the other members' points,
    and each member's notes on it; each member's total beside the others' mean total. Two
    queries. `cards` are submitted cards: a note is read only once its card is in."""
    if len(cards) < 2:
        return [], []
    criteria = list(Criterion.objects.filter(sheet=dossier.sheet_id).order_by("position"))
    caps = {c.id: c.max_points for c in criteria}
    points: dict[int, dict[int, int]] = {c.id: {} for c in criteria}
    for card_id, criterion_id, value in Answer.objects.filter(
        scorecard__in=[c.pk for c in cards]
    ).values_list("scorecard_id", "criterion_id", "option__points"):
        if criterion_id in points:
            points[criterion_id][card_id] = min(value, caps[criterion_id])
    columns = [MemberColumn(card, _name(card.author)) for card in cards]
    totals = {card.pk: card.total for card in cards}
    gaps = deviation.leave_one_out(totals)
    for column in columns:
        column.total_others = deviation.others_mean(totals, column.card.pk)
        column.total_deviation = gaps.get(column.card.pk)
    rows = []
    for criterion in criteria:
        values = {card.pk: points[criterion.id].get(card.pk, 0) for card in cards}
        gaps = deviation.leave_one_out(values)
        rows.append(
            CriterionRow(
                criterion,
                [
                    (values[c.pk], deviation.others_mean(values, c.pk), gaps.get(c.pk))
                    for c in cards
                ],
                [
                    (column.name, text)
                    for column in columns
                    if (text := (column.card.comments or {}).get(str(criterion.id)))
                ],
            )
        )
    return columns, rows


# ---------------------------------------------------------------- the minutes
def minutes_paper(dossier: Dossier, result, cards: list[Scorecard]) -> dict:
    council = dossier.round.council
    memberships = {
        m.user_id: m
        for m in CouncilMembership.objects.filter(council=council).select_related("user")
    }
    chair = next((m for m in memberships.values() if m.active and m.role == "chair"), None)
    secretary = next((m for m in memberships.values() if m.active and m.role == "secretary"), None)
    clauses = dossier.sheet.rejection_clauses
    note_ids = {i for card in cards for i in card.eliminations or []}
    notes = {
        n.pk: n for n in EliminationNote.objects.filter(pk__in=note_ids).select_related("criterion")
    }
    present = []
    for card in cards:
        membership = memberships.get(card.author_id)
        present.append(
            {
                "name": _name(card.author),
                "role": membership.get_role_display() if membership else "",
                "total": card.total,
                "submitted_at": card.submitted_at,
                "clauses": [clauses[i] for i in card.rejections or [] if 0 <= i < len(clauses)],
                "notes": [notes[i] for i in card.eliminations or [] if i in notes],
            }
        )
    last = max((c.submitted_at for c in cards if c.submitted_at), default=None)
    return {
        "dossier": dossier,
        "council": council,
        "result": result,
        "present": present,
        "chair": _name(chair.user) if chair else "",
        "secretary": _name(secretary.user) if secretary else "",
        "clause": (
            clauses[result.rejection_clause]
            if result.rejection_clause is not None and result.rejection_clause < len(clauses)
            else None
        ),
        "council_rules": council_rules_lines(result.council_rules or council.rules_snapshot()),
        "held_on": timezone.localdate(last) if last else result.computed_at.date(),
        "printed_on": timezone.localdate(),
    }


def minutes_pdf(request, dossier, result, cards) -> bytes:
    # The minutes are an official paper: in Vietnamese whatever the reader's language, as the
    # decision and the certificate are.
    with translation.override("vi"):
        return _render_pdf(
            request, "evaluation/minutes_print.html", minutes_paper(dossier, result, cards)
        )


# ---------------------------------------------------------------- a council's members
def councils_standing_visible_to(user):
    """The councils whose members' standing a user may read: those they run as secretary,
    those of their office's level and unit, those an inspector oversees; every one to an
    administrator. A member who only scores reads none (independence)."""
    from evaluation.models import OfficialRole

    if not user.is_authenticated:
        return Council.objects.none()
    if user.is_superuser:
        return Council.objects.all()
    seen = Q(
        memberships__user=user,
        memberships__active=True,
        memberships__role=CouncilMembership.Role.SECRETARY,
    )
    for role in OfficialRole.objects.filter(user=user):
        if role.kind == OfficialRole.Kind.OFFICE:
            seen |= Q(level=role.level, unit=role.unit)
        elif role.unit_id is None:
            seen |= Q(pk__isnull=False)
        else:
            seen |= Q(unit=role.unit) | Q(unit__parent=role.unit)
    return Council.objects.filter(seen).distinct()


@dataclass
class MemberStanding:
    user_id: int
    name: str
    role: str
    active: bool
    standing: deviation.Standing
    dossiers: list[tuple[Dossier, int, Decimal]] = field(default_factory=list)


def council_standings(council: Council) -> list[MemberStanding]:
    """Each member's signed deviation from the others over the council's dossiers whose
    result stands, in three queries whatever the number of rounds, dossiers and members."""
    cards = list(
        Scorecard.objects.filter(
            dossier__round__council=council,
            dossier__status__in=MINUTES_STATUSES,
            kind=Scorecard.Kind.MEMBER,
            status=Scorecard.Status.SUBMITTED,
        )
        .select_related("dossier__product", "dossier__round", "author")
        .order_by("dossier__round__opens_on", "dossier_id", "pk")
    )
    by_dossier: dict[int, dict[int, Scorecard]] = {}
    for card in cards:
        by_dossier.setdefault(card.dossier_id, {})[card.author_id] = card
    per_member: dict[int, list] = {}
    for members in by_dossier.values():
        gaps = deviation.leave_one_out({uid: c.total for uid, c in members.items()})
        for uid, gap in gaps.items():
            card = members[uid]
            per_member.setdefault(uid, []).append((card.dossier, card.total, gap))
    memberships = {
        m.user_id: m
        for m in CouncilMembership.objects.filter(council=council).select_related("user")
    }
    rows = []
    for uid, items in per_member.items():
        m = memberships.get(uid)
        user = m.user if m else next(c.author for c in cards if c.author_id == uid)
        rows.append(
            MemberStanding(
                uid,
                _name(user),
                m.get_role_display() if m else "",
                bool(m and m.active),
                deviation.standing(gap for _, _, gap in items),
                items,
            )
        )
    rows.sort(key=lambda r: (-abs(r.standing.mean_deviation or 0), r.name))
    return rows
