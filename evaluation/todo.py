"""What each person has to do next ("Việc cần làm"): the rules of the to-do page and of
the count beside its link in the menu, without HTTP.

Every task starts from the same scope functions as the dossier and certificate pages
(`access.dossiers_visible_to`, `certificates_visible_to`), so nothing outside a person's
scope can appear, and a producer's unfiled draft never reaches an official. Due dates are
the dossier pages' own clocks (`presenters.dossier_rows` over `deadlines.py`) and the
certificates' renewal window (`certificates.certificate_window`): nothing is recomputed
here.

A task is an action, in words a person acts on ("Chấm điểm", "Kiểm tra hồ sơ", "Ra quyết
định", "Bổ sung hồ sơ", "Gia hạn"), not the dossier's status. Built in a fixed number of
queries whatever the number of dossiers (pinned by tests at two sizes).
"""

from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from core import caching
from evaluation import certificates, presenters, validity
from evaluation.access import (
    certificates_visible_to,
    dossiers_visible_to,
    role_scope,
)
from evaluation.models import (
    Certificate,
    ConflictDeclaration,
    CouncilMembership,
    Criterion,
    Dossier,
    OfficialRole,
    Rulebook,
    Scorecard,
)

S = Dossier.Status

#: What each kind of task asks the person to do: the button's words.
ACTIONS = {
    "score": gettext_lazy("Score"),
    "check": gettext_lazy("Check the dossier"),
    "open_scoring": gettext_lazy("Open scoring"),
    "follow_cards": gettext_lazy("Follow up the cards"),
    "decide": gettext_lazy("Decide"),
    "file": gettext_lazy("File the dossier"),
    "complete": gettext_lazy("Complete the dossier"),
    "renew": gettext_lazy("Renew"),
}

#: The sections of the page, in the order they are shown, and the tasks each holds.
SECTIONS = (
    ("score", gettext_lazy("Cards to score"), ("score",)),
    ("check", gettext_lazy("Dossiers to check"), ("check", "open_scoring")),
    ("cards", gettext_lazy("Cards still in draft"), ("follow_cards",)),
    ("decide", gettext_lazy("Results waiting for a decision"), ("decide",)),
    ("mine", gettext_lazy("Your dossiers needing action"), ("file", "complete")),
    ("renew", gettext_lazy("Certificates to renew"), ("renew",)),
)

#: Seconds the menu's count is kept per person; any change to a dossier, card or
#: certificate drops every kept count at once (`forget_counts`, from evaluation.signals).
COUNT_SECONDS = 120
_VERSION_KEY = "todo-version"


@dataclass(frozen=True)
class Task:
    kind: str  # a key of ACTIONS
    dossier: Dossier | None = None
    certificate: Certificate | None = None
    due: date | None = None
    late: bool = False
    soon: bool = False
    article: str = ""
    done: int | None = None  # how far along: criteria ticked, cards submitted…
    of: int | None = None  # … out of

    @property
    def action(self) -> str:
        return str(ACTIONS[self.kind])

    @property
    def product(self):
        return (self.dossier or self.certificate).product

    @property
    def sort_key(self):
        # Late first, then the nearest due date; undated tasks last.
        return (not self.late, self.due or date.max, self.product.name)


def _dossier_task(kind, row, **extra) -> Task:
    clock = row.next
    return Task(
        kind,
        dossier=row.dossier,
        due=clock.deadline.due if clock else None,
        late=row.late,
        soon=row.soon,
        article=clock.deadline.article if clock else "",
        **extra,
    )


def _timed(queryset, today, rulebooks):
    """Rows with their clocks (presenters.dossier_rows), as the dossier list shows them."""
    return presenters.dossier_rows(
        presenters.with_clock_fields(queryset).select_related(
            "product__producer", "round__council", "sheet__product_set"
        ),
        rulebooks,
        today,
    )


def _office_q(user) -> Q:
    """The rounds the user decides in: its office's level and unit (every round, for an
    administrator)."""
    if user.is_superuser:
        return Q(pk__isnull=False)
    found = Q(pk__in=[])
    for role in OfficialRole.objects.filter(user=user, kind=OfficialRole.Kind.OFFICE):
        found |= role_scope(role)
    return found


def _secretary_q(user) -> Q:
    # A subquery, not a join: OR-ed with the office's scope, a join on the memberships
    # listed a dossier once per member of its council (an administrator saw each five times).
    return Q(
        round__council__in=CouncilMembership.objects.filter(
            user=user, active=True, role=CouncilMembership.Role.SECRETARY
        ).values("council")
    )


def tasks_for(user, today: date) -> list[Task]:
    """Everything `user` has to do on `today`, late and nearest first."""
    if not user.is_authenticated:
        return []
    rulebooks = {rulebook.pk: rulebook for rulebook in Rulebook.objects.all()}
    visible = dossiers_visible_to(user)
    office = _office_q(user)
    manages = office | _secretary_q(user)
    tasks: list[Task] = []

    # Members' and the chair's cards: a dossier being scored, in a council where the user
    # scores, whose own card is not yet submitted (a declared conflict or the producer's
    # own account takes the member off, as scoring.scoring_members does).
    my_card = Scorecard.objects.filter(
        dossier=OuterRef("pk"), author=user, kind=Scorecard.Kind.MEMBER
    )
    criteria = (
        Criterion.objects.filter(sheet=OuterRef("sheet"))
        .order_by()
        .values("sheet")
        .annotate(n=Count("pk"))
        .values("n")
    )
    scoring = (
        visible.filter(
            status=S.SCORING,
            round__council__memberships__user=user,
            round__council__memberships__active=True,
            round__council__memberships__role__in=CouncilMembership.SCORING_ROLES,
        )
        .exclude(product__producer__users=user)
        .exclude(
            product__producer__in=ConflictDeclaration.objects.filter(user=user).values("producer")
        )
        .exclude(pk__in=my_card.filter(status=Scorecard.Status.SUBMITTED).values("dossier"))
        .annotate(
            ticked=Coalesce(
                Subquery(
                    my_card.annotate(n=Count("answers")).values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            criteria=Coalesce(Subquery(criteria, output_field=IntegerField()), Value(0)),
        )
    )
    for row in _timed(scoring, today, rulebooks):
        tasks.append(_dossier_task("score", row, done=row.dossier.ticked, of=row.dossier.criteria))

    # Those who run the round (its secretary, its level's office): dossiers filed and not
    # yet checked, checked ones whose scoring is to open, and the members' cards still in
    # draft while the council scores.
    run = visible.filter(manages, status__in=[S.SUBMITTED, S.CHECKED, S.SCORING])
    members = (
        CouncilMembership.objects.filter(
            council=OuterRef("round__council"),
            active=True,
            role__in=CouncilMembership.SCORING_ROLES,
        )
        .order_by()
        .values("council")
        .annotate(n=Count("pk"))
        .values("n")
    )
    submitted = (
        Scorecard.objects.filter(
            dossier=OuterRef("pk"),
            kind=Scorecard.Kind.MEMBER,
            status=Scorecard.Status.SUBMITTED,
        )
        .order_by()
        .values("dossier")
        .annotate(n=Count("pk"))
        .values("n")
    )
    run = run.annotate(
        members=Coalesce(Subquery(members, output_field=IntegerField()), Value(0)),
        submitted=Coalesce(Subquery(submitted, output_field=IntegerField()), Value(0)),
    )
    decided_here = []
    for row in _timed(run, today, rulebooks):
        dossier = row.dossier
        level = rulebooks[dossier.round.rulebook_id].level(dossier.round.level) or {}
        if dossier.status == S.SUBMITTED:
            tasks.append(_dossier_task("check", row))
        elif dossier.status == S.CHECKED and level.get("scores", True):
            tasks.append(_dossier_task("open_scoring", row))
        elif dossier.status == S.CHECKED:
            # A level that only pre-checks (the commune) sends the dossier up: the office's
            # decision, listed with the results below.
            decided_here.append(dossier.pk)
        elif dossier.submitted < dossier.members:
            tasks.append(
                _dossier_task("follow_cards", row, done=dossier.submitted, of=dossier.members)
            )

    # The office: results waiting for its decision, and pre-checked dossiers to send up.
    deciding = visible.filter(office).filter(Q(status=S.RESULT) | Q(pk__in=decided_here))
    for row in _timed(deciding, today, rulebooks):
        tasks.append(_dossier_task("decide", row))

    # The producer: drafts to file, returned dossiers to complete …
    own = visible.filter(product__producer__users=user, status__in=[S.DRAFT, S.RETURNED])
    for row in _timed(own, today, rulebooks):
        kind = "file" if row.dossier.status == S.DRAFT else "complete"
        tasks.append(_dossier_task(kind, row))

    # … and certificates whose re-evaluation window is open (or has closed while still in
    # force), with no re-evaluation dossier of the product under way: due when it closes.
    under_way = Dossier.objects.reevaluations_under_way()
    held = (
        certificates_visible_to(user, today)
        .filter(product__producer__users=user)
        .filter(validity.in_force_q(today))
        .exclude(product__in=under_way.values("product"))
        .select_related("product__producer", "rulebook")
    )
    rulebook_list = list(rulebooks.values())
    for certificate in held:
        window = certificates.certificate_window(certificate, rulebook_list)
        if window.opens > today:
            continue
        tasks.append(
            Task(
                "renew",
                certificate=certificate,
                due=window.closes,
                late=today > window.closes,
                soon=0 <= (window.closes - today).days <= presenters.DUE_SOON_DAYS,
            )
        )
    return sorted(tasks, key=lambda task: task.sort_key)


def sections(tasks: list[Task]) -> list[dict]:
    """The page's sections that hold tasks, in order."""
    found = []
    for key, title, kinds in SECTIONS:
        rows = [task for task in tasks if task.kind in kinds]
        if rows:
            found.append(
                {
                    "key": key,
                    "title": title,
                    "tasks": rows,
                    "late": sum(task.late for task in rows),
                }
            )
    return found


def has_role(user) -> bool:
    """Holds any part in the procedure: an office, an inspection, a council seat, a
    producer's account (or administers). Such a person lands on the to-do page."""
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or OfficialRole.objects.filter(user=user).exists()
        or CouncilMembership.objects.filter(user=user, active=True).exists()
        or user.producers.exists()
    )


# ------------------------------------------------------------------ the menu's count
def _version() -> int:
    return caching.get(_VERSION_KEY) or 0


def forget_counts() -> None:
    """A dossier, card, result or certificate changed: every kept count is made again."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        caching.set(_VERSION_KEY, 1, None)
    except Exception:  # noqa: BLE001 — a failing cache keeps nothing to forget
        caching.set(_VERSION_KEY, _version() + 1, None)


def count_for(user, today: date) -> int:
    """The number beside "Việc cần làm" in the menu: kept per person for COUNT_SECONDS
    and until the next change (no query on most pages)."""
    if not user.is_authenticated:
        return 0
    key = f"todo-count:{_version()}:{today.isoformat()}:{user.pk}"
    return caching.get_or_make(key, lambda: len(tasks_for(user, today)), COUNT_SECONDS)
