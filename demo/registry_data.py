"""A believable Hanoi for `make run` and for benchmarks.

Named producers and products come from public OCOP reports (data/demo_hanoi.json);
any number of further products are generated deterministically, so a second run
finds everything already there and creates nothing.
"""

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from core import page_cache
from core.images import make_thumbnail
from evaluation import acts
from evaluation.certificates import legacy_certificate, set_standing, standing_fields
from evaluation.models import Certificate, Decision, Rulebook
from evaluation.models.rulebooks import governing
from registry import search
from registry.models import (
    AdministrativeUnit,
    IntellectualPropertyTitle,
    Producer,
    Product,
    ProductPhoto,
    ProductSet,
    QualityPaper,
    SalesPoint,
)

FONT_PATHS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"]
HANOI_CODE = "01"
BATCH = 2000
# How names of generated producers start, in Vietnamese whatever the active language.
KIND_PREFIX = {
    "enterprise": "Công ty TNHH",
    "cooperative": "Hợp tác xã",
    "coop_group": "Tổ hợp tác",
    "farm": "Trang trại",
    "household": "Hộ kinh doanh",
}


# Who signs the demo's decisions, by authority: fictitious names, titles as such acts print.
DEMO_SIGNERS = {
    "central": ("Thứ trưởng", "Trần Quốc Thịnh"),
    "province": ("Phó Chủ tịch", "Đào Văn Bình"),
    "district": ("Phó Chủ tịch", "Nguyễn Xuân Linh"),
    "commune": ("Chủ tịch", "Lê Thị Hạnh"),
}
#: The ministry was "Nông nghiệp và Phát triển nông thôn" until it merged with Natural
#: Resources and Environment on 1 March 2025.
MINISTRY_RENAMED = date(2025, 3, 1)


def demo_authority(level, unit, day) -> str:
    if level == "central" and day < MINISTRY_RENAMED:
        return "Bộ Nông nghiệp và Phát triển nông thôn"
    return acts.authority_name(level, unit)


def record_acts(certificates, rulebooks=None):
    """A decision of recognition for each group of certificates issued on one day by one
    authority, as provinces record them: the acts the demo's lists came from. Certificates
    are moved to the authority that issued them (a 3★ certificate of Decision 148's time
    to its district, or to the province where the producer has none), and an act already
    recorded for that day and authority is reused, so a second run adds to it."""
    rulebooks = rulebooks if rulebooks is not None else list(Rulebook.objects.all())
    groups = {}
    for certificate in certificates:
        producer = certificate.product.producer
        level, unit = certificate.level or "province", None
        if level == "district":
            unit = producer.district
            if unit is None:
                level = "province"
        if level == "province":
            unit = producer.commune.parent
        certificate.level, certificate.unit = level, unit
        groups.setdefault((certificate.issued_on, level, unit), []).append(certificate)
    for (day, level, unit), members in groups.items():
        decision = Decision.objects.filter(
            kind=Decision.Kind.RECOGNITION, level=level, unit=unit, signed_on=day
        ).first()
        if decision is None:
            title, name = DEMO_SIGNERS[level]
            suffix = "QĐ-UBND"
            if level == "central":
                suffix = "QĐ-BNN-KTHT" if day < MINISTRY_RENAMED else "QĐ-BNNMT"
            decision = Decision(
                kind=Decision.Kind.RECOGNITION,
                # One act a day per authority: the day of the year makes its number.
                number=f"{1000 + day.timetuple().tm_yday}/{suffix}",
                signed_on=day,
                authority=demo_authority(level, unit, day),
                signer_name=name,
                signer_title=title,
                level=level,
                unit=unit,
                rulebook=governing(rulebooks, day),
                note="Dữ liệu mẫu.",
            )
            decision.save()
        for certificate in members:
            certificate.decision = decision
    Certificate.objects.bulk_update(certificates, ["level", "unit", "decision"], batch_size=1000)


def demo_data() -> dict:
    return json.loads(
        (Path(__file__).resolve().parent / "data" / "demo_hanoi.json").read_text(encoding="utf-8")
    )


@dataclass
class DemoResult:
    producers_created: int = 0
    products_created: int = 0


def _font(size):
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def photo_bytes(title: str, hue_seed: int) -> bytes:
    """An 800×600 JPEG: a two-tone gradient with the product's name written on it."""
    rng = random.Random(hue_seed)
    top = tuple(rng.randint(40, 200) for _ in range(3))
    bottom = tuple(min(255, c + 50) for c in top)
    image = Image.new("RGB", (800, 600), top)
    draw = ImageDraw.Draw(image)
    for y in range(600):
        t = y / 599
        draw.line(
            [(0, y), (800, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    font = _font(44)
    words, lines, line = title.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > 700 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    y = 300 - 30 * len(lines)
    for text in lines:
        draw.text((400, y), text, font=font, fill="white", anchor="ma")
        y += 58
    out = BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _place_units():
    """Commune objects (with province cached) and the former districts, by code/name."""
    hanoi = AdministrativeUnit.objects.get(level="province", code=HANOI_CODE)
    communes = {
        u.name: u
        for u in AdministrativeUnit.objects.communes().filter(parent=hanoi).select_related("parent")
    }
    districts = {u.code: u for u in AdministrativeUnit.objects.districts().filter(parent=hanoi)}
    return communes, districts


@transaction.atomic
def build_named(data: dict) -> DemoResult:
    result = DemoResult()
    communes, districts = _place_units()
    sets = {s.number: s for s in ProductSet.objects.all()}
    producers = {}
    for n, row in enumerate(data["producers"], start=1):
        name, position, gender = row["representative"]
        producer, created = Producer.objects.get_or_create(
            registration_number=f"DEMO-{n:04d}",
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "commune": communes[row["commune"]],
                "district": districts[row["district"]],
                "address": f"Thôn {n}, {row['commune']}",
                "phone": f"024 3{n:03d} {4000 + n}",
                "email": f"{row['key']}@example.vn",
                "contact_public": n % 2 == 0,
                "representative_name": name,
                "representative_position": position,
                "representative_gender": gender,
                "representative_ethnicity": row.get("ethnicity", "Kinh"),
                "founded_on": parse_date(row["founded"]),
                "registration_date": parse_date(row["founded"]),
                "history": row["history"],
            },
        )
        producers[row["key"]] = producer
        result.producers_created += created
    certified = []
    for n, row in enumerate(data["products"], start=1):
        slug = slugify(search.fold(row["name"]))
        if Product.objects.filter(slug=slug).exists():
            continue
        product = Product.objects.create(
            producer=producers[row["producer"]],
            name=row["name"],
            slug=slug,
            product_set=sets[row["set"]],
            description=row["description"],
            ingredients=row["ingredients"],
            raw_material_origin=row["origin"],
            stars=row["stars"],
        )
        photo = ProductPhoto(product=product, caption=row["name"])
        photo.image.save(f"{slug}.jpg", ContentFile(photo_bytes(row["name"], n)), save=False)
        photo.save()
        for kind in row["ip"]:
            IntellectualPropertyTitle.objects.create(
                product=product,
                kind=kind,
                number=f"4-{2020 + n % 5}-{n:05d}",
                authority="Cục Sở hữu trí tuệ",
            )
        for kind in row["quality"]:
            QualityPaper.objects.create(
                product=product, kind=kind, number=f"{n:03d}/{kind[:4].upper()}"
            )
        issued = date.fromisoformat(row.get("certified_on", "2025-06-20"))
        certificate = legacy_certificate(
            product, issued_on=issued, number=f"OCOP-01-{issued.year}-D{n:05d}"
        )
        certificate.save()
        set_standing(product, certificate)
        certified.append(certificate)
        result.products_created += 1
    record_acts(certified)
    return result


def build_sales_points(data: dict) -> int:
    communes, _districts = _place_units()
    hanoi_communes = dict(
        AdministrativeUnit.objects.communes()
        .filter(parent__code=HANOI_CODE)
        .values_list("name", "pk")
    )
    created = 0
    for row in data.get("sales_points", []):
        point, made = SalesPoint.objects.get_or_create(
            name=row["name"],
            defaults={
                "address": row["address"],
                "commune_id": hanoi_communes[row["commune"]],
                "opening_hours": row["hours"],
                "phone": row["phone"],
                "latitude": row.get("latitude"),
                "longitude": row.get("longitude"),
            },
        )
        if not made and point.latitude is None and row.get("latitude") is not None:
            # A demo loaded before points had a place on the map gets it now.
            point.latitude, point.longitude = row["latitude"], row["longitude"]
            point.save(update_fields=["latitude", "longitude"])
        if made:
            point.products.set(
                Product.objects.filter(
                    name__in=row["products"],
                    producer__registration_number__regex=r"^DEMO-[0-9]{4}$",
                )
            )
            created += 1
    return created


def _pool_photo(product_set) -> tuple[str, str]:
    """One shared photo per product set for generated products: 50,000 images would
    only slow the build down and fill the disk without showing anything new."""
    image_name = f"demo/set-{product_set.number:02d}.jpg"
    thumb_name = f"demo/set-{product_set.number:02d}-thumb.jpg"
    if not default_storage.exists(image_name):
        raw = photo_bytes(product_set.name, product_set.number)
        image_name = default_storage.save(image_name, ContentFile(raw))
        thumb_name = default_storage.save(thumb_name, make_thumbnail(BytesIO(raw)))
    return image_name, thumb_name


def build_generated(data: dict, count: int, progress=None) -> DemoResult:
    """`count` generated products (4 per producer) spread over Hanoi and six provinces."""
    result = DemoResult()
    if count <= 0:
        return result
    gen = data["generated"]
    rng = random.Random(2023)
    communes, districts = _place_units()
    places = [(districts[d], communes[c]) for d, c in data["places"]]
    others = list(
        AdministrativeUnit.objects.communes()
        .filter(parent__name__in=gen["other_provinces"])
        .select_related("parent")
    )
    sets = list(ProductSet.objects.order_by("number"))
    photos = {s.number: _pool_photo(s) for s in sets}

    for start in range(0, count, BATCH):
        indexes = range(start, min(start + BATCH, count))
        with transaction.atomic():
            producers = _generated_producers(rng, gen, places, others, indexes, result)
            products = []
            for i in indexes:
                product_set = sets[i % len(sets)]
                words = gen["product_words"][str(product_set.number)]
                qualifier = gen["qualifiers"][i % len(gen["qualifiers"])]
                producer = producers[i // 4]
                place = producer.commune.name.removeprefix("Xã ").removeprefix("Phường ")
                name = " ".join(x for x in [words[i % len(words)], qualifier, place] if x)
                product = Product(
                    producer=producer,
                    name=name,
                    slug=f"{slugify(search.fold(name))[:120]}-g{i}",
                    product_set=product_set,
                    description=f"{name} — sản phẩm của {producer.name}.",
                    stars=_generated_stars(rng),
                    is_published=rng.random() > 0.02,
                )
                product.refresh_search_fields()
                products.append(product)
            existing = set(
                Product.objects.filter(slug__in=[p.slug for p in products]).values_list(
                    "slug", flat=True
                )
            )
            new = [p for p in products if p.slug not in existing]
            Product.objects.bulk_create(new, batch_size=1000)
            fresh = Product.objects.filter(slug__in=[p.slug for p in new]).values_list(
                "id", "product_set__number"
            )
            ProductPhoto.objects.bulk_create(
                [
                    ProductPhoto(
                        product_id=pk, image=photos[number][0], thumbnail=photos[number][1]
                    )
                    for pk, number in fresh
                ],
                batch_size=1000,
            )
            _certify_generated(new)
            result.products_created += len(new)
        if progress:
            progress(min(start + BATCH, count), count)
    return result


def decision_day(day: date, today: date) -> date:
    """The day of the month's decision (the 20th) in the month of `day`, or of the month
    before when that is still to come: offices decide a round's products together."""
    fixed = day.replace(day=20)
    if fixed > today:
        fixed = (fixed.replace(day=1) - timedelta(days=1)).replace(day=20)
    return fixed


def _certify_generated(products):
    """One certificate in force for each generated product with three stars or more,
    issued on a monthly decision day spread over the last 30 months, with its act."""
    today = timezone.localdate()
    certified = [p for p in products if p.stars and p.stars >= 3]
    certificates = []
    rulebooks = list(Rulebook.objects.all())
    for product in certified:
        issued = decision_day(today - timedelta(days=30 + product.pk % 900), today)
        certificates.append(
            legacy_certificate(
                product,
                issued_on=issued,
                number=f"OCOP-01-{issued.year}-G{product.pk:07d}",
                rulebooks=rulebooks,
            )
        )
    Certificate.objects.bulk_create(certificates, batch_size=1000)
    if connection.features.can_return_rows_from_bulk_insert:
        record_acts(certificates, rulebooks)
    else:  # without ids from the insert, read the rows back
        record_acts(
            list(
                Certificate.objects.filter(
                    number__in=[c.number for c in certificates]
                ).select_related("product__producer__commune", "product__producer__district")
            ),
            rulebooks,
        )
    for product, certificate in zip(certified, certificates, strict=True):
        for field, value in standing_fields(certificate).items():
            setattr(product, field, value)
    Product.objects.bulk_update(certified, ["stars", "certified_until"], batch_size=1000)
    page_cache.changed()  # bulk writes send no signals


def _generated_stars(rng) -> int | None:
    roll = rng.random()
    if roll < 0.02:
        return 5
    if roll < 0.45:
        return 4
    if roll < 0.95:
        return 3
    return None  # evaluated but not certified: never public


def _generated_producers(rng, gen, places, others, indexes, result):
    """The producers owning products `indexes`, created if missing; by producer number."""
    numbers = sorted({i // 4 for i in indexes})
    wanted = {f"DEMO-G{n:06d}": n for n in numbers}
    found = {
        p.registration_number: p
        for p in Producer.objects.filter(registration_number__in=wanted).select_related(
            "commune__parent", "district"
        )
    }
    new = []
    kinds = [k for k, _label in Producer.Kind.choices]
    for reg, n in wanted.items():
        if reg in found:
            continue
        local = random.Random(n)  # per producer, so reruns rebuild the same one
        if others and local.random() < 0.1:
            district, commune = None, local.choice(others)
        else:
            district, commune = local.choice(places)
        kind = kinds[n % len(kinds)]
        person = f"{local.choice(gen['family_names'])} Văn {local.choice(gen['given_names'])}"
        label = KIND_PREFIX[kind]
        new.append(
            Producer(
                registration_number=reg,
                name=f"{label} {local.choice(gen['given_names'])} {n}",
                kind=kind,
                commune=commune,
                district=district,
                representative_name=person,
                representative_gender=local.choice(["female", "male"]),
            )
        )
    Producer.objects.bulk_create(new, batch_size=1000)
    result.producers_created += len(new)
    for producer in new:
        found[producer.registration_number] = producer
    return {wanted[reg]: p for reg, p in found.items()}
