"""Loading the registry's reference data: administrative units and product sets.

Plain functions, called by the management commands and the demo command, and
idempotent: a second run changes nothing and creates nothing.
"""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from core import page_cache
from registry.models import AdministrativeUnit, ProductGroup, ProductSet

DATA_DIR = Path(__file__).resolve().parent / "data"
Level = AdministrativeUnit.Level


@dataclass(frozen=True)
class UnitRow:
    level: str
    code: str
    name: str
    division_type: str
    parent_code: str | None = None  # province code for communes and districts
    abolished_on: date | None = None
    parent_level: str = Level.PROVINCE  # a commune of before 2025 hangs under its district


# The code of a commune of before 1 July 2025 is its GSO code with this mark: today's
# communes took over the GSO codes of some of the communes they merged, so the old and
# the new "00466" are different places and both must be kept.
HISTORICAL_MARK = "H"
BEFORE_2025 = "units_before_2025.json"


def current_units() -> list[UnitRow]:
    """The 34 provinces and 3,321 communes in force since 1 July 2025."""
    from vietnam_provinces import Province, Ward

    rows = [
        UnitRow(Level.PROVINCE, f"{int(p.code):02d}", p.name, p.division_type.value)
        for p in Province.iter_all()
    ]
    rows += [
        UnitRow(
            Level.COMMUNE,
            f"{int(w.code):05d}",
            w.name,
            w.division_type.value,
            parent_code=f"{int(w.province_code):02d}",
        )
        for w in Ward.iter_all()
    ]
    return rows


def former_hanoi_districts() -> list[UnitRow]:
    data = json.loads((DATA_DIR / "hanoi_districts_2024.json").read_text(encoding="utf-8"))
    abolished = date.fromisoformat(data["abolished_on"])
    return [
        UnitRow(
            Level.DISTRICT,
            d["code"],
            d["name"],
            d["division_type"],
            parent_code=data["province_code"],
            abolished_on=abolished,
        )
        for d in data["districts"]
    ]


def before_2025() -> dict:
    """The data file of the units of before 1 July 2025 (tools/build_units_before_2025.py)."""
    return json.loads((DATA_DIR / BEFORE_2025).read_text(encoding="utf-8"))


def units_before_2025() -> list[UnitRow]:
    """The districts (696) and communes (10,035) of the 63 provinces of before 1 July 2025.

    A district hangs under the province that holds it today (as the Hanoi districts
    always did); a commune under its district. All carry `abolished_on` = 1 July 2025:
    the district level ended that day, and every commune was reorganised."""
    data = before_2025()
    abolished = date.fromisoformat(data["abolished_on"])
    today_of = {code: new for code, _name, new in data["provinces"]}
    rows = [
        UnitRow(Level.DISTRICT, code, name, kind, today_of[old], abolished)
        for code, name, kind, old in data["districts"]
    ]
    rows += [
        UnitRow(
            Level.COMMUNE,
            HISTORICAL_MARK + code,
            name,
            kind,
            district,
            abolished,
            parent_level=Level.DISTRICT,
        )
        for code, name, kind, district, _new in data["communes"]
    ]
    return rows


def all_units() -> list[UnitRow]:
    """Today's units and those of before 1 July 2025: what `load_units` loads."""
    return current_units() + units_before_2025()


@transaction.atomic
def load_units(rows: list[UnitRow]) -> dict[str, int]:
    """Create missing units and correct changed ones; returns counts per action."""
    created = updated = 0
    fields = ["name", "division_type", "parent_id", "abolished_on"]
    # Provinces first, so districts and communes can point at them.
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        existing = {u.code: u for u in AdministrativeUnit.objects.filter(level=level)}
        parent_ids = {
            (lvl, code): pk
            for lvl, code, pk in AdministrativeUnit.objects.filter(
                level__in=(Level.PROVINCE, Level.DISTRICT)
            ).values_list("level", "code", "id")
        }
        new, changed = [], []
        for row in (r for r in rows if r.level == level):
            parent = (row.parent_level, row.parent_code)
            values = {
                "name": row.name,
                "division_type": row.division_type,
                "parent_id": parent_ids[parent] if row.parent_code else None,
                "abolished_on": row.abolished_on,
            }
            unit = existing.get(row.code)
            if unit is None:
                new.append(AdministrativeUnit(level=row.level, code=row.code, **values))
            elif any(getattr(unit, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(unit, key, value)
                changed.append(unit)
        AdministrativeUnit.objects.bulk_create(new, batch_size=1000)
        AdministrativeUnit.objects.bulk_update(changed, fields, batch_size=1000)
        if new or changed:
            page_cache.changed()  # bulk writes send no signals
        created += len(new)
        updated += len(changed)
    return {"created": created, "updated": updated, "total": len(rows)}


def product_set_numbers() -> tuple[int, ...]:
    """The numbers of the product sets of Appendix I, as the data file lists them."""
    data = json.loads((DATA_DIR / "product_sets.json").read_text(encoding="utf-8"))
    return tuple(sorted(s["number"] for s in data["sets"]))


@transaction.atomic
def load_product_sets() -> dict[str, int]:
    data = json.loads((DATA_DIR / "product_sets.json").read_text(encoding="utf-8"))
    created = 0
    groups = {}
    for position, g in enumerate(data["groups"]):
        group, made = ProductGroup.objects.update_or_create(
            code=g["code"],
            defaults={"name": g["name"], "name_en": g["name_en"], "position": position},
        )
        groups[g["code"]] = group
        created += made
    for s in data["sets"]:
        _set, made = ProductSet.objects.update_or_create(
            number=s["number"],
            defaults={"group": groups[s["group"]], "name": s["name"], "name_en": s["name_en"]},
        )
        created += made
    return {"created": created, "total": len(data["groups"]) + len(data["sets"])}
