"""Write registry/data/units_before_2025.json from the pinned `vietnamadminunits` package.

The registry keeps the units of before 1 July 2025 (63 provinces, their districts and
communes) and, for each old commune, the commune(s) of today it became. That mapping is
the work of the `vietnamadminunits` package (MIT licence, Tran Ngoc Minh Hieu), which
transcribes the National Assembly Standing Committee's 2025 resolutions; we read only its
data files, never its code (its converter geocodes split wards over the network). The
output is a plain data file, loaded by `registry.reference_data.units_before_2025` and
read by `registry.places`, so the package is needed only to regenerate it:

    pip install -r tools/requirements-units.txt
    python tools/build_units_before_2025.py [--source DIR]

Checked against the resolutions: docs/places.md.
"""

import argparse
import importlib.util
import json
import re
import sqlite3
import unicodedata
from pathlib import Path

from vietnam_provinces import Ward

OUT = Path(__file__).resolve().parent.parent / "registry" / "data" / "units_before_2025.json"
VERSION = "1.0.4"


def package_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")  # found, not imported
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pip install -r tools/requirements-units.txt first")
    return Path(list(spec.submodule_search_locations)[0])


def key(name: str) -> str:
    """The package's keys: the name without accents, spaces or punctuation."""
    folded = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return re.sub(
        r"[^a-z0-9]", "", "".join(c for c in folded if not unicodedata.combining(c)).lower()
    )


def registry_codes() -> dict[tuple[str, str], str]:
    """(province code, key of the name) -> the code the registry gives today's commune.

    The package's own codes of the new communes differ from the registry's
    (`vietnam-provinces`, the GSO list) for a few hundred wards, so the new commune is
    found by its name within its province, which both lists spell the same."""
    return {
        (f"{int(w.province_code):02d}", key(w.name)): f"{int(w.code):05d}" for w in Ward.iter_all()
    }


def build(source: Path) -> dict:
    db = sqlite3.connect(source / "data" / "dataset.db")
    conv = json.loads((source / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    ours = registry_codes()
    new_ward_code = {
        (p, w): ours[(p_code, key(name))]
        for p, w, p_code, name in db.execute(
            "select provinceKey, wardKey, provinceCode, ward from admin_units"
        )
    }
    new_province_code = dict(
        db.execute("select distinct provinceKey, provinceCode from admin_units").fetchall()
    )
    old_to_new_province = {old: new for new, olds in conv["DICT_PROVINCE"].items() for old in olds}
    # old "province_district_ward" key -> [new ward codes], the default first
    targets: dict[str, list[str]] = {}
    for new_p, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_w, olds in wards.items():
            for old in olds:
                targets.setdefault(old, []).append(new_ward_code[(new_p, new_w)])
    for new_p, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in olds.items():
            codes = [
                new_ward_code[(new_p, n["newWardKey"])]
                for n in sorted(news, key=lambda n: not n["isDefaultNewWard"])
            ]
            targets[old] = list(dict.fromkeys(targets.get(old, []) + codes))

    provinces, districts, communes, unmapped = {}, {}, [], []
    rows = db.execute(
        "select province, provinceCode, provinceKey, district, districtType, districtCode,"
        " districtKey, ward, wardType, wardCode, wardKey from admin_units_legacy"
        " order by provinceCode, districtCode, wardCode"
    )
    for p, p_code, p_key, d, d_type, d_code, d_key, w, w_type, w_code, w_key in rows:
        provinces[p_code] = [p_code, p, new_province_code[old_to_new_province[p_key]]]
        districts[d_code] = [d_code, d, d_type.lower(), p_code]
        if w is None:  # island districts without communes (Bạch Long Vĩ, Cồn Cỏ…)
            continue
        new = targets.get(f"{p_key}_{d_key}_{w_key}", [])
        if not new:
            unmapped.append(f"{w_code} {w}, {d}, {p}")
        communes.append([w_code, w, w_type.lower(), d_code, new])
    return {
        "source": (
            f"vietnamadminunits {VERSION} (MIT licence, github.com/tranngocminhhieu/"
            "vietnamadminunits), data files dataset.db and converter_2025.json; GSO codes "
            "of before 1 July 2025; built by tools/build_units_before_2025.py"
        ),
        "abolished_on": "2025-07-01",
        "columns": {
            "provinces": ["code", "name", "code of today's province"],
            "districts": ["code", "name", "division type", "province code (old)"],
            "communes": ["code", "name", "division type", "district code", "today's codes"],
        },
        "unmapped": unmapped,
        "provinces": sorted(provinces.values()),
        "districts": sorted(districts.values()),
        "communes": communes,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="the package's folder (default: installed)")
    args = parser.parse_args()
    data = build(args.source or package_dir())
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # One unit per line: a readable diff when the package's data is corrected.
    for key in ("provinces", "districts", "communes", "unmapped"):
        text = text.replace(f'"{key}":[[', f'"{key}":[\n[').replace("],[", "],\n[")
    OUT.write_text(text + "\n", encoding="utf-8")
    print(
        f"{OUT}: {len(data['provinces'])} provinces, {len(data['districts'])} districts, "
        f"{len(data['communes'])} communes, {len(data['unmapped'])} without a successor"
    )


if __name__ == "__main__":
    main()
