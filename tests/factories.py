"""What the tests make, as plain functions (and two factory_boy factories).

Places are looked up, never made: tests/conftest.py loads the units, product sets and
rulebooks once per session. tests/conftest.py builds the shared cast (`people`, `cast`)
from these functions; a test that needs someone or something else makes it with them.
"""

import itertools
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from evaluation.models import (
    Council,
    CouncilMembership,
    CouncilResult,
    Dossier,
    EvaluationRound,
    OfficialRole,
    Sheet,
)
from registry.models import AdministrativeUnit, Producer, Product, ProductSet

_act_numbers = itertools.count(1)


# ---------------------------------------------------------------- places (loaded, looked up)
def province(code="01"):
    """01 is Hà Nội, 33 Hưng Yên, 79 Hồ Chí Minh City."""
    return AdministrativeUnit.objects.get(level="province", code=code)


def district(code="274"):
    """One of Hanoi's former districts: 274 Hoài Đức, 017 Đông Anh, 282 Mỹ Đức."""
    return AdministrativeUnit.objects.get(level="district", code=code)


def commune(name="Xã Hoài Đức", province="01"):
    return AdministrativeUnit.objects.get(level="commune", name=name, parent__code=province)


# ---------------------------------------------------------------- files
def image_upload(name="photo.jpg", size=(640, 480), fmt="JPEG", color=(200, 80, 40)):
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}.get(fmt, "")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def pdf_bytes(title: str = "") -> bytes:
    """A real one-page PDF (pypdf's writer), blank; `title` in its information dictionary
    makes a different file of the same kind."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if title:
        writer.add_metadata({"/Title": title})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


#: The smallest real PDF the checks accept: for papers whose content is not the point.
PDF = pdf_bytes()


def pdf_upload(name="giay-to.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# ---------------------------------------------------------------- people
def make_user(username, *, full_name="", password=None, superuser=False, **extra):
    """A user; without a password unless one is given (tests sign in with force_login).

    Django shows "first_name last_name": in Vietnamese order the family and middle names
    come first, so they go in first_name ("Trần Thị" + "Mai").
    """
    family, _sep, given = full_name.rpartition(" ")
    User = get_user_model()
    make = User.objects.create_superuser if superuser else User.objects.create_user
    return make(
        username,
        f"{username}@example.vn",
        password,
        first_name=family,
        last_name=given,
        **extra,
    )


def official(username, kind, level, unit, **extra):
    """A user with an OfficialRole: kind "office" (decides) or "inspector" (reads);
    level "district", "province" or "central" (unit None)."""
    user = make_user(username, **extra)
    OfficialRole.objects.create(user=user, kind=kind, level=level, unit=unit)
    return user


def office_of(username, level, unit):
    return official(username, OfficialRole.Kind.OFFICE, level, unit)


def inspector_of(username, level, unit):
    return official(username, OfficialRole.Kind.INSPECTOR, level, unit)


# ---------------------------------------------------------------- producers and products
class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer

    name = factory.Sequence(lambda n: f"Hợp tác xã Thử nghiệm {n}")
    kind = Producer.Kind.COOPERATIVE
    registration_number = factory.Sequence(lambda n: f"0100{n:06d}")
    commune = factory.LazyFunction(commune)
    district = factory.LazyFunction(district)
    representative_name = "Nguyễn Thị Lan"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True  # certify() saves what it changes

    producer = factory.SubFactory(ProducerFactory)
    name = factory.Sequence(lambda n: f"Sản phẩm thử {n}")
    product_set = factory.LazyFunction(lambda: ProductSet.objects.get(number=1))
    stars = 4

    @factory.post_generation
    def certified(obj, create, extracted, **kwargs):
        """Starred products get a certificate in force unless `certified=False`."""
        if create and extracted is not False and obj.stars and obj.stars >= 3:
            certify(obj)


def new_product(commune_name="Xã Hoài Đức", province_code="01", district_code="274", **extra):
    """A product with no star and no certificate yet: what a first evaluation starts from."""
    producer = ProducerFactory(
        commune=commune(commune_name, province_code),
        district=district(district_code) if district_code else None,
    )
    return ProductFactory(producer=producer, stars=None, certified=False, **extra)


def certify(product, issued_on=None, **kwargs):
    """Give a starred product a certificate in force: saving it sets the product's stars
    and certified-until date, in the database and on `product` (evaluation.signals)."""
    from evaluation.certificates import legacy_certificate

    issued_on = issued_on or timezone.localdate() - timedelta(days=30)
    certificate = legacy_certificate(
        product, issued_on=issued_on, number=f"TEST-{product.pk:06d}", **kwargs
    )
    certificate.save()
    return certificate


def certificate_of(product):
    """The certificate a product stands on (its latest, neither revoked nor superseded)."""
    from evaluation.certificates import standing_certificate

    return standing_certificate(product)


# ---------------------------------------------------------------- councils, rounds, dossiers
#: The council of the tests: a chair, three members and a secretary (who does not score).
#: Decision 148's quorum is 75 % of the scorers with the chair: three of these four.
ROLES = {
    "chair": CouncilMembership.Role.CHAIR,
    "member1": CouncilMembership.Role.MEMBER,
    "member2": CouncilMembership.Role.MEMBER,
    "member3": CouncilMembership.Role.MEMBER,
    "secretary": CouncilMembership.Role.SECRETARY,
}


def make_council(
    name="Hội đồng OCOP huyện Hoài Đức", level="district", unit=None, prefix="", roles=None
):
    """A council with `roles` ({username: role}, ROLES by default; each username is given
    `prefix`); returns (council, {name in roles: user})."""
    council = Council.objects.create(
        name=name, level=level, unit=unit if unit is not None else district("274")
    )
    people = {}
    for key, role in (roles or ROLES).items():
        people[key] = make_user(f"{prefix}{key}")
        CouncilMembership.objects.create(council=council, user=people[key], role=role)
    return council, people


def make_round(
    council,
    rulebook,
    level="district",
    name="Hoài Đức 2024 đợt 1",
    opens_on=date(2024, 3, 1),
    closes_on=date(2024, 6, 30),
):
    return EvaluationRound.objects.create(
        name=name,
        rulebook=rulebook,
        level=level,
        unit=council.unit,
        council=council,
        opens_on=opens_on,
        closes_on=closes_on,
    )


def bare_round(rulebook, level, unit, name, opens_on=None):
    """A round whose council has no members: decisions do not need any. `opens_on` makes
    it a one-day round on that day."""
    council = Council.objects.create(name=f"Hội đồng {name}", level=level, unit=unit)
    if opens_on is None:
        return make_round(council, rulebook, level=level, name=name)
    return make_round(council, rulebook, level, name, opens_on=opens_on, closes_on=opens_on)


def sheet_of(rulebook, product_set: int) -> Sheet:
    return Sheet.objects.get(rulebook=rulebook, product_set__number=product_set)


def make_dossier(round_, status=Dossier.Status.DRAFT, *, product_set=1, product=None, **extra):
    """A dossier put straight in `status` (no workflow history), for a new product of
    `product_set` unless `product` is given."""
    sheet = sheet_of(round_.rulebook, product_set)
    if product is None:
        product = ProductFactory(product_set=sheet.product_set)
    return Dossier.objects.create(
        round=round_, product=product, sheet=sheet, status=status, **extra
    )


def complete_papers(dossier, author=None):
    """Attach the papers filing requires (evaluation.checklist: the registration form and
    the self-assessment report) as real PDFs, and a submitted self-assessment card, so
    that `dossier` can be filed; returns it."""
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from evaluation import checklist
    from evaluation.models import DossierDocument, Scorecard

    for paper in checklist.papers_of(dossier.round.rulebook.code).papers:
        if paper.required and not dossier.documents.filter(paper=paper.code).exists():
            document = DossierDocument(dossier=dossier, title=paper.title_vi, paper=paper.code)
            document.file.save(f"{paper.code}.pdf", ContentFile(PDF), save=False)
            document.save()
    author = (
        author
        or dossier.product.producer.users.first()
        or get_user_model().objects.get_or_create(username="self-assessor")[0]
    )
    Scorecard.objects.update_or_create(
        dossier=dossier,
        kind=Scorecard.Kind.SELF,
        defaults={
            "author": author,
            "status": Scorecard.Status.SUBMITTED,
            "submitted_at": timezone.now(),
        },
    )
    return dossier


def give_result(dossier, stars, mean, outcome="final", cards=4, **extra):
    """The council's result on a dossier in RESULT, as scoring would have recorded it."""
    CouncilResult.objects.create(
        dossier=dossier,
        outcome=outcome,
        cards=cards,
        mean=None if mean is None else Decimal(mean),
        band_stars=stars,
        stars=stars,
        **extra,
    )
    return dossier


def at_result(round_, product, stars, mean, outcome="final"):
    """A dossier of `product` in RESULT with the council's final result."""
    return give_result(
        make_dossier(round_, Dossier.Status.RESULT, product=product), stars, mean, outcome
    )


# ---------------------------------------------------------------- acts
def act(number=None, signed_on=None, **fields):
    """The act a decision or revocation is recorded with (evaluation.acts.Act): a new
    number at each call, dated today (as the clock reads, time_machine included) unless
    told, signed by the vice-chair of Hà Nội's people's committee unless told."""
    from evaluation.acts import Act

    return Act(
        number=number or f"{next(_act_numbers)}/QĐ-UBND",
        signed_on=signed_on or timezone.localdate(),
        signer_name=fields.pop("signer_name", "Nguyễn Mạnh Quyền"),
        signer_title=fields.pop("signer_title", "Phó Chủ tịch"),
        authority=fields.pop("authority", "UBND thành phố Hà Nội"),
        **fields,
    )
