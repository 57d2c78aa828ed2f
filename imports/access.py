"""Who may import, as which offices, and which provinces their rows may fall in.

What each office may then record (its level, its stars, its unit, its producers) is
decided in imports.rules from what is here.
"""

from dataclasses import dataclass

from evaluation.models import OfficialRole


@dataclass(frozen=True)
class Office:
    """One office the importer holds: its level and unit (None: the central level)."""

    level: str
    unit_id: int | None
    unit_name: str = ""


@dataclass(frozen=True)
class ImportScope:
    """The provinces an importer's rows may be in (None: every province), and the offices
    it imports as. An administrator holds no office and imports for every level."""

    province_ids: frozenset[int] | None
    offices: tuple[Office, ...] = ()
    administrator: bool = False

    def allows(self, province_id) -> bool:
        return self.province_ids is None or province_id in self.province_ids


def import_scope(user) -> ImportScope | None:
    """Superusers import anywhere; an office imports inside its province (the unit itself
    for a province office, the unit's province for a district or commune office, anywhere
    for the central office). Anyone else may not import: None."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return ImportScope(None, administrator=True)
    roles = list(
        OfficialRole.objects.filter(user=user, kind=OfficialRole.Kind.OFFICE).select_related("unit")
    )
    if not roles:
        return None
    offices = tuple(
        Office(role.level, role.unit_id, role.unit.name if role.unit else "") for role in roles
    )
    provinces = set()
    for role in roles:
        if role.unit is None:
            return ImportScope(None, offices)
        provinces.add(role.unit.pk if role.unit.parent_id is None else role.unit.parent_id)
    return ImportScope(frozenset(provinces), offices)
