"""An import row's place, as the list wrote it, through `registry.places`.

The template's columns (a commune code, or a commune name with the province code) are
read by `validation._resolve_place` as before. A row that names its place otherwise — a
province by name or by a name of before July 2025, a district by name, an old commune,
the whole address in one cell — comes here: the place is resolved to today's commune
and the preview shows "old → new", or it is held with the closest communes of today
for the official to choose. The units are loaded once per import (`Places.load()`), only
when a row needs them.
"""

from django.utils.translation import gettext as _

from registry.places import CONVERTED, EXACT, PARTIAL, PlaceMatch, Places


def load() -> Places:
    return Places.load()


def wanted(values: dict, province, found: list) -> bool:
    """Whether the row names its place in a way the template's columns do not read:
    `province` is the unit of a valid province code (or None), `found` today's communes
    of that province with the row's commune name."""
    if values.get("commune_code", "").strip():
        return False
    if values.get("address", "").strip():
        return True
    district = values.get("district_code", "").strip()
    if district and not (district.isdigit() and len(district) <= 3):
        return True  # a district by name
    if not values.get("commune_name", "").strip():
        return bool(values.get("province_code", "").strip() or district)
    return province is None or not found


def resolve(values: dict, places: Places) -> PlaceMatch:
    return places.resolve_place(
        province=values.get("province_code", ""),
        district=values.get("district_code", ""),
        commune=values.get("commune_name", ""),
        address=values.get("address", ""),
    )


def _choices(match: PlaceMatch) -> str:
    return ", ".join(f"{u.name} ({u.code})" for u in match.suggestions)


def apply(row, match: PlaceMatch) -> None:
    """Set the row's commune and district from the match, or say what is to be done."""
    row.place = match
    if match.status in (EXACT, CONVERTED) and match.commune is not None:
        row.commune = match.commune
        old = match.historical_unit
        if old is not None:
            row.district = old if old.level == "district" else old.parent
        if match.status == CONVERTED and match.old_label:
            row.warnings.append(
                _("Place of before July 2025: %(old)s → %(new)s.")
                % {"old": match.old_label, "new": match.new_label}
            )
        if match.message:
            row.warnings.append(match.message)
        return
    if match.status == PARTIAL and match.province is not None:
        # Only a province or an old district is known (issue 14): imported with the place
        # "to be completed" — the producer keeps its province (and old district), the
        # office completes the commune later (its list on the import page). Nothing is
        # invented: no commune is chosen for it.
        row.province = match.province
        if match.historical_unit is not None:
            row.district = match.historical_unit
        message = _("Place to be completed: %(message)s") % {"message": match.message}
        if match.suggestions:
            message = _("%(message)s Today's communes there: %(choices)s.") % {
                "message": message,
                "choices": _choices(match),
            }
        row.warnings.append(message)
        return
    message = match.message
    if match.suggestions:
        message = _("%(message)s Closest communes of today: %(choices)s.") % {
            "message": message,
            "choices": _choices(match),
        }
    row.fail(message)
