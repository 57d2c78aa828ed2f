"""Places as people wrote them, resolved to today's units.

OCOP lists name places as they were when the product was recognised: a province by its
name (perhaps one merged away on 1 July 2025), a district that no longer exists, "TT Cầu
Kè", or the whole address in one cell. `Places` answers, for one such place, which
commune (or province) of today it is, and how sure that is:

* ``exact``      named as it is today;
* ``converted``  named as before July 2025 and converted through the 2025 reorganisation
                 (registry/data/units_before_2025.json, from the `vietnamadminunits`
                 package; checked in docs/places.md);
* ``partial``    only a province or a district is known: kept, "to be completed";
* ``unknown``    not found: the closest current units are offered.

Pure: `Places` is built once (one query for every unit, one read of the data file) and
then resolves any number of places without touching the database.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext as _

from registry import search
from registry.models import AdministrativeUnit
from registry.reference_data import HISTORICAL_MARK, before_2025

Level = AdministrativeUnit.Level

EXACT, CONVERTED, PARTIAL, UNKNOWN = "exact", "converted", "partial", "unknown"

# Words and abbreviations that say what kind of unit a name is, longest first so that
# "thành phố" is taken before "thành". Folded (no accents), as names are compared.
_PREFIXES = {
    Level.PROVINCE: ["thanh pho", "tinh", "tp.", "tp", "t."],
    Level.DISTRICT: ["thanh pho", "thi xa", "huyen", "quan", "tp.", "tp", "tx.", "tx", "h.", "q."],
    Level.COMMUNE: [
        "thi tran",
        "dac khu",
        "phuong",
        "xa",
        "tt.",
        "tt",
        "p.",
        "x.",
    ],
}
_SEPARATORS = re.compile(r"\s*(?:,|;|\n| - | – )\s*")
_PUNCT = re.compile(r"[^\w\s]")


def bare(name: str, level: str) -> str:
    """The folded name without its kind: "TT. Cầu Kè" and "Thị trấn Cầu Kè" -> "cau ke"."""
    text = search.fold(name).strip()
    for prefix in _PREFIXES[level]:
        if text.startswith(prefix) and (
            prefix.endswith(".") or len(text) == len(prefix) or not text[len(prefix)].isalnum()
        ):
            text = text[len(prefix) :]
            break
    text = _PUNCT.sub(" ", text)
    return " ".join(text.split())


# "Xã Tam Xuân I" (the official name) is written "Tam Xuân 1" in lists, and the wards of
# some towns are "Phường I", "Phường II": a last word in Roman numerals is its number.
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7"}
_ROMAN |= {"viii": "8", "ix": "9", "x": "10"}


def _strip_leading_zeros(key: str) -> str:
    # "Phường 01" and "Phường 1" are the same ward.
    words = [w.lstrip("0") or "0" if w.isdigit() else w for w in key.split()]
    if len(words) > 1 and words[-1] in _ROMAN:
        words[-1] = _ROMAN[words[-1]]
    return " ".join(words)


_KINDS = {"thi tran": "thi tran", "tt": "thi tran", "tt.": "thi tran", "xa": "xa", "x.": "xa"}
_KINDS |= {"phuong": "phuong", "p.": "phuong", "dac khu": "dac khu"}


def written_kind(name: str) -> str:
    """The kind of commune the name says, folded ("TT Cầu Kè" -> "thi tran"), or ""."""
    text = search.fold(name).strip()
    for prefix in _PREFIXES[Level.COMMUNE]:
        if text.startswith(prefix) and (
            prefix.endswith(".") or len(text) == len(prefix) or not text[len(prefix)].isalnum()
        ):
            return _KINDS.get(prefix, "")
    return ""


def key_of(name: str, level: str) -> str:
    return _strip_leading_zeros(bare(name, level))


@dataclass(frozen=True)
class PlaceMatch:
    unit: AdministrativeUnit | None  # today's commune, or today's province when partial
    status: str  # exact | converted | partial | unknown
    written: str  # the place as the file wrote it
    old_label: str = ""  # the unit of before July 2025, when converted
    new_label: str = ""  # today's unit
    historical_unit: AdministrativeUnit | None = None  # the old commune or district
    suggestions: tuple = ()  # closest current communes, when not found or to be completed
    message: str = ""

    @property
    def province(self) -> AdministrativeUnit | None:
        if self.unit is None:
            return None
        return self.unit if self.unit.level == Level.PROVINCE else self.unit.parent

    @property
    def commune(self) -> AdministrativeUnit | None:
        return self.unit if self.unit is not None and self.unit.level == Level.COMMUNE else None


@lru_cache(maxsize=1)
def _conversion() -> tuple[dict[str, tuple[str, ...]], dict[str, str], dict[str, str]]:
    """From the data file: old commune code -> today's codes (the default first),
    old province code -> today's, old province name -> its old code."""
    data = before_2025()
    communes = {code: tuple(new) for code, _n, _k, _d, new in data["communes"]}
    provinces = {code: new for code, _n, new in data["provinces"]}
    names = {code: name for code, name, _new in data["provinces"]}
    return communes, provinces, names


@lru_cache(maxsize=1)
def _old_province_of_district() -> dict[str, str]:
    data = before_2025()
    names = {code: name for code, name, _new in data["provinces"]}
    return {code: names[old] for code, _n, _k, old in data["districts"]}


def label(unit: AdministrativeUnit | None) -> str:
    """ "Thị trấn Cầu Kè, Huyện Cầu Kè, Tỉnh Trà Vinh": the unit and those above it; a unit
    of before July 2025 is named with the province it was in then."""
    parts = []
    while unit is not None:
        if unit.level == Level.DISTRICT and unit.abolished_on is not None:
            old = _old_province_of_district().get(unit.code)
            if old:
                return ", ".join([*parts, unit.name, old])
        parts.append(unit.name)
        unit = unit.parent
    return ", ".join(parts)


def clean(text: str) -> str:
    """NFC (decomposed accents from some exports), single spaces, as written otherwise."""
    return " ".join(unicodedata.normalize("NFC", str(text or "")).split())


@dataclass
class Places:
    """Every unit, indexed by folded name; build with `Places.load()`."""

    provinces: dict[str, AdministrativeUnit] = field(default_factory=dict)  # code -> unit
    units: dict[tuple[str, str], AdministrativeUnit] = field(default_factory=dict)
    # (scope, key) -> units: scope is a province code (today's communes, districts), a
    # district code (old communes), or "*" (every current commune / old province name).
    index: dict[tuple[str, str, str], list] = field(default_factory=dict)
    old_provinces: dict[str, AdministrativeUnit] = field(default_factory=dict)  # key -> today's
    old_province_names: dict[str, str] = field(default_factory=dict)  # key -> old name
    old_by_district: dict[int, list] = field(default_factory=dict)  # district id -> communes
    _keys: dict[str, list] = field(default_factory=dict)  # scope -> names of today's communes
    _suggested: dict = field(default_factory=dict)
    _words: dict[str, list] = field(default_factory=dict)  # word -> names of today's communes

    @classmethod
    def load(cls) -> "Places":
        """One query for all units (about 14,000 small rows)."""
        return cls.from_units(
            AdministrativeUnit.objects.only(
                "id", "level", "code", "name", "division_type", "parent_id", "abolished_on"
            )
        )

    @classmethod
    def from_units(cls, units) -> "Places":
        places = cls()
        units = list(units)
        by_id = {u.pk: u for u in units}
        for unit in units:
            # Link parents in memory: no query when a label climbs the tree.
            unit.parent = by_id.get(unit.parent_id)
            places.units[(unit.level, unit.code)] = unit
        for unit in units:
            places._add(unit)
        _communes, old_to_new, old_names = _conversion()
        for old_code, name in old_names.items():
            today = places.provinces.get(old_to_new[old_code])
            if today is not None:
                key = key_of(name, Level.PROVINCE)
                places.old_provinces[key] = today
                places.old_province_names[key] = name
        return places

    def _add(self, unit):
        key = key_of(unit.name, unit.level)
        if unit.level == Level.PROVINCE:
            self.provinces[unit.code] = unit
            self.index.setdefault((Level.PROVINCE, "*", key), []).append(unit)
        elif unit.level == Level.DISTRICT:
            province = unit.parent.code if unit.parent else ""
            self.index.setdefault((Level.DISTRICT, province, key), []).append(unit)
            self.index.setdefault((Level.DISTRICT, "*", key), []).append(unit)
        elif unit.abolished_on is None:
            province = unit.parent.code if unit.parent else ""
            for scope in (province, "*"):
                found = self.index.setdefault((Level.COMMUNE, scope, key), [])
                if not found:
                    self._keys.setdefault(scope, []).append(key)
                    if scope == "*":
                        for word in key.split():
                            self._words.setdefault(word, []).append(key)
                found.append(unit)
        else:
            district = unit.parent
            self.old_by_district.setdefault(unit.parent_id, []).append(unit)
            province = district.parent.code if district and district.parent else ""
            self.index.setdefault(("old", district.code if district else "", key), []).append(unit)
            self.index.setdefault(("old", province, key), []).append(unit)
            self.index.setdefault(("old", "*", key), []).append(unit)

    # ----------------------------------------------------------------- lookups
    def _find(self, kind, scope, name, level) -> list:
        return self.index.get((kind, scope, key_of(name, level)), [])

    def _today(self, old_commune) -> tuple[AdministrativeUnit, ...]:
        communes, _p, _n = _conversion()
        codes = communes.get(old_commune.code.removeprefix(HISTORICAL_MARK), ())
        found = [u for u in (self.units.get((Level.COMMUNE, c)) for c in codes) if u is not None]
        # A divided commune: the package's default successor first, unless one took the old
        # name (where the resolutions put the larger part: "phần lớn diện tích ... thị trấn
        # Đông Anh" went to xã Đông Anh, the package says Phúc Thịnh; docs/places.md).
        name = key_of(old_commune.name, Level.COMMUNE)
        found.sort(key=lambda u: key_of(u.name, Level.COMMUNE) != name)
        return tuple(found)

    def province_of(self, text: str) -> tuple[AdministrativeUnit | None, str]:
        """Today's province for a code, a name of today or a name of before July 2025;
        the second value is the old name when it was one."""
        text = clean(text)
        if not text:
            return None, ""
        if text.isdigit() and len(text) <= 2:
            code = text.zfill(2)
            if code in self.provinces:
                return self.provinces[code], ""
            # A code no province has today: one of the provinces merged away in 2025.
            _c, today, names = _conversion()
            if code in today:
                return self.provinces.get(today[code]), names[code]
            return None, ""
        found = self._find(Level.PROVINCE, "*", text, Level.PROVINCE)
        if len(found) == 1:
            return found[0], ""
        key = key_of(text, Level.PROVINCE)
        if key in self.old_provinces:
            return self.old_provinces[key], self.old_province_names[key]
        return None, ""

    def district_of(self, text: str, province) -> AdministrativeUnit | None:
        text = clean(text)
        if not text:
            return None
        if text.isdigit() and len(text) <= 3:
            return self.units.get((Level.DISTRICT, text.zfill(3)))
        scope = province.code if province is not None else "*"
        found = self._find(Level.DISTRICT, scope, text, Level.DISTRICT)
        if len(found) > 1:  # "Thành phố Vĩnh Long" and "Huyện Vĩnh Long"? the kind decides
            typed = [d for d in found if search.fold(text).startswith(search.fold(d.division_type))]
            found = typed or found
        return found[0] if len(found) == 1 else None

    def suggest(self, text: str, province=None, n: int = 3) -> tuple:
        """The current communes whose names are closest to `text` (in the province)."""
        key = key_of(text, Level.COMMUNE)
        if not key:
            return ()
        scope = province.code if province is not None else "*"
        memo = (scope, key, n)
        if memo not in self._suggested:  # a list repeats its places: ask difflib once each
            keys = self._keys.get(scope, ())
            if scope == "*":
                # 3,321 names are too many to compare one by one for every unknown name
                # of a large file: only those sharing a word with it.
                keys = {k for word in key.split() for k in self._words.get(word, ())}
            close = difflib.get_close_matches(key, keys, n=n, cutoff=0.6)
            found = tuple(u for k in close for u in self.index[(Level.COMMUNE, scope, k)])[:n]
            self._suggested[memo] = found
        return self._suggested[memo]

    # ----------------------------------------------------------------- resolution
    def resolve_place(self, province="", district="", commune="", address="") -> PlaceMatch:
        province, district, commune, address = (
            clean(v) for v in (province, district, commune, address)
        )
        # "Xã Phú Nam An, huyện Chương Mỹ" in the commune column is an address.
        if "," in commune or ";" in commune:
            address, commune = ", ".join(p for p in (commune, address) if p), ""
        written = ", ".join(p for p in (address, commune, district, province) if p)
        if not written:
            return PlaceMatch(None, UNKNOWN, "", message=_("No place is given."))
        if address and not commune:
            return self._resolve_address(address, province, district, written)
        return self._resolve(province, district, commune, written)

    def _resolve_address(self, address, province, district, written) -> PlaceMatch:
        """Read the parts of an address from its end: province, then district, then the
        commune; what is left in front is the street."""
        parts = [p for p in _SEPARATORS.split(address) if p]
        prov = province_unit = None
        if province:
            province_unit, _old = self.province_of(province)
        if province_unit is None and parts:
            found, _old = self.province_of(parts[-1])
            if found is not None:
                prov = parts.pop()
                province_unit = found
        dist = district
        if not dist and parts and self.district_of(parts[-1], province_unit) is not None:
            dist = parts.pop()
        # The commune is usually the last part left, but "Số 5 Hàng Bạc, phường Hàng Bạc"
        # or "Thôn 3, Vân Nội" put it anywhere in front: the first part, from the end,
        # that names a commune is taken.
        province = province or prov or ""
        last = self._resolve(province, dist, parts[-1] if parts else "", written)
        if last.status in (EXACT, CONVERTED):
            return last
        for part in reversed(parts[:-1]):
            if self._names_a_commune(part):  # an index look-up first: streets are many
                match = self._resolve(province, dist, part, written)
                if match.status in (EXACT, CONVERTED):
                    return match
        return last

    def _names_a_commune(self, text: str) -> bool:
        key = key_of(text, Level.COMMUNE)
        return (Level.COMMUNE, "*", key) in self.index or ("old", "*", key) in self.index

    def _resolve(self, province, district, commune, written) -> PlaceMatch:
        province_unit, old_province = self.province_of(province) if province else (None, "")
        if province and province_unit is None:
            return PlaceMatch(
                None,
                UNKNOWN,
                written,
                message=_("Unknown province “%(name)s”.") % {"name": province},
            )
        district_unit = self.district_of(district, province_unit) if district else None
        if district_unit is not None and province_unit is None:
            province_unit = district_unit.parent
        if district and district_unit is None and not commune:
            return PlaceMatch(
                province_unit,
                PARTIAL if province_unit else UNKNOWN,
                written,
                message=_("Unknown district “%(name)s”: the commune is to be completed.")
                % {"name": district},
            )
        if not commune:
            return self._partial(province_unit, district_unit, written)
        return self._commune(commune, province_unit, district_unit, old_province, written)

    def _partial(self, province_unit, district_unit, written) -> PlaceMatch:
        if district_unit is not None:
            # Today's communes that the district's communes became, for the official to pick.
            today = dict.fromkeys(
                t for u in self.old_by_district.get(district_unit.pk, ()) for t in self._today(u)
            )
            return PlaceMatch(
                province_unit,
                PARTIAL,
                written,
                old_label=label(district_unit),
                new_label=label(province_unit),
                historical_unit=district_unit,
                suggestions=tuple(today)[:8],
                message=_("Only the district %(district)s is given.")
                % {"district": district_unit.name},
            )
        if province_unit is not None:
            return PlaceMatch(
                province_unit,
                PARTIAL,
                written,
                new_label=label(province_unit),
                message=_("Only the province %(province)s is given.")
                % {"province": province_unit.name},
            )
        return PlaceMatch(None, UNKNOWN, written, message=_("No place is given."))

    def _commune(self, commune, province_unit, district_unit, old_province, written):
        scope = province_unit.code if province_unit is not None else "*"
        current = self._find(Level.COMMUNE, scope, commune, Level.COMMUNE)
        old_scope = district_unit.code if district_unit is not None else scope
        old = self._find("old", old_scope, commune, Level.COMMUNE)
        if len(old) > 1:
            typed = [
                u for u in old if search.fold(commune).startswith(search.fold(u.division_type))
            ]
            old = typed or old
        if scope == "*" and len(current) == 1:
            # No province given: a name is taken only if no commune of before 2025
            # elsewhere had it too ("Xã Tân An" was in a dozen provinces).
            elsewhere = [u for u in old if u.parent.parent_id != current[0].parent_id]
            if elsewhere:
                current = [current[0], *(t for u in elsewhere for t in self._today(u))]
        # A district, an old province's name, or a kind written that today's commune of the
        # name is not ("TT Đông Anh": there are no thị trấn since 2025) says the list was
        # written before 2025.
        kind = written_kind(commune)
        prefer_old = (
            district_unit is not None
            or bool(old_province)
            or bool(kind and current and kind != search.fold(current[0].division_type))
        )
        if kind and len(old) > 1:
            old = [u for u in old if search.fold(u.division_type) == kind] or old
        if len(current) == 1 and not (prefer_old and len(old) == 1):
            unit = current[0]
            status = CONVERTED if old_province else EXACT
            return PlaceMatch(
                unit,
                status,
                written,
                old_label=old_province,
                new_label=label(unit),
            )
        if len(old) == 1:
            today = self._today(old[0])
            if today:
                first = today[0]
                message = ""
                if len(today) > 1:
                    message = _(
                        "%(old)s was divided in 2025; %(new)s was chosen: check it against "
                        "the producer's address (also: %(others)s)."
                    ) % {
                        "old": old[0].name,
                        "new": first.name,
                        "others": ", ".join(u.name for u in today[1:]),
                    }
                return PlaceMatch(
                    first,
                    CONVERTED,
                    written,
                    old_label=label(old[0]),
                    new_label=label(first),
                    historical_unit=old[0],
                    suggestions=today[1:],
                    message=message,
                )
        candidates = current or [t for u in old for t in self._today(u)]
        if len(candidates) > 1:
            return PlaceMatch(
                None,
                UNKNOWN,
                written,
                suggestions=tuple(dict.fromkeys(candidates))[:8],
                message=_("Several communes are called “%(name)s”: name the province or district.")
                % {"name": commune},
            )
        if district_unit is not None and province_unit is not None:
            # The district is known (a commune merged before 2025, a misspelling): the
            # place is kept as far as it is known, the commune to be completed.
            return PlaceMatch(
                province_unit,
                PARTIAL,
                written,
                old_label=label(district_unit),
                new_label=label(province_unit),
                historical_unit=district_unit,
                suggestions=self.suggest(commune, province_unit),
                message=_("Unknown commune “%(name)s” in %(district)s.")
                % {"name": commune, "district": district_unit.name},
            )
        return PlaceMatch(
            None,
            UNKNOWN,
            written,
            suggestions=self.suggest(commune, province_unit),
            message=_("Unknown commune “%(name)s”%(where)s.")
            % {
                "name": commune,
                "where": f" ({province_unit.name})" if province_unit is not None else "",
            },
        )


def resolve_place(province="", district="", commune="", address="", places=None) -> PlaceMatch:
    """One place; pass `places` (a `Places.load()`) when resolving many."""
    places = places if places is not None else Places.load()
    return places.resolve_place(province, district, commune, address)
