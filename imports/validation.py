"""Checking import rows against the registry: every problem of every row, in bulk.

`validate()` takes the rows as read (line number and text per column) and returns a
`Plan`: for each row what confirming would do ("create", "update", "unchanged") or, for a
bad row, all of its reasons. It writes nothing. The database is read in a fixed number of
queries whatever the number of rows (units, producers, their products and open dossiers,
certificate numbers, product sets), so a few thousand rows take a second or two.

What an importer may record at all (its level, stars, unit, dates before the system, no
open dossier, its own producers) is imports.rules; this module applies those rules.
"""

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluation import workflow
from evaluation.certificates import governing_rulebook, legacy_expiry
from evaluation.models import Certificate, Dossier, Rulebook
from evaluation.verification import normalise_number, number_too_long
from imports import places as import_places
from imports import rules, values
from imports.access import ImportScope
from imports.columns import BY_KEY, COLUMNS
from imports.reading import AS_DECISION, FROM_TITLE
from registry import search
from registry.models import AdministrativeUnit, Producer, Product, ProductSet
from registry.models.producers import phone_validator
from registry.reference_data import DATA_DIR, product_set_numbers

Level = AdministrativeUnit.Level

_SPACES = re.compile(r"\s+")

# The fields of a producer that a row gives, in the order changes are shown.
PRODUCER_FIELDS = [
    "name",
    "kind",
    "commune",
    "province",
    "district",
    "representative_name",
    "phone",
    "email",
]
# Blank in the file means "keep what the registry has" for these. A blank commune too, on
# a producer already recorded: a row whose place is to be completed never removes one.
OPTIONAL_PRODUCER_FIELDS = {"commune", "province", "district", "phone", "email"}
OPTIONAL_PRODUCER_FIELDS |= {"representative_name"}
UNIT_FIELDS = {"commune", "province", "district"}


def producer_field_labels():
    return {
        "name": BY_KEY["producer_name"].label,
        "kind": BY_KEY["producer_kind"].label,
        "commune": _("commune"),
        "province": _("province (commune to be completed)"),
        "district": _("district"),
        "representative_name": BY_KEY["representative_name"].label,
        "phone": BY_KEY["phone"].label,
        "email": BY_KEY["email"].label,
    }


@dataclass
class Row:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Parsed values (None or "" when missing or malformed).
    registration_number: str = ""
    producer_name: str = ""
    kind: str = ""
    commune: AdministrativeUnit | None = None
    # Only a province (or an old district) is known: the producer is recorded with its
    # province and the place "to be completed" (issue 14, point 3).
    province: AdministrativeUnit | None = None
    district: AdministrativeUnit | None = None
    representative_name: str = ""
    phone: str = ""
    email: str = ""
    product_name: str = ""
    product_set: ProductSet | None = None
    stars: int | None = None
    certificate_number: str = ""
    certificate_number_generated: bool = False
    decision_number: str = ""  # the recognition decision's number; may repeat across rows
    product_set_number: int | None = None
    issued_on: date | None = None
    issued_precision: str = "day"  # "day", "month" or "year": as far as the list knew it
    level: str = ""
    level_unit: str = ""  # the unit the level's text names ("UBND huyện Lục Ngạn")
    certificate_unit: AdministrativeUnit | None = None
    expires_on: date | None = None  # by the term of the rulebook governing issued_on
    # What confirming would do.
    producer: Producer | None = None  # the existing producer
    producer_outside: bool = False  # the existing producer is outside the importer's area
    producer_action: str = ""  # create, update, unchanged, or same (as an earlier row)
    producer_line: int | None = None  # for "same": the row that carries the producer
    producer_key: str = ""  # the registration number, or the commune and name key
    changes: list[dict] = field(default_factory=list)
    product: Product | None = None  # the existing product
    product_action: str = ""  # create, certify, unchanged
    merged_producer: dict = field(default_factory=dict)  # the producer as all its rows say
    place: object = None  # registry.places.PlaceMatch when the place was named as written

    def __post_init__(self):
        # Every column is there, blank when the file lacks it: the preview shows
        # row.values.<column> and a missing key would fail the whole page.
        self.values = {column.key: "" for column in COLUMNS} | {
            k: v for k, v in self.values.items() if v is not None
        }

    @property
    def issued_display(self) -> str:
        """The date of issue as far as the list knew it: 06/04/2021, 04/2021 or 2021."""
        if self.issued_on is None:
            return ""
        return str(values.ParsedDate(self.issued_on, self.issued_precision))

    @property
    def is_bad(self) -> bool:
        return bool(self.errors)

    @property
    def action(self) -> str:
        if self.errors:
            return "bad"
        if self.product_action == "create" or self.producer_action == "create":
            return "create"
        if self.product_action in ("certify", "history") or self.producer_action == "update":
            return "update"
        return "unchanged"

    def fail(self, message: str):
        if message not in self.errors:
            self.errors.append(message)


@dataclass
class Plan:
    rows: list[Row]

    @property
    def bad_rows(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def is_clean(self) -> bool:
        return bool(self.rows) and not self.bad_rows

    @property
    def counts(self) -> dict[str, int]:
        actions = defaultdict(int)
        for row in self.rows:
            actions[row.action] += 1
        good = [r for r in self.rows if not r.errors]
        return {
            "rows": len(self.rows),
            "bad": actions["bad"],
            "create": actions["create"],
            "update": actions["update"],
            "unchanged": actions["unchanged"],
            "producers_created": sum(r.producer_action == "create" for r in good),
            "producers_updated": sum(r.producer_action == "update" for r in good),
            "products_created": sum(r.product_action == "create" for r in good),
            "certificates_created": sum(
                r.product_action in ("create", "certify", "history") for r in good
            ),
        }

    @property
    def fingerprint(self) -> str:
        """Changes whenever what confirming would do changes; the same in every language."""
        shape = [
            [
                r.line,
                r.action,
                r.producer_action,
                r.product_action,
                [c["raw"] for c in r.changes],
                len(r.errors),
            ]
            for r in self.rows
        ]
        return hashlib.sha256(json.dumps(shape).encode()).hexdigest()


# ------------------------------------------------------------------ small parsers
def text(value: str) -> str:
    """NFC-composed (macOS and some Excel versions send decomposed accents), single-spaced."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def parse_date(value: str) -> date | None:
    """The day a cell gives (the first of the month or year when it gives no more)."""
    parsed = values.parse_date(value)
    return parsed.value if parsed else None


def set_names() -> list[values.SetName]:
    """The product sets of Appendix I with their groups, from the reference data file."""
    data = json.loads((DATA_DIR / "product_sets.json").read_text(encoding="utf-8"))
    groups = {g["code"]: g["name"] for g in data["groups"]}
    return sorted(
        (values.SetName(s["number"], s["name"], groups[s["group"]]) for s in data["sets"]),
        key=lambda item: item.number,
    )


def parse_code(value: str, width: int) -> str | None:
    """Official codes are digits; spreadsheets drop their leading zeros, so pad them."""
    value = (value or "").strip().removesuffix(".0")
    if not value.isdigit() or len(value) > width:
        return None
    return value.zfill(width)


# ------------------------------------------------------------------ per-row parsing
def _parse(row: Row, today: date, rulebooks: list[Rulebook], sets: list[values.SetName]):
    """Read each cell with imports.values; a value an official can do nothing about (no
    registration number, no representative, no certificate number, a year for a date)
    is a warning, never a refusal."""
    v = row.values

    def required(key, max_length):
        value = text(v.get(key, ""))
        column = BY_KEY[key]
        if not value or values.is_placeholder(value):
            row.fail(_("Missing %(column)s.") % {"column": column.label})
            return ""
        if len(value) > max_length:
            row.fail(
                _("The %(column)s is longer than %(max)s characters.")
                % {"column": column.label, "max": max_length}
            )
            return ""
        return value

    _parse_registration(row, v.get("registration_number", ""))
    row.producer_name = required("producer_name", 255)
    row.product_name = required("product_name", 255)
    representative = text(v.get("representative_name", ""))
    if representative and not values.is_placeholder(representative):
        if len(representative) > 120:
            row.fail(
                _("The %(column)s is longer than %(max)s characters.")
                % {"column": BY_KEY["representative_name"].label, "max": 120}
            )
        else:
            row.representative_name = representative
    _parse_kind(row, v.get("producer_kind", ""))
    _parse_phone(row, v.get("phone", ""))
    email = text(v.get("email", "")).lower()
    if email and not values.is_placeholder(email):
        try:
            validate_email(email)
            row.email = email
        except ValidationError:
            row.fail(_("The email address “%(value)s” is not valid.") % {"value": email})
    _parse_product_set(row, v.get("product_set", ""), sets)
    _parse_stars(row, v.get("stars", ""))
    decision = text(v.get("decision_number", ""))
    if decision and not values.is_placeholder(decision):
        row.decision_number = decision[:60]
    if repeated := v.get(AS_DECISION):
        row.warnings.append(
            _(
                "“%(value)s” is on several rows of the certificate number column: it is the "
                "recognition decision's number, kept as such, and the certificate's number is "
                "generated."
            )
            % {"value": text(repeated)}
        )
    if from_title := v.get(FROM_TITLE):
        row.warnings.append(
            _("The list has no date column: the date of issue is read from its title (%(date)s).")
            % {"date": text(from_title)}
        )
    issued = v.get("certificate_issued_on", "")
    if not text(issued) and (on := values.decision_date(decision)):
        issued = on  # "348/QĐ-UBND ngày 06/4/2021": the decision's date is the issue's
    _parse_issued_on(row, issued, today, rulebooks)
    _parse_level(row, v.get("issuing_level", ""), rulebooks)
    _parse_certificate_number(row, v.get("certificate_number", ""))

    example = ("registration_number", "certificate_number")
    if all(v.get(key, "") == BY_KEY[key].example for key in example):
        row.warnings.append(
            _("This is the template's example row: delete it unless it is a real product.")
        )


def _parse_registration(row: Row, raw: str):
    found = values.parse_registration(raw)
    if found.problem == "placeholder":
        row.warnings.append(
            _("No registration number (“%(value)s”): the producer is matched by its name.")
            % {"value": text(raw)}
        )
    elif found.problem == "scientific":
        row.fail(
            _(
                "The registration number “%(value)s” was turned into a number by Excel and lost "
                "its digits. Format the column as Text, type the numbers again and send the file."
            )
            % {"value": text(raw)}
        )
    elif found.problem == "invalid":
        row.fail(
            _(
                "The registration number “%(value)s” is not valid: at most 30 letters, digits, "
                "“-”, “/” or “.”."
            )
            % {"value": re.sub(r"\s+", "", text(raw))[:40]}
        )
    elif found.number:
        row.registration_number = found.number
        if found.lost_zero:
            row.warnings.append(
                _(
                    "The registration number %(value)s has %(digits)s digits: Excel may have "
                    "dropped its leading 0 (check it is not 0%(value)s)."
                )
                % {"value": found.number, "digits": len(found.number)}
            )
    else:
        row.warnings.append(_("No registration number: the producer is matched by its name."))


def _parse_kind(row: Row, raw: str):
    kind = text(raw)
    if kind and not values.is_placeholder(kind):
        row.kind = values.parse_kind(kind) or ""
        if not row.kind:
            row.fail(
                _(
                    "Unknown producer type “%(value)s”: write Doanh nghiệp (Công ty, DNTN), "
                    "Hợp tác xã (HTX), Tổ hợp tác, Trang trại or Hộ kinh doanh (Hộ SXKD, cơ sở)."
                )
                % {"value": kind}
            )
        return
    row.kind = values.kind_from_name(row.producer_name) or ""
    if row.kind:
        row.warnings.append(
            _("Producer type taken from the name: %(kind)s.")
            % {"kind": Producer.Kind(row.kind).label}
        )
    elif row.producer_name:
        row.fail(
            _(
                "Missing producer type, and the name does not say it: write Doanh nghiệp, "
                "Hợp tác xã, Tổ hợp tác, Trang trại or Hộ kinh doanh."
            )
        )


def _parse_phone(row: Row, raw: str):
    phones = values.split_phones(raw)
    if not phones:
        return
    phone = phones[0]
    if values.phone_lost_zero(phone):
        row.warnings.append(
            _("The phone number “%(value)s” has 9 digits: Excel may have dropped its leading 0.")
            % {"value": phone}
        )
    try:
        phone_validator(phone)
    except ValidationError:
        row.warnings.append(
            _("The phone number “%(value)s” is not valid and is not recorded.") % {"value": phone}
        )
        return
    row.phone = phone
    if len(phones) > 1:
        row.warnings.append(
            _("Several phone numbers: the first, %(kept)s, is recorded.") % {"kept": phone}
        )


def _parse_product_set(row: Row, raw: str, sets: list[values.SetName]):
    written = text(raw)
    if not written or values.is_placeholder(written):
        row.warnings.append(_unclassified_warning())
        return
    number, group_only = values.parse_product_set(written, sets)
    if number is not None:
        row.product_set_number = number
    elif group_only:
        row.warnings.append(
            _("“%(value)s” is a group of several product sets.") % {"value": written}
            + " "
            + _unclassified_warning()
        )
    else:
        row.fail(
            _(
                "Unknown product set “%(value)s”: give its number, %(first)s to %(last)s, or "
                "its name."
            )
            % {"value": written, "first": sets[0].number, "last": sets[-1].number}
        )


def _unclassified_warning() -> str:
    return _(
        "The product is recorded as not yet classified: it stays out of the public catalogue "
        "until its product set is given."
    )


def _parse_stars(row: Row, raw: str):
    written = text(raw)
    if not written or values.is_placeholder(written):
        row.fail(_("Missing %(column)s.") % {"column": BY_KEY["stars"].label})
        return
    row.stars = values.parse_stars(written)
    if row.stars is None or not 3 <= row.stars <= 5:
        row.fail(
            _("Stars must be 3, 4 or 5 (certified products); the row says “%(value)s”.")
            % {"value": written}
        )
        row.stars = None


def _parse_issued_on(row: Row, raw: str, today: date, rulebooks):
    written = text(raw)
    if not written or values.is_placeholder(written):
        row.fail(
            _(
                "Missing date of issue: give the date, or at least the year, of the decision "
                "that recognised the product (nothing is invented for it)."
            )
        )
        return
    parsed = values.parse_date(written)
    if parsed is None:
        row.fail(
            _(
                "The date of issue “%(value)s” is not a date: write it as dd/mm/yyyy, or the "
                "year alone when the day is not known."
            )
            % {"value": written}
        )
        return
    if parsed.value > today:
        row.fail(_("The date of issue %(date)s is in the future.") % {"date": str(parsed)})
        return
    row.issued_on, row.issued_precision = parsed.value, parsed.precision
    if parsed.precision != "day":
        row.warnings.append(
            _(
                "Only %(written)s is known of the date of issue: it is kept as such, and the "
                "validity is counted from %(date)s."
            )
            % {"written": str(parsed), "date": date_format(parsed.value, "d/m/Y")}
        )
    row.expires_on = legacy_expiry(row.issued_on, rulebooks)
    if row.expires_on <= today:
        row.warnings.append(
            _(
                "The certificate expired on %(date)s: the product is recorded but not "
                "shown publicly."
            )
            % {"date": date_format(row.expires_on, "d/m/Y")}
        )


def _parse_level(row: Row, raw: str, rulebooks):
    written = text(raw)
    if written and not values.is_placeholder(written):
        row.level = values.parse_level(written) or ""
        row.level_unit = values.level_unit_name(written)
        if not row.level:
            row.fail(
                _(
                    "Unknown issuing level “%(value)s”: write Cấp huyện, Cấp tỉnh or Cấp quốc "
                    "gia (or UBND huyện …, UBND tỉnh …, Bộ …)."
                )
                % {"value": written}
            )
    elif row.stars and row.issued_on:
        # Who recognised these stars then: the levels of the rulebook of that day.
        row.level = governing_rulebook(row.issued_on, rulebooks).recognising_level(row.stars) or ""


def generated_certificate_number(row: Row) -> str:
    """The number recorded when the list gives none: "NK-" (nhập khẩu, imported), the year
    of issue and ten hexadecimal digits of the SHA-256 of the producer's and product's
    folded names, the stars and the date. The same row gives the same number in the
    preview, at the confirmation and in a later file, so a list imported twice is seen."""
    key = "|".join(
        [
            search.fold(row.producer_name),
            search.fold(row.product_name),
            str(row.stars or ""),
            row.issued_on.isoformat() if row.issued_on else "",
        ]
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:10].upper()
    year = row.issued_on.year if row.issued_on else 0
    return f"NK-{year}-{digest}"


def _parse_certificate_number(row: Row, raw: str):
    written = text(raw)
    if written and not values.is_placeholder(written):
        # Stored as the public check reads it (no spaces, upper case), so it can be verified.
        if number_too_long(written):
            row.fail(_("The certificate number is longer than 40 characters."))
            return
        row.certificate_number = normalise_number(written)
        return
    if row.producer_name and row.product_name and row.stars and row.issued_on:
        row.certificate_number = generated_certificate_number(row)
        row.certificate_number_generated = True
        row.warnings.append(
            _("No certificate number: it is recorded as %(number)s.")
            % {"number": row.certificate_number}
        )


# ------------------------------------------------------------------ bulk lookups
@dataclass
class Lookups:
    provinces: dict[str, AdministrativeUnit]  # by code
    provinces_by_id: dict[int, AdministrativeUnit]
    communes: dict[str, AdministrativeUnit]  # by code
    commune_names: dict[tuple[int, str], list[AdministrativeUnit]]  # (province id, name)
    commune_folded: dict[tuple[int, str], list[AdministrativeUnit]]
    districts: dict[str, AdministrativeUnit]
    product_sets: dict[int, ProductSet]
    producers: dict[str, Producer]
    products: dict[tuple[int, str], Product]
    certificates: dict[str, object]
    open_products: set[int]  # products with a dossier that has not ended
    rulebooks: list[Rulebook]
    places: object = None  # registry.places.Places, loaded when a row names an old place
    # product id -> its certificates not revoked, oldest first (a certificate's history)
    product_certificates: dict = field(default_factory=dict)
    product_revoked: dict = field(default_factory=dict)  # product id -> a revoked certificate
    # (commune id, values.name_key(name)) → the producers of that commune of that name
    producers_by_name: dict = field(default_factory=lambda: defaultdict(list))


def _name_forms(unit) -> set[str]:
    """ "Xã Đông Anh" is also found as "Đông Anh"."""
    name = search.normalise(unit.name)
    forms = {name}
    prefix = search.normalise(unit.division_type)
    if prefix and name.startswith(prefix + " "):
        forms.add(name[len(prefix) + 1 :])
    return forms


def _lookups(rows: list[Row], lock: bool, rulebooks: list[Rulebook]) -> Lookups:
    commune_codes, province_codes, district_codes = set(), set(), set()
    for row in rows:
        commune_codes.add(parse_code(row.values.get("commune_code", ""), 5))
        district_codes.add(parse_code(row.values.get("district_code", ""), 3))
        if row.values.get("commune_name"):
            province_codes.add(parse_code(row.values.get("province_code", ""), 2))
    commune_codes.discard(None)
    district_codes.discard(None)
    province_codes.discard(None)

    provinces = {u.code: u for u in AdministrativeUnit.objects.provinces()}
    by_id = {u.pk: u for u in provinces.values()}
    units = AdministrativeUnit.objects.filter(
        Q(level=Level.COMMUNE, code__in=commune_codes)
        | Q(level=Level.COMMUNE, parent__code__in=province_codes)
        | Q(level=Level.DISTRICT, code__in=district_codes)
    )
    communes, districts = {}, {}
    names, folded = defaultdict(list), defaultdict(list)
    for unit in units:
        unit.parent = by_id.get(unit.parent_id)  # no query per row for the province
        if unit.level == Level.DISTRICT:
            districts[unit.code] = unit
            continue
        communes[unit.code] = unit
        for form in _name_forms(unit):
            names[(unit.parent_id, form)].append(unit)
            folded[(unit.parent_id, search.fold(form))].append(unit)

    numbers = {r.registration_number for r in rows if r.registration_number}
    producers_qs = Producer.objects.filter(registration_number__in=numbers).select_related(
        "commune", "district"
    )
    if lock:
        producers_qs = producers_qs.select_for_update(of=("self",))
    producers = {}
    for producer in producers_qs:
        if producer.commune is not None:
            producer.commune.parent = by_id.get(producer.commune.parent_id)
        producers[producer.registration_number] = producer

    wanted = {r.certificate_number for r in rows if r.certificate_number}
    certificates = {
        c.number: c
        for c in Certificate.objects.filter(number__in=wanted).select_related("product__producer")
    }
    return Lookups(
        provinces=provinces,
        provinces_by_id=by_id,
        communes=communes,
        commune_names=names,
        commune_folded=folded,
        districts=districts,
        product_sets={s.number: s for s in ProductSet.objects.all()},
        producers=producers,
        products={},
        certificates=certificates,
        open_products=set(),
        rulebooks=rulebooks,
    )


def _producer_lookups(rows: list[Row], lk: Lookups, lock: bool):
    """Once the rows' communes are known: the producers of those communes (to match a
    row by its producer's name), then the products and open dossiers of every producer
    a row may be about. A fixed number of queries, whatever the number of rows."""
    communes = {r.commune.pk for r in rows if r.commune is not None}
    # Producers recorded with their place to be completed: of the partial rows' provinces,
    # and of the other rows' (a later list giving the commune completes it).
    provinces = {r.province.pk for r in rows if r.commune is None and r.province is not None}
    provinces |= {r.commune.parent_id for r in rows if r.commune is not None}
    by_name = Producer.objects.filter(
        Q(commune_id__in=communes) | Q(commune__isnull=True, province_id__in=provinces)
    ).select_related("commune", "district")
    if lock:
        by_name = by_name.select_for_update(of=("self",))
    for producer in by_name:
        if producer.commune is None:  # its place to be completed
            key = ("province", producer.province_id, values.name_key(producer.name))
        else:
            producer.commune.parent = lk.provinces_by_id.get(producer.commune.parent_id)
            key = (producer.commune_id, values.name_key(producer.name))
        lk.producers_by_name[key].append(producer)
        if producer.registration_number:
            lk.producers.setdefault(producer.registration_number, producer)
    known = {p.pk: p for p in lk.producers.values()}
    known.update({p.pk: p for found in lk.producers_by_name.values() for p in found})
    products_qs = Product.objects.filter(producer__in=list(known)).order_by("pk")
    if lock:
        # Locked before their dossiers are read: a dossier being opened for one of them
        # (its insert takes a key-share lock on the product) waits for this import, or
        # this import waits for it and then reads it, and refuses.
        products_qs = products_qs.select_for_update(of=("self",))
    for product in products_qs:
        lk.products.setdefault((product.producer_id, search.normalise(product.name)), product)
    # The certificates of those products: a row may add to a product's history.
    lk.product_certificates, lk.product_revoked = _product_certificates(
        list(lk.products.values()), lock
    )
    lk.open_products = set(
        Dossier.objects.filter(product__producer__in=list(known))
        .exclude(status__in=workflow.ENDED)
        .values_list("product_id", flat=True)
    )


# ------------------------------------------------------------------ resolving against the DB
def _resolve_place_as_written(row: Row, lk: Lookups, scope: ImportScope) -> bool:
    """Places named otherwise than the template's columns (issue 14): `imports.places`.
    True when the row's place was resolved (or refused) there."""
    v = row.values
    code = parse_code(v.get("province_code", ""), 2)
    province = lk.provinces.get(code) if code else None
    found = []
    if province is not None and (name := text(v.get("commune_name", ""))):
        key = search.normalise(name)
        found = lk.commune_names.get((province.pk, key)) or lk.commune_folded.get(
            (province.pk, search.fold(key)), []
        )
    if not import_places.wanted(v, province, found):
        return False
    if lk.places is None:
        lk.places = import_places.load()  # once per import, only when a row needs it
    match = import_places.resolve(v, lk.places)
    if match.status not in ("exact", "converted") and (home := _home_province(v, scope, lk)):
        # "Xã Hòa Ân" is a name several provinces have: an office of one province imports
        # only its own rows, so the name is looked for there (a row elsewhere would be
        # refused anyway).
        again = import_places.resolve({**v, "province_code": home.code}, lk.places)
        if again.status in ("exact", "converted"):
            match = again
    import_places.apply(row, match)
    if row.commune is not None and not scope.allows(row.commune.parent_id):
        row.fail(
            _("The commune %(name)s (%(province)s) is outside your province.")
            % {"name": row.commune.name, "province": row.commune.parent.name}
        )
    elif row.commune is None and row.province is not None and not scope.allows(row.province.pk):
        # The trust boundary holds without a commune: a row that leaves it blank is in
        # the province it names, and an office imports only in its own.
        row.fail(
            _("%(place)s is in %(province)s, outside your province.")
            % {"place": match.written, "province": row.province.name}
        )
    return True


def _home_province(v: dict, scope: ImportScope, lk: Lookups):
    """The importer's one province, when the row names no province of its own."""
    if v.get("province_code", "").strip() or scope.province_ids is None:
        return None
    if len(scope.province_ids) != 1:
        return None
    return lk.provinces_by_id.get(next(iter(scope.province_ids)))


def _district_by_name(raw: str, row: Row, lk: Lookups):
    """ "Huyện Hoài Đức" beside a commune code: the district of before July 2025 by name,
    in the commune's province (issue 14)."""
    if lk.places is None:
        lk.places = import_places.load()
    province = row.commune.parent if row.commune is not None else None
    return lk.places.district_of(raw, province)


def _district_of_level(row: Row, lk: Lookups):
    if not row.level_unit:
        return None
    if lk.places is None:
        lk.places = import_places.load()
    province = row.commune.parent if row.commune is not None else None
    if province is None and row.place is not None:
        province = row.place.province
    return lk.places.district_of(row.level_unit, province)


def _resolve_place(row: Row, lk: Lookups, scope: ImportScope):
    if _resolve_place_as_written(row, lk, scope):
        return
    v = row.values
    raw_code, raw_name = v.get("commune_code", ""), text(v.get("commune_name", ""))
    raw_province = v.get("province_code", "")
    province = None
    if raw_province:
        code = parse_code(raw_province, 2)
        province = lk.provinces.get(code) if code else None
        if province is None:
            row.fail(_("Unknown province code “%(value)s”.") % {"value": raw_province})
    if raw_code:
        code = parse_code(raw_code, 5)
        row.commune = lk.communes.get(code) if code else None
        if row.commune is None:
            row.fail(
                _(
                    "Unknown commune code “%(value)s”: give the 5-digit code of a commune or "
                    "ward in force since 1 July 2025."
                )
                % {"value": raw_code}
            )
        elif raw_name and search.fold(raw_name) not in {
            search.fold(f) for f in _name_forms(row.commune)
        }:
            row.fail(
                _("The commune code %(code)s is %(name)s, not “%(given)s”.")
                % {"code": row.commune.code, "name": row.commune.name, "given": raw_name}
            )
        elif province is not None and row.commune.parent_id != province.pk:
            row.fail(
                _("The commune %(name)s is not in the province with code %(code)s.")
                % {"name": row.commune.name, "code": province.code}
            )
    elif raw_name:
        if province is None:
            if not raw_province:
                row.fail(_("Give the province code with the commune name, or the commune code."))
        else:
            key = search.normalise(raw_name)
            found = lk.commune_names.get((province.pk, key)) or lk.commune_folded.get(
                (province.pk, search.fold(key)), []
            )
            if len(found) == 1:
                row.commune = found[0]
            elif not found:
                row.fail(
                    _("Unknown commune “%(name)s” in %(province)s.")
                    % {"name": raw_name, "province": province.name}
                )
            else:
                row.fail(
                    _(
                        "Several communes of %(province)s are called “%(name)s”: give the "
                        "commune code (%(codes)s)."
                    )
                    % {
                        "province": province.name,
                        "name": raw_name,
                        "codes": ", ".join(f"{u.code} {u.name}" for u in found),
                    }
                )
    else:
        row.fail(_("Missing commune: give the commune code, or its name and the province code."))

    if row.commune is not None and not scope.allows(row.commune.parent_id):
        row.fail(
            _("The commune %(name)s (%(province)s) is outside your province.")
            % {"name": row.commune.name, "province": row.commune.parent.name}
        )

    raw_district = v.get("district_code", "")
    if raw_district:
        code = parse_code(raw_district, 3)
        row.district = lk.districts.get(code) if code else _district_by_name(raw_district, row, lk)
        if row.district is None:
            row.fail(
                _("Unknown district code “%(value)s” (the 3-digit code from before July 2025).")
                % {"value": raw_district}
            )
        elif row.commune is not None and row.district.parent_id != row.commune.parent_id:
            row.fail(
                _("The district %(district)s is not in the province of %(commune)s.")
                % {"district": row.district.name, "commune": row.commune.name}
            )


def _resolve(row: Row, lk: Lookups, scope: ImportScope, start: date):
    if (n := row.product_set_number) is not None:
        row.product_set = lk.product_sets.get(n)
        if row.product_set is None and n in product_set_numbers():
            row.fail(_("Product set %(number)s is not loaded in the registry.") % {"number": n})
    if row.level == "province" and (row.commune is not None or row.province is not None):
        row.certificate_unit = row.commune.parent if row.commune is not None else row.province
    elif row.level == "district":
        # The district of the producer's place (its old district), else the one the
        # level's text names ("UBND huyện Lục Ngạn"); none known: rules.unit_refusal.
        row.certificate_unit = row.district or _district_of_level(row, lk)

    _match_producer(row, lk)
    refusal = rules.producer_refusal(
        row.producer, row.registration_number or row.producer_name, scope
    )
    if refusal:
        # Nothing more is read from that producer: not its products, nor what would change.
        row.producer_outside = True
        row.fail(refusal)
        return
    if row.producer is not None and row.commune is not None and scope.allows(row.commune.parent_id):
        # Where the producer is once the row is written (a blank district keeps its own).
        after = Producer(commune=row.commune, district=row.district or row.producer.district)
        number = row.registration_number or row.producer_name
        if refusal := rules.move_refusal(row.producer, after, number, scope):
            row.fail(refusal)

    certificate = lk.certificates.get(row.certificate_number)
    if row.producer is not None and row.product_name:
        row.product = lk.products.get((row.producer.pk, search.normalise(row.product_name)))
    if row.product is None:
        row.product_action = "create"
        if certificate is not None:
            row.fail(_certificate_taken(certificate))
    elif certificate is not None:
        if certificate.product_id != row.product.pk:
            row.fail(_certificate_taken(certificate))
        elif certificate.stars != row.stars or certificate.issued_on != row.issued_on:
            row.fail(
                _(
                    "Certificate %(number)s is already recorded for this product with "
                    "%(stars)s stars, issued on %(date)s."
                )
                % {
                    "number": certificate.number,
                    "stars": certificate.stars,
                    "date": date_format(certificate.issued_on, "d/m/Y"),
                }
            )
        else:
            row.product_action = "unchanged"
    elif row.product.stars is None and not lk.product_certificates.get(row.product.pk):
        row.product_action = "certify"
    else:
        _history(row, lk)

    if (
        row.product_action in ("certify", "history")
        and row.product is not None
        and (refusal := rules.revoked_refusal(lk.product_revoked.get(row.product.pk)))
    ):
        row.fail(refusal)
    if row.product_action in ("create", "certify", "history"):  # the row records a certificate
        rulebook = governing_rulebook(row.issued_on, lk.rulebooks) if row.issued_on else None
        for refusal in rules.certificate_refusals(
            stars=row.stars,
            level=row.level,
            unit=row.certificate_unit,
            issued_on=row.issued_on,
            product=row.product,
            product_name=row.product_name,
            scope=scope,
            rulebook=rulebook,
            start=start,
            open_products=lk.open_products,
        ):
            row.fail(refusal)


# ------------------------------------------------------------------ a product's history
def _product_certificates(products, lock: bool) -> tuple[dict[int, list], dict[int, object]]:
    """The certificates of the file's products already in the registry, in one query: those
    not revoked, oldest first, and the last revoked one of each product. Locked at the
    confirmation, since a row may make one of them superseded."""
    qs = Certificate.objects.filter(product__in=products).order_by("issued_on", "pk")
    if lock:
        qs = qs.select_for_update(of=("self",))
    held, revoked = defaultdict(list), {}
    for certificate in qs:
        if certificate.revoked_on is None:
            held[certificate.product_id].append(certificate)
        else:
            revoked[certificate.product_id] = certificate
    return held, revoked


def _history(row: Row, lk: Lookups) -> None:
    """Another certificate of a product the registry already rates (issue 14, point 7):
    recorded as the product's history, not refused. Earlier than the product's certificate,
    it is superseded by the next one; later, it re-rates the product and the one before is
    superseded (imports/apply.py `record_history`). Never two certificates of one product
    on the same day, and every trust rule applies to it as to any imported certificate:
    it is dated before the system, so it never supersedes one the system issued."""
    held = lk.product_certificates.get(row.product.pk, [])
    if row.issued_on is None or not held:
        row.product_action = "history"
        return
    same_day = [c for c in held if c.issued_on == row.issued_on]
    if same_day:
        row.fail(
            _(
                "The product “%(name)s” already has certificate %(number)s issued on %(date)s: "
                "two certificates of one product on the same day cannot both be right."
            )
            % {
                "name": row.product.name,
                "number": same_day[0].number,
                "date": date_format(same_day[0].issued_on, "d/m/Y"),
            }
        )
        return
    row.product_action = "history"
    later = [c for c in held if c.issued_on > row.issued_on]
    if later:
        row.warnings.append(
            _(
                "An earlier certificate of “%(name)s”: recorded in its history, superseded by "
                "certificate %(number)s (%(stars)s★, %(date)s)."
            )
            % {
                "name": row.product.name,
                "number": later[0].number,
                "stars": later[0].stars,
                "date": date_format(later[0].issued_on, "d/m/Y"),
            }
        )
    else:
        latest = held[-1]
        row.warnings.append(
            _(
                "Re-rated: “%(name)s” goes from %(old)s★ (certificate %(number)s, %(date)s) to "
                "%(new)s★; the earlier certificate is kept in its history as superseded."
            )
            % {
                "name": row.product.name,
                "old": latest.stars,
                "number": latest.number,
                "date": date_format(latest.issued_on, "d/m/Y"),
                "new": row.stars,
            }
        )


def _history_in_file(rows: list[Row]) -> set[int]:
    """Rows of one product with distinct certificates and issue dates are its history, not
    a repeated row: the first (oldest) creates the product when it is new, the others are
    recorded as its later certificates. Returns the lines so grouped."""
    groups = defaultdict(list)
    for row in rows:
        if row.producer_key and row.product_name:
            groups[(row.producer_key, search.normalise(row.product_name))].append(row)
    lines = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        numbers = {r.certificate_number for r in group}
        dates = {r.issued_on for r in group}
        if "" in numbers or None in dates or len(numbers) < len(group) or len(dates) < len(group):
            continue
        group.sort(key=lambda r: r.issued_on)
        lines.update(r.line for r in group)
        first = group[0]
        if first.product_action not in ("create", "certify"):
            continue  # a rated product: each row already said where it goes (`_history`)
        for earlier, row in zip(group, group[1:], strict=False):
            if row.product_action in ("create", "certify"):
                row.product_action = "history"  # of the product the first row creates
                row.warnings.append(
                    _(
                        "Re-rated in this file: from %(old)s★ (row %(line)s, %(date)s) to "
                        "%(new)s★; the earlier certificate is kept in the product's history."
                    )
                    % {
                        "old": earlier.stars,
                        "line": earlier.line,
                        "date": date_format(earlier.issued_on, "d/m/Y"),
                        "new": row.stars,
                    }
                )
    return lines


def _match_producer(row: Row, lk: Lookups):
    """The producer a row is about: by its registration number, else by its name within
    its commune ("HTX NN Cầu Kè" is "Hợp tác xã Nông nghiệp Cầu Kè", imports.values
    name_key). A producer of the same name in the commune under another number is
    flagged, never silently doubled; several of the same name need the number."""
    same_name = []
    if row.commune is not None and row.producer_name:
        same_name = lk.producers_by_name.get(
            (row.commune.pk, values.name_key(row.producer_name)), []
        )
    province = row.commune.parent_id if row.commune is not None else getattr(row.province, "pk", 0)
    if not same_name and province and row.producer_name:
        # Recorded earlier with its place to be completed: the same province and name (a
        # row that gives the commune completes it).
        same_name = lk.producers_by_name.get(
            ("province", province, values.name_key(row.producer_name)), []
        )
    if row.registration_number:
        row.producer = lk.producers.get(row.registration_number)
        if row.producer is None:
            unnumbered = [p for p in same_name if not p.registration_number]
            if len(unnumbered) == 1 and len(same_name) == 1:
                # Recorded earlier from a list without numbers: this row completes it.
                row.producer = unnumbered[0]
                row.warnings.append(
                    _(
                        "Matched by name to the producer %(name)s, which gets this "
                        "registration number."
                    )
                    % {"name": row.producer.name}
                )
                return
        others = [p for p in same_name if p.registration_number != row.registration_number]
        if others and row.producer is None:
            row.warnings.append(
                _(
                    "Another producer of the same name in this commune is registered as "
                    "%(numbers)s: check it is not the same one before importing."
                )
                % {"numbers": ", ".join(p.registration_number or "—" for p in others)}
            )
        return
    if len(same_name) == 1:
        row.producer = same_name[0]
        row.warnings.append(
            _("No registration number: matched by name to the producer already recorded.")
        )
    elif len(same_name) > 1:
        row.fail(
            _(
                "%(count)s producers called “%(name)s” are recorded in this commune: give the "
                "registration number to say which one."
            )
            % {"count": len(same_name), "name": row.producer_name}
        )


def producer_key(row: Row) -> str:
    """What identifies a row's producer in the file: its registration number, else its
    commune and name key."""
    if row.registration_number:
        return row.registration_number
    if row.producer is not None:
        return f"#{row.producer.pk}"
    if row.commune is None and row.province is not None:
        return f"~p{row.province.pk}~{values.name_key(row.producer_name)}"
    commune = row.commune.pk if row.commune is not None else ""
    return f"~{commune}~{values.name_key(row.producer_name)}"


def _certificate_taken(certificate) -> str:
    product = certificate.product
    return _(
        "Certificate number %(number)s is already used by another product: %(product)s "
        "(%(producer)s)."
    ) % {"number": certificate.number, "product": product.name, "producer": product.producer}


# ------------------------------------------------------------------ across rows
def _producer_values(row: Row) -> dict:
    return {
        "name": row.producer_name,
        "kind": row.kind,
        "commune": row.commune,
        "province": row.province if row.commune is None else None,
        "district": row.district,
        "representative_name": row.representative_name,
        "phone": row.phone,
        "email": row.email,
    }


def _comparable(key, value):
    if key in UNIT_FIELDS:
        return value.pk if value is not None else None
    return search.normalise(value) if isinstance(value, str) else value


def _raw(value):
    """A value as stored: the id of a unit, the text otherwise (not translated)."""
    return value.pk if isinstance(value, AdministrativeUnit) else value


def _display(key, value) -> str:
    if value is None or value == "":
        return "—"
    if key == "kind":
        return str(Producer.Kind(value).label)
    if key == "commune":
        return f"{value.name}, {value.parent.name}" if value.parent else value.name
    if key in ("district", "province"):
        return value.name
    return str(value)


def _lines(rows) -> str:
    return ", ".join(str(r.line) for r in rows)


def _cross_checks(rows: list[Row]):
    labels = producer_field_labels()
    groups = defaultdict(list)
    for row in rows:
        if row.registration_number or row.producer_name:
            row.producer_key = producer_key(row)
            groups[row.producer_key].append(row)
    for group in groups.values():
        merged, conflicts = {}, []
        for key in PRODUCER_FIELDS:
            seen = {}
            for row in group:
                value = _producer_values(row)[key]
                if value not in (None, ""):
                    comparable = _comparable(key, value)
                    if key == "name":  # "HTX Cầu Kè" and "Hợp tác xã Cầu Kè" agree
                        comparable = values.name_key(value)
                    seen.setdefault(comparable, value)
            if len(seen) > 1:
                conflicts.append(str(labels[key]))
            merged[key] = next(iter(seen.values()), None)
        if conflicts:
            if group[0].registration_number:
                message = _(
                    "Registration number %(number)s is on rows %(lines)s with different %(fields)s."
                )
            else:
                message = _(
                    "The producer “%(name)s” is on rows %(lines)s with different %(fields)s."
                )
            for row in group:
                row.fail(
                    message
                    % {
                        "number": row.registration_number,
                        "name": row.producer_name,
                        "lines": _lines(group),
                        "fields": ", ".join(conflicts),
                    }
                )
        _producer_action(group, merged, labels)

    history = _history_in_file(rows)
    for key, message in (
        (
            lambda r: (
                (r.producer_key, search.normalise(r.product_name))
                if r.producer_key and r.product_name and r.line not in history
                else None
            ),
            _("The product “%(name)s” of this producer is on several rows: %(lines)s."),
        ),
        (
            lambda r: r.certificate_number or None,
            _("Certificate number %(number)s is on several rows: %(lines)s."),
        ),
    ):
        seen = defaultdict(list)
        for row in rows:
            if (k := key(row)) is not None:
                seen[k].append(row)
        for group in seen.values():
            if len(group) > 1:
                for row in group:
                    row.fail(
                        message
                        % {
                            "name": row.product_name,
                            "number": row.certificate_number,
                            "lines": _lines(group),
                        }
                    )


def _producer_action(group: list[Row], merged: dict, labels):
    first, existing = group[0], group[0].producer
    if first.producer_outside:
        return  # refused: what the registry holds on that producer is not shown
    if existing is None:
        first.producer_action = "create"
    else:
        for key in PRODUCER_FIELDS:
            new = merged.get(key)
            if key in OPTIONAL_PRODUCER_FIELDS and new in (None, ""):
                continue
            if key == "province" and existing.commune_id is not None:
                continue  # a commune is known: its province is the producer's
            old = getattr(existing, key)
            if key in UNIT_FIELDS:
                changed = _comparable(key, old) != _comparable(key, new)
            elif key == "name" and values.name_key(old) == values.name_key(new):
                merged[key] = old  # the same name spelled another way: the registry's stays
                changed = False
            else:
                changed = old != new
            if changed:
                first.changes.append(
                    {
                        "field": key,
                        "label": labels[key],
                        "old": _display(key, old),
                        "new": _display(key, new),
                        "raw": [key, _raw(old), _raw(new)],
                    }
                )
        if first.registration_number and not existing.registration_number:
            first.changes.append(
                {
                    "field": "registration_number",
                    "label": BY_KEY["registration_number"].label,
                    "old": "—",
                    "new": first.registration_number,
                    "raw": ["registration_number", None, first.registration_number],
                }
            )
        first.producer_action = "update" if first.changes else "unchanged"
    for row in group[1:]:
        row.producer_action, row.producer_line = "same", first.line
    for row in group:
        row.merged_producer = merged


# ------------------------------------------------------------------ entry point
def validate(
    raw_rows, scope: ImportScope, *, lock: bool = False, today=None, progress=None
) -> Plan:
    """Check every row; `raw_rows` is [(line, {column key: text})]. Writes nothing.
    `progress(rows read so far)` is called now and then (a preview job's progress bar).

    With `lock`, the existing producers and their products are locked for update (inside
    the confirming transaction) so nobody changes them, nor opens a dossier for one of the
    products, between this check and the writes.
    """
    today = today or timezone.localdate()
    rows = [Row(line=line, values=dict(values)) for line, values in raw_rows]
    rulebooks = list(Rulebook.objects.all())
    sets = set_names()
    for number, row in enumerate(rows, 1):
        _parse(row, today, rulebooks, sets)
        if progress is not None and number % 250 == 0:
            progress(number)
    lookups = _lookups(rows, lock, rulebooks)
    for row in rows:
        _resolve_place(row, lookups, scope)
    _producer_lookups(rows, lookups, lock)
    for row in rows:
        _resolve(row, lookups, scope, settings.SYSTEM_START_DATE)
    _cross_checks(rows)
    return Plan(rows=rows)
