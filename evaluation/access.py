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

from evaluation import workflow
from evaluation.models import (
    Certificate,
    ConflictDeclaration,
    CouncilMembership,
    Dossier,
    OfficialRole,
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
    council = Q(round__council__memberships__user=user, round__council__memberships__active=True)
    producer = Q(product__producer__users=user)
    scope = council | producer
    for role in OfficialRole.objects.filter(user=user):
        scope |= role_scope(role)
    return Dossier.objects.filter(scope).distinct()


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
    return DossierAccess(dossier, membership, is_producer, user.is_superuser, office, inspector)


def has_conflict(user, dossier) -> bool:
    """Tied to the producer: an account of it, or a declared conflict of interest."""
    producer = dossier.product.producer
    return (
        producer.users.filter(pk=user.pk).exists()
        or ConflictDeclaration.objects.filter(user=user, producer=producer).exists()
    )


def certificates_visible_to(user):
    """Producers see their products' certificates; offices and inspectors those of their
    unit (and, for inspectors, the units below); administrators all."""
    qs = Certificate.objects.all()
    if user.is_superuser:
        return qs
    scope = Q(product__producer__users=user)
    for role in OfficialRole.objects.filter(user=user):
        if role.unit_id is None:
            scope |= Q(level=role.level) if role.kind == "office" else Q(pk__isnull=False)
        elif role.kind == "office":
            scope |= Q(level=role.level, unit=role.unit)
        else:
            scope |= (
                Q(unit=role.unit)
                | Q(unit__parent=role.unit)
                | Q(product__producer__commune__parent=role.unit)
            )
    return qs.filter(scope).distinct()


def may_revoke(user, certificate) -> bool:
    if user.is_superuser:
        return True
    return OfficialRole.objects.filter(
        user=user, kind="office", level=certificate.level, unit=certificate.unit_id
    ).exists()


def is_official(user) -> bool:
    """Holds an office or inspector role (or administers): may open officials' pages."""
    return user.is_authenticated and (
        user.is_superuser or OfficialRole.objects.filter(user=user).exists()
    )
