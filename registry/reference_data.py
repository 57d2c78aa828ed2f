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


@transaction.atomic
def load_units(rows: list[UnitRow]) -> dict[str, int]:
    """Create missing units and correct changed ones; returns counts per action."""
    created = updated = 0
    fields = ["name", "division_type", "parent_id", "abolished_on"]
    # Provinces first, so districts and communes can point at them.
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        existing = {u.code: u for u in AdministrativeUnit.objects.filter(level=level)}
        province_ids = dict(AdministrativeUnit.objects.provinces().values_list("code", "id"))
        new, changed = [], []
        for row in (r for r in rows if r.level == level):
            values = {
                "name": row.name,
                "division_type": row.division_type,
                "parent_id": province_ids[row.parent_code] if row.parent_code else None,
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
