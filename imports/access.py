"""Who may import, and which provinces their rows may fall in."""

from dataclasses import dataclass

from evaluation.models import OfficialRole


@dataclass(frozen=True)
class ImportScope:
    """The provinces an importer's rows may be in; None means every province."""

    province_ids: frozenset[int] | None

    def allows(self, province_id) -> bool:
        return self.province_ids is None or province_id in self.province_ids


def import_scope(user) -> ImportScope | None:
    """Superusers import anywhere; an office imports inside its province (the unit itself
    for a province office, the unit's province for a district or commune office, anywhere
    for the central office). Anyone else may not import: None."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return ImportScope(None)
    roles = list(
        OfficialRole.objects.filter(user=user, kind=OfficialRole.Kind.OFFICE).select_related("unit")
    )
    if not roles:
        return None
    provinces = set()
    for role in roles:
        if role.unit is None:
            return ImportScope(None)
        provinces.add(role.unit.pk if role.unit.parent_id is None else role.unit.parent_id)
    return ImportScope(frozenset(provinces))
