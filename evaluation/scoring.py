"""Filling, submitting and reopening scorecards, and recomputing the council result.

Every function locks the card row first, so a double click, two tabs or a retried
request cannot leave two answers or two submissions; every change writes a
ScorecardEvent with before and after.
"""

import datetime
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import prepared
from evaluation import rules, workflow
from evaluation.access import has_conflict
from evaluation.models import (
    Answer,
    ConflictDeclaration,
    CouncilMembership,
    CouncilResult,
    Criterion,
    Dossier,
    EliminationNote,
    EvaluationRound,
    Option,
    Scorecard,
    ScorecardEvent,
)
from registry.models import Producer, Product


class ScoringError(Exception):
    pass


# ------------------------------------------------------------------ cards
# Cards may change while the council scores or has a result not yet decided on; once a
# decision is taken (recognised, forwarded, not recognised) the cards and result are closed.
OPEN_STATUSES = (Dossier.Status.SCORING, Dossier.Status.RESULT)


def _require_open(dossier: Dossier) -> None:
    dossier.refresh_from_db(fields=["status"])
    if dossier.status not in OPEN_STATUSES:
        raise ScoringError(
            _("This dossier is “%(status)s”: its cards can no longer change.")
            % {"status": dossier.get_status_display()}
        )


class FrozenError(ScoringError):
    """The producer's papers are in the council's hands: nothing changes until returned."""


def _require_producer_edits(dossier: Dossier) -> None:
    dossier.refresh_from_db(fields=["status"])
    if dossier.status not in workflow.PRODUCER_EDITS:
        raise FrozenError(
            _(
                "The dossier is filed (“%(status)s”): the self-assessment and documents can "
                "change again only if the council returns it to you."
            )
            % {"status": dossier.get_status_display()}
        )


def require_self_assessment_editable(card: Scorecard) -> None:
    _require_producer_edits(card.dossier)


def _require_editable(card: Scorecard) -> None:
    if card.kind == Scorecard.Kind.MEMBER:
        _require_open(card.dossier)
    else:
        _require_producer_edits(card.dossier)


def member_card(dossier: Dossier, user) -> Scorecard:
    """The member's own card for this dossier, created on first opening."""
    dossier.refresh_from_db(fields=["status"])
    scores_here = CouncilMembership.objects.filter(
        council_id=dossier.round.council_id,
        user=user,
        active=True,
        role__in=CouncilMembership.SCORING_ROLES,
    ).exists()
    if not scores_here:
        raise ScoringError(_("Only the council's chair and members score its dossiers."))
    existing = Scorecard.objects.filter(dossier=dossier, author=user, kind=Scorecard.Kind.MEMBER)
    # Members who have not scored yet may still do so until a decision is taken.
    if dossier.status not in OPEN_STATUSES and not existing.exists():
        raise ScoringError(_("This dossier is not open for scoring."))
    if has_conflict(user, dossier):
        raise ScoringError(
            _("You have a conflict of interest with this producer and cannot score it.")
        )
    try:
        with transaction.atomic():
            card, _created = Scorecard.objects.get_or_create(
                dossier=dossier, author=user, kind=Scorecard.Kind.MEMBER
            )
    except IntegrityError:  # two tabs opening the card at once: the other one won
        card = Scorecard.objects.get(dossier=dossier, author=user, kind=Scorecard.Kind.MEMBER)
    return card


def self_assessment(dossier: Dossier, user) -> Scorecard:
    try:
        with transaction.atomic():
            card, _created = Scorecard.objects.get_or_create(
                dossier=dossier, kind=Scorecard.Kind.SELF, defaults={"author": user}
            )
    except IntegrityError:
        card = Scorecard.objects.get(dossier=dossier, kind=Scorecard.Kind.SELF)
    return card


def _locked(card: Scorecard) -> Scorecard:
    return Scorecard.objects.select_for_update().get(pk=card.pk)


def criterion_rules(sheet) -> list[rules.CriterionRule]:
    criteria = Criterion.objects.filter(sheet=sheet).select_related("section__part")
    options: dict[int, list[rules.OptionRule]] = {}
    for o in Option.objects.filter(criterion__sheet=sheet).order_by("position"):
        options.setdefault(o.criterion_id, []).append(
            rules.OptionRule(o.id, o.points, o.min_star, o.text, o.case)
        )
    return [
        rules.CriterionRule(
            key=c.id,
            label=str(c),
            part=c.section.part.code,
            max_points=c.max_points,
            options=tuple(options.get(c.id, ())),
            star_marker=c.star_marker,
        )
        for c in criteria
    ]


def note_rules(sheet, criteria: list[rules.CriterionRule]) -> list[rules.NoteRule]:
    """The sheet's stop and elimination notes, in printed order, over `criteria`."""
    by_key = {c.key: c for c in criteria}
    by_where = {
        where: by_key[pk]
        for pk, where in Criterion.objects.filter(sheet=sheet).values_list("pk", "where")
    }
    return [
        rules.NoteRule(
            key=n.pk,
            criterion=by_key[n.criterion_id],
            effect=rules.NoteEffect(n.effect),
            text=n.text,
            zero_points_on=tuple(by_where[w] for w in n.zero_points_on),
        )
        for n in EliminationNote.objects.filter(criterion__sheet=sheet).order_by(
            "criterion__position", "position"
        )
    ]


def card_points(card: Scorecard) -> dict[int, int]:
    return dict(Answer.objects.filter(scorecard=card).values_list("criterion_id", "option__points"))


def _refresh_total(card: Scorecard) -> None:
    crit = {c.id: c.max_points for c in Criterion.objects.filter(sheet=card.dossier.sheet_id)}
    card.total = sum(min(points, crit[key]) for key, points in card_points(card).items())


@transaction.atomic
def tick(card: Scorecard, criterion_id: int, option_id: int, actor) -> Scorecard:
    """Record one ticked option; saved at once, so a lost connection loses nothing."""
    card = _locked(card)
    if card.is_locked:
        raise ScoringError(_("This card has been submitted and can no longer be changed."))
    _require_editable(card)
    try:
        option = Option.objects.select_related("criterion").get(
            pk=option_id, criterion_id=criterion_id, criterion__sheet_id=card.dossier.sheet_id
        )
    except (Option.DoesNotExist, ValueError, TypeError) as exc:
        raise ScoringError(_("That option does not belong to this sheet.")) from exc
    answer = Answer.objects.filter(scorecard=card, criterion_id=criterion_id).first()
    before = {"option": answer.option_id} if answer else None
    if answer and answer.option_id == option.id:
        return card  # a repeated autosave of the same tick changes nothing
    if answer:
        answer.option = option
        answer.save(update_fields=["option"])
    else:
        Answer.objects.create(scorecard=card, criterion_id=criterion_id, option=option)
    _refresh_total(card)
    card.save(update_fields=["total", "updated_at"])
    ScorecardEvent.objects.create(
        scorecard=card,
        actor=actor,
        action=ScorecardEvent.Action.TICK,
        criterion_id=criterion_id,
        before=before,
        after={"option": option.id, "points": option.points},
    )
    return card


def _capped_total(points: dict[int, tuple[int, int]]) -> int:
    """The card's total: each criterion's points, at most the criterion's maximum."""
    return sum(min(p, most) for p, most in points.values())


# quick_tick's two reads in plain SQL: built by the ORM, the first (three EXISTS, two
# joins) cost more Python than the whole tick's database time. Table and column names are
# Django's defaults for these models; tests/evaluation/test_quick_tick.py runs them on
# SQLite and PostgreSQL. The first must stay the same rules as the full path (below).
_QUICK_TICK_SQL = f"""
SELECT c.id, c.total, o.points, cr.max_points
FROM {Scorecard._meta.db_table} c
JOIN {Dossier._meta.db_table} d ON d.id = c.dossier_id
JOIN {EvaluationRound._meta.db_table} r ON r.id = d.round_id
JOIN {Product._meta.db_table} p ON p.id = d.product_id
JOIN {Option._meta.db_table} o ON o.id = %s AND o.criterion_id = %s
JOIN {Criterion._meta.db_table} cr ON cr.id = o.criterion_id AND cr.sheet_id = d.sheet_id
WHERE c.dossier_id = %s AND c.author_id = %s AND c.kind = %s AND c.status = %s
  AND d.status IN (%s, %s)
  AND EXISTS (SELECT 1 FROM {CouncilMembership._meta.db_table} m
              WHERE m.council_id = r.council_id AND m.user_id = %s AND m.active = %s
                AND m.role IN (%s, %s))
  AND NOT EXISTS (SELECT 1 FROM {ConflictDeclaration._meta.db_table} x
                  WHERE x.user_id = %s AND x.producer_id = p.producer_id)
  AND NOT EXISTS (SELECT 1 FROM {Producer.users.through._meta.db_table} u
                  WHERE u.user_id = %s AND u.producer_id = p.producer_id)"""
# Each answer's points and its criterion's maximum by their primary keys: joined, the
# PostgreSQL planner hashed the whole option and criterion tables for a card's ~30
# answers (0.9 ms; 0.2 ms so).
_ANSWERS_SQL = f"""
SELECT a.criterion_id, a.option_id,
       (SELECT o.points FROM {Option._meta.db_table} o WHERE o.id = a.option_id),
       (SELECT cr.max_points FROM {Criterion._meta.db_table} cr WHERE cr.id = a.criterion_id)
FROM {Answer._meta.db_table} a
WHERE a.scorecard_id = %s"""

_INSERT_ANSWER_SQL = (
    f"INSERT INTO {Answer._meta.db_table} (scorecard_id, criterion_id, option_id) "
    "VALUES (%s, %s, %s)"
)
_UPDATE_ANSWER_SQL = (
    f"UPDATE {Answer._meta.db_table} SET option_id = %s "
    "WHERE scorecard_id = %s AND criterion_id = %s"
)
_UPDATE_CARD_SQL = (
    f"UPDATE {Scorecard._meta.db_table} SET total = %s, updated_at = %s WHERE id = %s"
)


_INSERT_EVENT_SQL = (
    f"INSERT INTO {ScorecardEvent._meta.db_table} "
    # Quoted: BEFORE, AFTER and AT are SQL words (standard SQL quoting, both databases).
    '("scorecard_id", "actor_id", "action", "criterion_id", "before", "after", "note", "at") '
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)


class Ticked(NamedTuple):
    """What the autosave answers after a tick: the card, its new total and when it was saved."""

    pk: int
    total: int
    updated_at: datetime.datetime


def _json(value, field: str):
    # The JSON field's own conversion (json.dumps, or the driver's JSON wrapper).
    return ScorecardEvent._meta.get_field(field).get_db_prep_save(value, connection)


def _quick_tick_params(user, dossier_id, criterion_id, option_id) -> list:
    scoring_roles = [str(r) for r in CouncilMembership.SCORING_ROLES]
    assert len(scoring_roles) == 2 and len(OPEN_STATUSES) == 2  # the SQL's IN lists
    return [
        option_id,
        criterion_id,
        dossier_id,
        user.pk,
        str(Scorecard.Kind.MEMBER),
        str(Scorecard.Status.DRAFT),
        *[str(s) for s in OPEN_STATUSES],
        user.pk,
        True,
        *scoring_roles,
        user.pk,
        user.pk,
    ]


def quick_tick(
    user, dossier_id: int, criterion_id: int, option_id: int
) -> Scorecard | Ticked | None:
    """tick() for the common case in a handful of statements, or None to take the full path.

    The scorecard autosave is the busiest write of the site (every click of every member
    while a council scores). The full path (dossier_access, member_card, tick) asks ~20
    questions and, on SQLite, takes the write lock twice. Here one statement locks the
    member's own card and answers every rule of the full path at once: the card is theirs,
    a member card, in draft; the dossier is being scored (the round open: scoring or
    result, OPEN_STATUSES); they sit on its council as chair or member, active; they are
    not tied to the producer (its account or a declared conflict); the option belongs to
    the criterion and the criterion to the dossier's sheet. Then the answers are read
    (after the lock, so a tick committed by another tab meanwhile is counted), the answer,
    the total and the audit event (who, when, before, after) written, all in one
    transaction: one write lock on SQLite.

    Anything else (no card yet, a refusal, a submitted card, a foreign option) returns
    None without writing: the caller takes the full path, which gives the refusal in words.
    """
    lock = " FOR UPDATE OF c" if connection.features.has_select_for_update_of else ""
    with transaction.atomic(), connection.cursor() as cursor:
        # Prepared once per connection on PostgreSQL, where planning it cost ten times
        # running it (core/prepared.py).
        prepared.execute(
            cursor,
            "ocop_quick_tick",
            _QUICK_TICK_SQL + lock,
            _quick_tick_params(user, dossier_id, criterion_id, option_id),
        )
        found = cursor.fetchall()
        if not found:
            return None
        [(card_id, total, points, most)] = found
        now = timezone.now()  # after the lock: the order of saves is the order of ticks
        prepared.execute(cursor, "ocop_tick_answers", _ANSWERS_SQL, [card_id])
        answers = {c: (o, p, m) for c, o, p, m in cursor.fetchall()}
        before = answers.get(criterion_id)
        if before is not None and before[0] == option_id:
            # A repeated autosave of the same tick changes nothing.
            return Scorecard.objects.only("total", "updated_at").get(pk=card_id)
        # The writes in plain SQL too: Answer, Scorecard and ScorecardEvent have no
        # signals, and the event's ORM create() was a third of the tick's Python.
        if before is None:
            cursor.execute(_INSERT_ANSWER_SQL, [card_id, criterion_id, option_id])
        else:
            cursor.execute(_UPDATE_ANSWER_SQL, [option_id, card_id, criterion_id])
        capped = {c: (p, m) for c, (_o, p, m) in answers.items()}
        capped[criterion_id] = (points, most)
        total = _capped_total(capped)
        cursor.execute(
            _UPDATE_CARD_SQL, [total, connection.ops.adapt_datetimefield_value(now), card_id]
        )
        cursor.execute(
            _INSERT_EVENT_SQL,
            [
                card_id,
                user.pk,
                str(ScorecardEvent.Action.TICK),
                criterion_id,
                _json({"option": before[0]} if before else None, "before"),
                _json({"option": option_id, "points": points}, "after"),
                "",
                connection.ops.adapt_datetimefield_value(now),
            ],
        )
    return Ticked(pk=card_id, total=total, updated_at=now)


@transaction.atomic
def flag_rejection(card: Scorecard, clause: int, flagged: bool, actor) -> Scorecard:
    card = _locked(card)
    if card.is_locked:
        raise ScoringError(_("This card has been submitted and can no longer be changed."))
    _require_editable(card)
    if not 0 <= clause < len(card.dossier.sheet.rejection_clauses):
        raise ScoringError(_("There is no such rejection clause on this sheet."))
    before = sorted(card.rejections)
    after = sorted((set(before) | {clause}) if flagged else (set(before) - {clause}))
    if after != before:
        card.rejections = after
        card.save(update_fields=["rejections", "updated_at"])
        ScorecardEvent.objects.create(
            scorecard=card,
            actor=actor,
            action=ScorecardEvent.Action.REJECTION,
            before={"rejections": before},
            after={"rejections": after},
        )
    return card


@transaction.atomic
def flag_elimination(card: Scorecard, note_id: int, flagged: bool, actor) -> Scorecard:
    """A member finds (or no longer finds) that a stop or elimination note of the sheet
    applies to the product: saved at once, as ticks are, and frozen with the card."""
    card = _locked(card)
    if card.is_locked:
        raise ScoringError(_("This card has been submitted and can no longer be changed."))
    if card.kind != Scorecard.Kind.MEMBER:
        raise ScoringError(_("Only council members flag the sheet's stop or elimination notes."))
    _require_editable(card)
    note = EliminationNote.objects.filter(
        pk=note_id, criterion__sheet_id=card.dossier.sheet_id
    ).first()
    if note is None:
        raise ScoringError(_("There is no such stop or elimination note on this sheet."))
    before = sorted(card.eliminations)
    after = sorted((set(before) | {note.pk}) if flagged else (set(before) - {note.pk}))
    if after != before:
        card.eliminations = after
        card.save(update_fields=["eliminations", "updated_at"])
        ScorecardEvent.objects.create(
            scorecard=card,
            actor=actor,
            action=ScorecardEvent.Action.NOTE,
            criterion_id=note.criterion_id,
            before={"eliminations": before},
            after={"eliminations": after},
            note=note.text,
        )
    return card


#: How long a member's note on one criterion may be: a remark beside the tick, not a report.
COMMENT_CHARS = 500


@transaction.atomic
def write_comment(card: Scorecard, criterion_id: int, text: str, actor) -> Scorecard:
    """A member's short note on one criterion of their card (an empty text removes it):
    saved at once as ticks are, frozen with the card, recorded with before and after.
    Kept as typed (plain text: every page escapes it); only the ends are trimmed."""
    card = _locked(card)
    if card.is_locked:
        raise ScoringError(_("This card has been submitted and can no longer be changed."))
    if card.kind != Scorecard.Kind.MEMBER:
        raise ScoringError(_("Only council members write notes on criteria."))
    _require_editable(card)
    if not Criterion.objects.filter(pk=criterion_id, sheet_id=card.dossier.sheet_id).exists():
        raise ScoringError(_("There is no such criterion on this sheet."))
    # A NUL is never typed and PostgreSQL's JSON cannot hold one: it goes.
    text = (text or "").replace("\x00", "").strip()
    if len(text) > COMMENT_CHARS:
        raise ScoringError(
            _("A note may have at most %(most)s characters; this one has %(count)s.")
            % {"most": COMMENT_CHARS, "count": len(text)}
        )
    comments = dict(card.comments or {})
    key = str(criterion_id)
    before = comments.get(key, "")
    if text == before:
        return card  # a repeated autosave changes nothing
    if text:
        comments[key] = text
    else:
        comments.pop(key, None)
    card.comments = comments
    card.save(update_fields=["comments", "updated_at"])
    ScorecardEvent.objects.create(
        scorecard=card,
        actor=actor,
        action=ScorecardEvent.Action.COMMENT,
        criterion_id=criterion_id,
        before={"comment": before} if before else None,
        after={"comment": text} if text else None,
    )
    return card


def missing_criteria(card: Scorecard) -> list[Criterion]:
    answered = set(Answer.objects.filter(scorecard=card).values_list("criterion_id", flat=True))
    return [
        c for c in Criterion.objects.filter(sheet=card.dossier.sheet_id) if c.id not in answered
    ]


@transaction.atomic
def submit(card: Scorecard, actor) -> Scorecard:
    """Lock the card. Submitting an already submitted card changes nothing (a double click)."""
    card = _locked(card)
    if card.is_locked:
        return card
    _require_editable(card)
    missing = missing_criteria(card)
    if missing:
        raise ScoringError(
            _("%(count)s criteria have no option ticked yet, the first is %(first)s.")
            % {"count": len(missing), "first": missing[0]}
        )
    card.status = Scorecard.Status.SUBMITTED
    card.submitted_at = timezone.now()
    card.save(update_fields=["status", "submitted_at", "updated_at"])
    ScorecardEvent.objects.create(
        scorecard=card,
        actor=actor,
        action=ScorecardEvent.Action.SUBMIT,
        before={"status": "draft"},
        after={"status": "submitted", "total": card.total},
    )
    if card.kind == Scorecard.Kind.MEMBER:
        recompute_result(card.dossier, actor)
    return card


@transaction.atomic
def reopen(card: Scorecard, actor, reason: str) -> Scorecard:
    """The secretary reopens a submitted card for re-scoring; the reason is recorded."""
    if not reason.strip():
        raise ScoringError(_("Please give the reason for reopening the card."))
    card = _locked(card)
    if not card.is_locked:
        return card
    _require_open(card.dossier)
    card.status = Scorecard.Status.DRAFT
    card.submitted_at = None
    card.save(update_fields=["status", "submitted_at", "updated_at"])
    ScorecardEvent.objects.create(
        scorecard=card,
        actor=actor,
        action=ScorecardEvent.Action.REOPEN,
        before={"status": "submitted"},
        after={"status": "draft"},
        note=reason,
    )
    dossier = card.dossier
    if dossier.status == Dossier.Status.RESULT:
        workflow.transition(dossier, Dossier.Status.SCORING, actor, _("Card reopened: %s") % reason)
    recompute_result(dossier, actor)
    return card


def declare_conflict(user, dossier, reason: str) -> ConflictDeclaration:
    _require_open(dossier)
    declaration, _created = ConflictDeclaration.objects.get_or_create(
        user=user, producer=dossier.product.producer, defaults={"reason": reason}
    )
    return declaration


# ------------------------------------------------------------------ result
def scoring_members(dossier: Dossier) -> tuple[set[int], int | None]:
    """Members who may score this dossier (conflicts excluded) and the chair's id."""
    memberships = CouncilMembership.objects.filter(
        council=dossier.round.council, active=True, role__in=CouncilMembership.SCORING_ROLES
    ).select_related("user")
    producer = dossier.product.producer
    tied = set(producer.users.values_list("pk", flat=True)) | set(
        ConflictDeclaration.objects.filter(producer=producer).values_list("user_id", flat=True)
    )
    members = {m.user_id for m in memberships if m.user_id not in tied}
    chair = next((m.user_id for m in memberships if m.role == "chair"), None)
    return members, (chair if chair in members else None)


def submitted_cards(dossier: Dossier) -> list[rules.Card]:
    cards = Scorecard.objects.filter(
        dossier=dossier, kind=Scorecard.Kind.MEMBER, status=Scorecard.Status.SUBMITTED
    )
    ticks: dict[int, dict[int, int]] = {}
    for card_id, criterion_id, option_id in Answer.objects.filter(scorecard__in=cards).values_list(
        "scorecard_id", "criterion_id", "option_id"
    ):
        ticks.setdefault(card_id, {})[criterion_id] = option_id
    return [
        rules.Card(
            member=c.author_id,
            ticks=ticks.get(c.id, {}),
            rejections=frozenset(c.rejections),
            eliminations=frozenset(c.eliminations),
        )
        for c in cards
    ]


def evaluate_dossier(dossier: Dossier) -> rules.Result:
    members, chair = scoring_members(dossier)
    cards = [c for c in submitted_cards(dossier) if c.member in members]
    council = dossier.round.council
    operating = council.operating_rules
    criteria = criterion_rules(dossier.sheet)
    return rules.evaluate(
        criteria,
        cards,
        dossier.round.rulebook.bands,
        quorum=rules.quorum_reached(
            {c.member for c in cards}, members, chair, council.quorum_ratio, operating.chair
        ),
        spread_limit=council.spread_limit,
        rejection_clauses=len(dossier.sheet.rejection_clauses),
        notes=note_rules(dossier.sheet, criteria),
        council=operating,
        chair=chair,
    )


def _json_requirement(r: rules.Requirement) -> dict:
    # The marked option by its words: a card meets it by ticking it or an option printed
    # after it, not by points (rules.meets).
    return {"star": r.star, "criterion": r.criterion.label, "option": r.option_text}


@transaction.atomic
def recompute_result(dossier: Dossier, actor=None) -> CouncilResult:
    """Store the current result and move the dossier between scoring and result.

    A decided dossier keeps the result its decision was taken on."""
    # Lock the dossier before counting its cards. Members submitting at the same moment
    # would otherwise each count the cards without the others' (not yet committed), and
    # the last to write would store a result short of cards: four members submitted, the
    # result counted one or two and the quorum was never reached. Waiting here, the later
    # one counts the earlier one's card (PostgreSQL reads what is committed, statement by
    # statement). Each submission locks its own card first, then the dossier, as a
    # reopening does, so the two locks are always taken in the same order.
    dossier.status = (
        Dossier.objects.select_for_update().values_list("status", flat=True).get(pk=dossier.pk)
    )
    if dossier.status not in OPEN_STATUSES:
        return CouncilResult.objects.filter(dossier=dossier).first()
    outcome = evaluate_dossier(dossier)
    values = {
        "council_rules": dossier.round.council.rules_snapshot(),
        "outcome": outcome.outcome.value,
        "cards": outcome.cards,
        "mean": outcome.mean_display,
        "part_means": {k: str(rules.cut(v)) for k, v in outcome.part_means.items()},
        "spread": outcome.spread,
        "band_stars": outcome.band_stars,
        "stars": outcome.stars,
        "caps": [
            {**_json_requirement(c.requirement), "cards_meeting": c.cards_meeting, "cards": c.cards}
            for c in outcome.caps
        ],
        "rejection_clause": outcome.rejection,
        "eliminations": [
            {
                "note": e.note.key,
                "criterion": e.note.criterion.label,
                "effect": e.note.effect.value,
                "text": e.note.text,
                "cards_flagging": e.cards_flagging,
                "cards": e.cards,
            }
            for e in outcome.eliminations
        ],
        "next_star": None
        if outcome.next_star is None
        else {
            "stars": outcome.next_star.stars,
            "points_needed": str(outcome.next_star.points_needed),
            "missing": [_json_requirement(r) for r in outcome.next_star.missing],
        },
    }
    result = CouncilResult.objects.filter(dossier=dossier).first() or CouncilResult(dossier=dossier)
    for field, value in values.items():
        setattr(result, field, value)
    if actor is not None:
        # The result's history names who caused the change, outside a request too (a
        # command, a council's rules changed in the shell).
        result._history_user = actor
    result.save()
    done = outcome.outcome in (rules.Outcome.FINAL, rules.Outcome.REJECTED)
    dossier.refresh_from_db(fields=["status"])
    if done and dossier.status == Dossier.Status.SCORING:
        workflow.transition(dossier, Dossier.Status.RESULT, actor, _("Quorum reached."))
    elif not done and dossier.status == Dossier.Status.RESULT:
        # A late card can push the spread over the limit, or a reopened card drop the
        # quorum: the result is no longer final and the council goes back to scoring.
        reason = (
            _("Members' totals differ by %(spread)s points; to be discussed and re-scored.")
            % {"spread": outcome.spread}
            if outcome.outcome == rules.Outcome.WAITING_SPREAD
            else _("Quorum no longer reached.")
        )
        workflow.transition(dossier, Dossier.Status.SCORING, actor, reason)
    return result


def recompute_council(council, actor) -> int:
    """Recompute every result of the council not yet decided on, after its operating
    rules change; each change is kept in the result's history. Returns how many."""
    dossiers = Dossier.objects.filter(round__council=council, status__in=OPEN_STATUSES)
    count = 0
    for dossier in dossiers.select_related("round__council", "round__rulebook", "sheet"):
        recompute_result(dossier, actor)
        count += 1
    return count
