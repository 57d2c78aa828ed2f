"""Who may see and do what in the evaluation: every answer in this one module.

Dossiers, certificates, the products an official may open, the officials' pages. Views,
the admin, the API and exports all ask here; nothing checks access inline.

Anything outside a user's scope is a 404, never a 403, so the existence of
another district's dossier is not revealed. A 403 is kept for a user who may see
the dossier but not do the thing asked (a member trying to reopen a card).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from evaluation import certificates, workflow
from evaluation.models import (
    Certificate,
    ConflictDeclaration,
    CouncilMembership,
    CouncilResult,
    Decision,
    Dossier,
    FakeReport,
    OfficialRole,
    Rulebook,
    Scorecard,
)
from registry.models import Product


@dataclass(frozen=True)
class DossierAccess:
    dossier: Dossier
    membership: CouncilMembership | None
    is_producer: bool
    is_admin: bool
    is_office: bool = False  # takes decisions at the dossier's level and unit
    is_inspector: bool = False  # reads everything in scope, changes nothing
    own_card: Scorecard | None = None  # the user's member card on this dossier, if any

    @property
    def is_secretary(self) -> bool:
        return self.membership is not None and self.membership.role == "secretary"

    @property
    def is_scoring_member(self) -> bool:
        return self.membership is not None and self.membership.scores

    @property
    def manages(self) -> bool:
        """May check, return and open scoring, and reopen cards: the council's secretary,
        the level's office (which runs the commune pre-check) or an administrator."""
        return self.is_secretary or self.is_office or self.is_admin

    @property
    def decides(self) -> bool:
        """May recognise, forward or not recognise: the level's office or an administrator."""
        return self.is_office or self.is_admin

    # ---------------------------------------------------------- independent scoring
    # Each member scores alone: until their own card is submitted, a member sees nothing
    # of the others' cards (ticks, totals, status), nor the result as it forms. Those who
    # run and decide the round (secretary, office, administrator) see everything; the
    # inspector, who reads everything in scope, sees submitted cards and the result; the
    # producer sees the outcome only once the office has decided, without the members.
    # Nobody but those who run the round sees another person's draft card.
    @property
    def own_card_submitted(self) -> bool:
        return self.own_card is not None and self.own_card.is_locked

    @property
    def sees_council_work(self) -> bool:
        """Other members' submitted cards, the members' progress and the result."""
        return (
            self.manages
            or self.is_inspector
            or (self.is_scoring_member and self.own_card_submitted)
        )

    def may_see_card(self, card) -> bool:
        if card.kind == Scorecard.Kind.SELF:
            # The producer's own; the council's once the dossier is filed.
            return self.is_producer or (
                self.dossier.status != Dossier.Status.DRAFT
                and (self.membership is not None or self.manages or self.is_inspector)
            )
        if card.author_id == getattr(self.own_card, "author_id", None):
            return True
        return self.manages or (self.sees_council_work and card.is_locked)

    @property
    def may_see_result(self) -> bool:
        decided = self.dossier.status in workflow.DECISIONS
        return self.sees_council_work or self.decides or (self.is_producer and decided)

    @property
    def sees_members(self) -> bool:
        """Members' names and their own totals beside the council's result."""
        return self.sees_council_work or self.decides

    @property
    def sees_deviations(self) -> bool:
        """How far each member stands from the others: for those who run, decide and
        inspect the round; never for a member, whose scoring stays independent."""
        return self.manages or self.decides or self.is_inspector

    def may_see_move_details(self, change) -> bool:
        """Who made a status move, and its note. On the council's own moves between scoring
        and result, the mover is a member (whose card completed the quorum) or the secretary
        reopening a card, and the note may give the spread of the members' totals: council
        work, for those who see the members. Everyone else sees the move alone."""
        council_move = (change.from_status, change.to_status) in workflow.COUNCIL_MOVES
        return self.sees_members or not council_move

    @property
    def moves(self) -> set[str]:
        """The moves this user may ask for on the dossier (workflow's table of roles)."""
        return workflow.role_moves(
            producer=self.is_producer, manager=self.manages, decider=self.decides
        )

    @property
    def may_upload(self) -> bool:
        return self.is_producer and self.dossier.status in workflow.PRODUCER_EDITS

    def require(self, allowed: bool):
        if not allowed:
            raise PermissionDenied


def dossiers_visible_to(user):
    """The dossiers a user may open at all."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    if user.is_superuser:
        return Dossier.objects.all()
    # Each condition reads a dossier's own row or a single-valued foreign key, with the
    # many-valued sides (a council's members, a producer's users) asked in a subquery: a
    # dossier is then listed once without DISTINCT, whose sort over every column of a
    # list's joined rows cost more than the rest of the query (issue 17), and the planner
    # estimates the rows well enough not to reach for PostgreSQL's JIT (1.1 s alone).
    council = Q(
        round__council__in=CouncilMembership.objects.filter(user=user, active=True).values(
            "council"
        )
    )
    producer = Q(product__in=_own_products(user))
    officials = council
    for role in OfficialRole.objects.filter(user=user):
        officials |= role_scope(role)
    # A draft is the producer's until it is filed: no council, office or inspector opens it.
    filed = ~Q(status=Dossier.Status.DRAFT)
    return Dossier.objects.filter(producer | (officials & filed))


def _own_products(user):
    """The products of the producers `user` acts for, as a subquery (dossiers_visible_to):
    asked by product, a list's scope reads only its own rows' columns, with no join to
    the products table for every row."""
    return Product.objects.filter(producer__users=user).values("pk")


def _run_by(user) -> Q:
    """Dossiers whose round the user runs: as its council's secretary or its level's office."""
    secretary = Q(
        round__council__memberships__user=user,
        round__council__memberships__active=True,
        round__council__memberships__role=CouncilMembership.Role.SECRETARY,
    )
    for role in OfficialRole.objects.filter(user=user, kind=OfficialRole.Kind.OFFICE):
        secretary |= role_scope(role)
    return secretary


def _inspected_by(user) -> Q:
    inspected = Q(pk__in=[])
    for role in OfficialRole.objects.filter(user=user, kind=OfficialRole.Kind.INSPECTOR):
        inspected |= role_scope(role)
    return inspected


def scorecards_visible_to(user):
    """DossierAccess.may_see_card as a queryset, for lists (the admin): one's own cards;
    every card of a round one runs; submitted cards where one inspects, or where one's
    own member card is submitted; the self-assessment to its producer and, once filed,
    to the council."""
    if not user.is_authenticated:
        return Scorecard.objects.none()
    if user.is_superuser:
        return Scorecard.objects.all()
    filed = dossiers_visible_to(user).exclude(status=Dossier.Status.DRAFT)
    run = Dossier.objects.filter(_run_by(user) & ~Q(status=Dossier.Status.DRAFT))
    submitted_own = Scorecard.objects.filter(
        author=user, kind=Scorecard.Kind.MEMBER, status=Scorecard.Status.SUBMITTED
    ).values("dossier_id")
    peers = Dossier.objects.filter(
        Q(pk__in=submitted_own) | (_inspected_by(user) & ~Q(status=Dossier.Status.DRAFT))
    )
    member_cards = (
        Q(author=user)
        | Q(dossier__in=run)
        | Q(dossier__in=peers, status=Scorecard.Status.SUBMITTED)
    )
    self_cards = Q(dossier__product__producer__users=user) | Q(dossier__in=filed)
    return Scorecard.objects.filter(
        (Q(kind=Scorecard.Kind.MEMBER) & member_cards) | (Q(kind=Scorecard.Kind.SELF) & self_cards)
    ).distinct()


def results_visible_to(user):
    """DossierAccess.may_see_result as a queryset of dossiers' results (the admin)."""
    from_model = CouncilResult.objects
    if not user.is_authenticated:
        return from_model.none()
    if user.is_superuser:
        return from_model.all()
    submitted_own = Scorecard.objects.filter(
        author=user, kind=Scorecard.Kind.MEMBER, status=Scorecard.Status.SUBMITTED
    ).values("dossier_id")
    seen = Dossier.objects.filter(
        (_run_by(user) | _inspected_by(user) | Q(pk__in=submitted_own))
        & ~Q(status=Dossier.Status.DRAFT)
        | Q(product__producer__users=user, status__in=workflow.DECISIONS)
    )
    return from_model.filter(dossier__in=seen)


def products_visible_to(user):
    """The products a signed-in user may open outside the public catalogue (the admin):
    their own producer's, those of the dossiers they may open, and those whose
    certificates they may see. Everything, for an administrator."""
    if user.is_superuser:
        return Product.objects.all()
    if not user.is_authenticated:
        return Product.objects.none()
    return Product.objects.filter(
        Q(producer__users=user)
        | Q(pk__in=dossiers_visible_to(user).values("product_id"))
        | Q(pk__in=certificates_visible_to(user).values("product_id"))
    ).distinct()


def role_scope(role: OfficialRole) -> Q:
    """An office sees its own level's rounds in its unit; an inspector sees every round in
    its unit and the units below it (everything, at the central level)."""
    if role.kind == OfficialRole.Kind.OFFICE:
        return Q(round__level=role.level, round__unit=role.unit)
    if role.unit_id is None:
        return Q(pk__isnull=False)
    return Q(round__unit=role.unit) | Q(round__unit__parent=role.unit)


def dossier_access(user, pk) -> DossierAccess:
    """The dossier with the user's standing on it, or 404 when it is not theirs to see."""
    try:
        dossier = (
            dossiers_visible_to(user)
            .select_related(
                "round__council", "round__rulebook", "product__producer", "sheet__product_set"
            )
            .get(pk=pk)
        )
    except (Dossier.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    membership = (
        CouncilMembership.objects.filter(council=dossier.round.council, user=user, active=True)
        .select_related("council")
        .first()
    )
    is_producer = dossier.product.producer.users.filter(pk=user.pk).exists()
    roles = list(OfficialRole.objects.filter(user=user))
    office = any(
        r.kind == OfficialRole.Kind.OFFICE
        and r.level == dossier.round.level
        and r.unit_id == dossier.round.unit_id
        for r in roles
    )
    inspector = any(r.kind == OfficialRole.Kind.INSPECTOR for r in roles)
    own_card = Scorecard.objects.filter(
        dossier=dossier, author=user, kind=Scorecard.Kind.MEMBER
    ).first()
    return DossierAccess(
        dossier, membership, is_producer, user.is_superuser, office, inspector, own_card
    )


def has_conflict(user, dossier) -> bool:
    """Tied to the producer: an account of it, or a declared conflict of interest."""
    producer = dossier.product.producer
    return (
        producer.users.filter(pk=user.pk).exists()
        or ConflictDeclaration.objects.filter(user=user, producer=producer).exists()
    )


def certificates_visible_to(user, today=None):
    """Producers see their products' certificates; offices those their level and unit
    issued and those they may revoke (revocable_q: a province office the certificates its
    abolished districts issued); inspectors those of their unit and the units below;
    administrators all."""
    qs = Certificate.objects.all()
    if user.is_superuser:
        return qs
    if not user.is_authenticated:
        return qs.none()
    scope = Q(product__in=_own_products(user))
    roles = list(OfficialRole.objects.filter(user=user).select_related("unit"))
    rulebook = None
    for role in roles:
        if role.kind == OfficialRole.Kind.OFFICE:
            if rulebook is None:
                rulebook = certificates.governing_rulebook(today or timezone.localdate())
            scope |= Q(level=role.level, unit=role.unit) | revocable_q(
                role, today or timezone.localdate(), rulebook
            )
        elif role.unit_id is None:
            scope |= Q(pk__isnull=False)
        else:
            scope |= (
                Q(unit=role.unit)
                | Q(unit__parent=role.unit)
                | Q(product__producer__commune__parent=role.unit)
            )
    # Only single-valued joins and subqueries (dossiers_visible_to): no DISTINCT needed,
    # so the list's count and page are plain index-friendly queries.
    return qs.filter(scope)


def revocable_q(role: OfficialRole, today, rulebook: Rulebook) -> Q:
    """certificates.revoking_authority as a query: the certificates whose revocation lies
    with this office on `today` under `rulebook` (the one in force that day)."""
    if role.kind != OfficialRole.Kind.OFFICE:
        return Q(pk__in=[])

    def stars_of(level):
        return [s for s in (3, 4, 5) if rulebook.revoking_level(s) == level]

    if role.level == "central":
        return Q(stars__in=stars_of("central"))
    live_district = Q(unit__level="district") & (
        Q(unit__abolished_on__isnull=True) | Q(unit__abolished_on__gt=today)
    )
    if role.level == "district":
        if role.unit is None or (role.unit.abolished_on and role.unit.abolished_on <= today):
            return Q(pk__in=[])
        return Q(stars__in=stars_of("district"), unit=role.unit) & live_district
    if role.level == "province":
        in_province = (
            Q(unit=role.unit)
            | Q(unit__parent=role.unit)
            | Q(unit__isnull=True, product__producer__commune__parent=role.unit)
        )
        return in_province & (
            Q(stars__in=stars_of("province")) | (Q(stars__in=stars_of("district")) & ~live_district)
        )
    return Q(pk__in=[])


def revocation_checker(user, today=None, rulebooks=None):
    """may_revoke for many certificates of one page, with the user's roles read once."""
    today = today or timezone.localdate()
    offices = {
        (role.level, role.unit_id)
        for role in OfficialRole.objects.filter(user=user, kind=OfficialRole.Kind.OFFICE)
    }
    rulebooks = rulebooks if rulebooks is not None else list(Rulebook.objects.all())

    def may(certificate) -> bool:
        if user.is_superuser:
            return True
        authority = certificates.revoking_authority(certificate, today, rulebooks)
        return authority is not None and (authority.level, authority.unit_id) in offices

    return may


def may_revoke(user, certificate, today=None) -> bool:
    """The office holding the power to revoke it today (certificates.revoking_authority),
    or an administrator. The issuing office need not be it: a district's certificate is the
    province's to revoke since districts were abolished."""
    return revocation_checker(user, today)(certificate)


def decisions_visible_to(user):
    """The recorded acts an official may open: an office those of its level and unit, an
    inspector those of its unit and the units below (everything, at the central level),
    an administrator all. Producers and council members read the acts that concern them
    on their dossiers and certificates, not the whole act listing other producers."""
    if not user.is_authenticated:
        return Decision.objects.none()
    if user.is_superuser:
        return Decision.objects.all()
    scope = Q(pk__in=[])
    for role in OfficialRole.objects.filter(user=user):
        if role.kind == OfficialRole.Kind.OFFICE:
            scope |= Q(level=role.level, unit=role.unit_id)
        elif role.unit_id is None:
            scope |= Q(pk__isnull=False)
        else:
            scope |= Q(unit=role.unit_id) | Q(unit__parent=role.unit_id)
    return Decision.objects.filter(scope)


def is_official(user) -> bool:
    """Holds an office or inspector role (or administers): may open officials' pages."""
    return user.is_authenticated and (
        user.is_superuser or OfficialRole.objects.filter(user=user).exists()
    )


def fake_reports_visible_to(user, today=None):
    """Reports of suspected fakes: an office reads those sent to it (its level and unit)
    and those about certificates it may revoke today; administrators all; nobody else."""
    if not user.is_authenticated:
        return FakeReport.objects.none()
    if user.is_superuser:
        return FakeReport.objects.all()
    today = today or timezone.localdate()
    scope = Q(pk__in=[])
    rulebook = None
    offices = OfficialRole.objects.filter(user=user, kind=OfficialRole.Kind.OFFICE)
    for role in offices.select_related("unit"):
        if rulebook is None:
            rulebook = certificates.governing_rulebook(today)
        scope |= (
            Q(level=role.level, unit=role.unit_id)
            if role.unit_id
            else Q(level=role.level, unit__isnull=True)
        )
        scope |= Q(certificate__in=Certificate.objects.filter(revocable_q(role, today, rulebook)))
    return FakeReport.objects.filter(scope)
