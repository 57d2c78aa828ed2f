"""Who may see and do what with a dossier: one helper, used by every view.

Anything outside a user's scope is a 404, never a 403, so the existence of
another district's dossier is not revealed. A 403 is kept for a user who may see
the dossier but not do the thing asked (a member trying to reopen a card).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from evaluation.models import ConflictDeclaration, CouncilMembership, Dossier


@dataclass(frozen=True)
class DossierAccess:
    dossier: Dossier
    membership: CouncilMembership | None
    is_producer: bool
    is_admin: bool

    @property
    def is_secretary(self) -> bool:
        return self.membership is not None and self.membership.role == "secretary"

    @property
    def is_scoring_member(self) -> bool:
        return self.membership is not None and self.membership.scores

    @property
    def manages(self) -> bool:
        """May move the dossier and reopen cards: the council's secretary or an administrator."""
        return self.is_secretary or self.is_admin

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
    return Dossier.objects.filter(council | producer).distinct()


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
    return DossierAccess(dossier, membership, is_producer, user.is_superuser)


def has_conflict(user, dossier) -> bool:
    """Tied to the producer: an account of it, or a declared conflict of interest."""
    producer = dossier.product.producer
    return (
        producer.users.filter(pk=user.pk).exists()
        or ConflictDeclaration.objects.filter(user=user, producer=producer).exists()
    )
