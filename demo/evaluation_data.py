"""Demo councils, rounds and dossiers for `make run`, built through the real rules.

Cards are filled with scoring.tick/submit and statuses moved with
workflow.transition, so the demo's history, events and results are exactly what
real use produces. Idempotent: a round that exists is left as it is.
"""

import random
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo.registry_data import DEMO_SIGNERS, demo_authority, record_acts
from evaluation import acts, certificates, decisions, filing, scoring, validity, workflow
from evaluation.models import (
    Certificate,
    Council,
    CouncilMembership,
    Criterion,
    Decision,
    Dossier,
    DossierDocument,
    DossierStatusChange,
    EvaluationRound,
    OfficialRole,
    Rulebook,
    Sheet,
    Target,
)
from registry.models import AdministrativeUnit, Producer, Product, ProductSet

S = Dossier.Status
PASSWORD = "ocop-demo-2026"

DONG_ANH_PEOPLE = [
    ("chutich.donganh", "Nguyễn Văn Hùng", "chair", "UBND huyện Đông Anh"),
    ("uv1.donganh", "Trần Thị Mai", "member", "Phòng Kinh tế"),
    ("uv2.donganh", "Lê Quang Huy", "member", "Trạm Khuyến nông"),
    ("uv3.donganh", "Phạm Thu Hà", "member", "Phòng Y tế"),
    ("thuky.donganh", "Đỗ Minh Anh", "secretary", "Phòng Kinh tế"),
]
HANOI_PEOPLE = [
    ("chutich.hanoi", "Vũ Đức Long", "chair", "UBND thành phố Hà Nội"),
    ("uv1.hanoi", "Hoàng Thị Lan", "member", "Sở Nông nghiệp và Môi trường"),
    ("uv2.hanoi", "Ngô Văn Bình", "member", "Sở Công Thương"),
    ("uv3.hanoi", "Bùi Thị Thảo", "member", "Sở Khoa học và Công nghệ"),
    ("thuky.hanoi", "Dương Quốc Khánh", "secretary", "Chi cục Phát triển nông thôn"),
]
# Producers' accounts: login → (the producer's registration number, the person's name, so
# the menu and the change log name a person, not a login).
PRODUCER_LOGINS = {
    "sx.vannoi": ("DEMO-0006", "Nguyễn Thị Hoa"),
    "sx.minhduong": ("DEMO-0001", "Lê Văn Dương"),
}
CENTRAL_PEOPLE = [
    ("chutich.tw", "Phan Văn Tùng", "chair", "Bộ Nông nghiệp và Môi trường"),
    ("uv1.tw", "Lý Thị Hương", "member", "Bộ Công Thương"),
    ("uv2.tw", "Đặng Văn Sơn", "member", "Bộ Y tế"),
    ("thuky.tw", "Cao Thị Yến", "secretary", "Văn phòng Điều phối nông thôn mới trung ương"),
]


def user(username, full_name=""):
    User = get_user_model()
    account, created = User.objects.get_or_create(username=username)
    if created:
        # Django shows "first_name last_name"; Vietnamese order puts the family name first.
        family, _sep, given = full_name.rpartition(" ")
        account.first_name, account.last_name = family, given
        account.set_password(PASSWORD)
        account.save()
    if not account.email:
        # So that "Forgot your password?" can be tried: the mail is printed by the worker
        # and kept in the admin. example.com is reserved (RFC 2606): it reaches no one.
        account.email = f"{username}@example.com"
        account.save(update_fields=["email"])
    return account


def council(name, level, unit, people):
    board, _created = Council.objects.get_or_create(name=name, level=level, unit=unit)
    for username, full_name, role, organisation in people:
        CouncilMembership.objects.get_or_create(
            council=board,
            user=user(username, full_name),
            defaults={"role": role, "organisation": organisation},
        )
    return board


def members(board):
    return [m.user for m in board.memberships.filter(role__in=("chair", "member")).order_by("id")]


def secretary(board):
    return board.memberships.get(role="secretary").user


def fill(card, actor, choose):
    """Tick one option per criterion, chosen by `choose(criterion, options)`."""
    for criterion in Criterion.objects.filter(sheet=card.dossier.sheet).prefetch_related("options"):
        options = sorted(criterion.options.all(), key=lambda o: o.points)
        scoring.tick(card, criterion.id, choose(criterion, options).id, actor)


def strong(seed, weak_where=()):
    """Mostly the best option, sometimes the one below; `weak_where` gets the lowest."""
    rng = random.Random(seed)

    def choose(criterion, options):
        if criterion.where in weak_where:
            return options[0] if options[0].points == 0 or len(options) < 2 else options[1]
        return options[-1] if rng.random() < 0.8 or len(options) == 1 else options[-2]

    return choose


def solid(criterion, options):
    """Every marked minimum met, the second-best option elsewhere: a sound 4★ card."""
    if any(o.min_star for o in options) or len(options) == 1:
        return options[-1]
    return options[-2]


def weak(criterion, options):
    return options[len(options) // 3]


def current_half(today, effective_from):
    """The half-year round running on `today` ("Đợt 2 năm 2026": July to December), opened
    no earlier than the rulebook took effect: (number, year, opens_on, closes_on). The demo's
    current rounds are named and dated from the day it is loaded, never a written year."""
    half = 1 if today.month <= 6 else 2
    opens = date(today.year, 1 if half == 1 else 7, 1)
    closes = date(today.year, 6, 30) if half == 1 else date(today.year, 12, 31)
    return half, today.year, max(opens, effective_from), closes


def current_round_name(place, today, effective_from):
    half, year, _opens, _closes = current_half(today, effective_from)
    return f"{place} — đợt {half} năm {year}"


def move(dossier, actor, *targets, note=""):
    for target in targets:
        needs = note or ("Thiếu bản sao giấy chứng nhận ATTP." if target == S.RETURNED else "")
        workflow.transition(dossier, target, actor, needs)


def named_product(name):
    """A product of the named demo producers (DEMO-0001…): generated products may share
    its name when the demo is built large."""
    return Product.objects.get(name=name, producer__registration_number__regex=r"^DEMO-[0-9]{4}$")


def demo_product(producer, name, set_number, stars=None):
    product = Product.objects.filter(name=name, producer=producer).first()
    return product or Product.objects.create(
        producer=producer,
        name=name,
        product_set=ProductSet.objects.get(number=set_number),
        stars=stars,
        description=f"{name} — sản phẩm tham gia đánh giá OCOP (dữ liệu mẫu).",
    )


@transaction.atomic
def build() -> list[str]:
    """Returns the names of the rounds created (empty when they all existed)."""
    created = []
    for username, (registration, full_name) in PRODUCER_LOGINS.items():
        Producer.objects.get(registration_number=registration).users.add(user(username, full_name))
    if not EvaluationRound.objects.filter(name__startswith="Đông Anh 2024").exists():
        _dong_anh_round()
        created.append("Đông Anh 2024")
    # The current rounds (Decision 26/2026) are found by what they are, not by a name
    # that carries the year they were first loaded in.
    qd26 = {"rulebook__code": "qd26-2026"}
    if not EvaluationRound.objects.filter(**qd26, level="province").exists():
        created.append(_hanoi_round().name)
    if not EvaluationRound.objects.filter(**qd26, level="commune").exists():
        created.append(_commune_round().name)
    if not OfficialRole.objects.filter(level="district").exists():
        _offices()
        _decisions()
        _certificate_states()
        _targets()
        created.append("decisions and certificates")
    return created


def _offices():
    hanoi = AdministrativeUnit.objects.get(level="province", code="01")
    dong_anh = AdministrativeUnit.objects.get(level="district", code="017")
    for username, name, kind, level, unit in [
        ("vp.donganh", "Ngô Thị Thu", "office", "district", dong_anh),
        ("vp.hanoi", "Trịnh Văn Nam", "office", "province", hanoi),
        ("vp.trunguong", "Hà Minh Châu", "office", "central", None),
        ("thanhtra.hanoi", "Kiều Văn Đức", "inspector", "province", hanoi),
    ]:
        OfficialRole.objects.get_or_create(
            user=user(username, name), kind=kind, level=level, unit=unit
        )


def _decisions():
    """Decision 148: Đông Anh forwards a 4★ result to the city, whose result waits for the
    city office. 26/2026: the city office forwards a 5★ result to the national council."""
    qd148, qd26 = Rulebook.objects.get(code="qd148-2023"), Rulebook.objects.get(code="qd26-2026")
    hanoi = AdministrativeUnit.objects.get(level="province", code="01")
    city = Council.objects.get(level="province", unit=hanoi)
    central = council(
        "Hội đồng đánh giá, phân hạng sản phẩm OCOP trung ương", "central", None, CENTRAL_PEOPLE
    )
    EvaluationRound.objects.create(
        name="Hà Nội 2024 — cấp thành phố, đợt 2",
        rulebook=qd148,
        level="province",
        unit=hanoi,
        council=city,
        opens_on=date(2024, 8, 1),
        closes_on=date(2024, 12, 20),
    )
    today = timezone.localdate()
    _half, year, opens, closes = current_half(today, qd26.effective_from)
    EvaluationRound.objects.create(
        name=f"Trung ương — năm {year}",
        rulebook=qd26,
        level="central",
        unit=None,
        council=central,
        opens_on=opens,
        closes_on=date(year, 12, 31),
    )
    district_office, city_office = user("vp.donganh"), user("vp.hanoi")
    dong_anh = AdministrativeUnit.objects.get(level="district", code="017")
    # District: recognise the capped 3★ result; forward a sound 4★ product to the city.
    rau = Dossier.objects.get(product__name="Rau cải an toàn Vân Nội")
    decisions.decide(
        rau, S.RECOGNISED, district_office, act=demo_act("1215/QĐ-UBND", DONG_ANH_DAY, dong_anh)
    )
    van_noi = Producer.objects.get(registration_number="DEMO-0006")
    round_ = EvaluationRound.objects.get(name__startswith="Đông Anh 2024")
    buoi = Dossier.objects.create(
        round=round_,
        product=demo_product(van_noi, "Bưởi Diễn Thư Lâm", 1),
        sheet=Sheet.objects.get(rulebook=qd148, product_set__number=1),
    )
    clerk = secretary(round_.council)
    move(buoi, van_noi.users.first(), S.SUBMITTED)
    move(buoi, clerk, S.CHECKED, S.SCORING)
    for member in members(round_.council):
        card = scoring.member_card(buoi, member)
        fill(card, member, solid)
        scoring.submit(card, member)
    decisions.decide(
        buoi,
        S.FORWARDED,
        district_office,
        "Đề nghị thành phố đánh giá, phân hạng 4 sao.",
        act=demo_act("1216/QĐ-UBND", DONG_ANH_DAY, dong_anh),
    )
    # City: the council scores; the office has not approved yet.
    upper = Dossier.objects.get(forwarded_from=buoi)
    city_clerk = secretary(city)
    move(upper, city_clerk, S.CHECKED, S.SCORING)
    for member in members(city):
        card = scoring.member_card(upper, member)
        fill(card, member, solid)
        scoring.submit(card, member)
    # 26/2026: the city office sends Tây Hồ lotus tea (5★ by score) to the national council.
    # No 4★ certificate on the way (Decision 26/2026, Điều 7 khoản 3 điểm e).
    tra = Dossier.objects.get(product__name="Trà sen Tây Hồ", round__rulebook=qd26)
    decisions.decide(
        tra,
        S.FORWARDED,
        city_office,
        "Đề nghị Bộ Nông nghiệp và Môi trường đánh giá, phân hạng 5 sao.",
        act=demo_act("4567/QĐ-UBND", timezone.localdate() - timedelta(days=6), hanoi),
    )


def _certificate_states():
    """Certificates in every state beside the valid ones: expiring, expired, revoked,
    superseded (by the decisions above), and a 2022 four-star one to re-evaluate."""
    today = timezone.localdate()
    lua = certificates.standing_certificate(named_product("Lụa tơ tằm Vạn Phúc"))
    expires = today + timedelta(days=150)  # inside the 180–120-day window
    lua.issued_on = validity.add_months(expires, -36)
    lua.expires_on = expires
    lua.save(update_fields=["issued_on", "expires_on"])
    certificates.set_standing(lua.product, lua)
    mien = certificates.standing_certificate(named_product("Miến dong Quốc Oai"))
    mien.issued_on = validity.add_months(today - timedelta(days=20), -36)
    mien.expires_on = today - timedelta(days=20)
    mien.save(update_fields=["issued_on", "expires_on"])
    certificates.set_standing(mien.product, mien)
    # Their acts are those of their new issue days; an act left covering nothing goes.
    moved = list(
        Certificate.objects.filter(pk__in=[lua.pk, mien.pk]).select_related(
            "product__producer__commune__parent", "product__producer__district"
        )
    )
    earlier = {c.decision_id for c in moved}
    record_acts(moved)
    Decision.objects.filter(pk__in=earlier, certificates__isnull=True, moves__isnull=True).delete()
    hanoi = AdministrativeUnit.objects.get(level="province", code="01")
    banh = certificates.standing_certificate(named_product("Bánh sữa Ba Vì"))
    certificates.revoke(
        banh,
        ground=Certificate.Ground.MARK_MISUSE,
        actor=user("vp.hanoi"),
        inspection_reference="Kết luận thanh tra số 15/KL-TTr ngày 02/10/2026",
        concluded_on=min(date(2026, 10, 2), today),
        note="Dùng biểu trưng OCOP trên sản phẩm khác chưa được công nhận.",
        act=demo_act("2150/QĐ-UBND", max(date(2026, 10, 12), banh.issued_on), hanoi),
    )
    # A certificate from a list of 2022, its act never recorded: the pages say so.
    gao_lut = named_product("Bún gạo lứt Minh Dương")
    Certificate.objects.create(
        number="OCOP-01-2022-D00099",
        product=gao_lut,
        level="province",
        unit=AdministrativeUnit.objects.get(level="province", code="01"),
        stars=4,
        issued_on=date(2022, 11, 10),
        expires_on=date(2025, 11, 10),
    )


# After the list certified on 20 June 2025, before districts were abolished on 1 July 2025.
DONG_ANH_DAY = date(2025, 6, 25)


def demo_act(number, day, unit):
    """The act an office records for a demo decision, signed as registry_data signs."""
    level = unit.level if unit is not None else "central"
    title, name = DEMO_SIGNERS[level]
    return acts.Act(
        number=number,
        signed_on=day,
        signer_name=name,
        signer_title=title,
        authority=demo_authority(level, unit, day),
    )


#: The notes the member who scores Su hào Đông Anh far lower writes on their card.
SPREAD_NOTES = {
    "A.1.a": "Chưa thấy giấy tờ chứng minh vùng trồng; hợp đồng chỉ có bản chụp.",
    "A.2.c": "Nhãn thiếu hạn sử dụng và địa chỉ cơ sở sản xuất.",
}


def _dong_anh_round():
    qd148 = Rulebook.objects.get(code="qd148-2023")
    dong_anh = AdministrativeUnit.objects.get(level="district", code="017")
    board = council(
        "Hội đồng đánh giá, phân hạng sản phẩm OCOP huyện Đông Anh",
        "district",
        dong_anh,
        DONG_ANH_PEOPLE,
    )
    round_ = EvaluationRound.objects.create(
        name="Đông Anh 2024 — đợt 1",
        rulebook=qd148,
        level="district",
        unit=dong_anh,
        council=board,
        opens_on=date(2024, 5, 2),
        closes_on=date(2024, 6, 28),
    )
    sheet = Sheet.objects.get(rulebook=qd148, product_set__number=1)
    van_noi = Producer.objects.get(registration_number="DEMO-0006")
    producer_user = van_noi.users.first()
    products = {
        "cap": named_product("Rau cải an toàn Vân Nội"),
        "spread": named_product("Su hào Đông Anh"),
        "drafts": demo_product(van_noi, "Dưa lưới Thư Lâm", 1),
        "checked": demo_product(van_noi, "Cà chua bi Vân Nội", 1),
        "returned": demo_product(van_noi, "Rau muống Đông Anh", 1),
        "draft": demo_product(van_noi, "Ngô ngọt Đông Anh", 1),
        "filed": demo_product(van_noi, "Khoai lang Vân Nội", 1),
    }
    dossiers = {
        key: Dossier.objects.create(round=round_, product=product, sheet=sheet)
        for key, product in products.items()
    }
    clerk, scorers = secretary(board), members(board)
    # Filed and checked, waiting for the council to open scoring.
    move(dossiers["checked"], producer_user, S.SUBMITTED)
    move(dossiers["checked"], clerk, S.CHECKED)
    move(dossiers["returned"], producer_user, S.SUBMITTED)
    move(dossiers["returned"], clerk, S.RETURNED)
    move(dossiers["filed"], producer_user, S.SUBMITTED)  # for the secretary to check
    for key in ("cap", "spread", "drafts"):
        move(dossiers[key], producer_user, S.SUBMITTED)
        move(dossiers[key], clerk, S.CHECKED, S.SCORING)
    # A result with a cap: everyone ticks well, but production linkage ("Liên kết sản
    # xuất", a **** minimum) stays at the lowest option on every card.
    for n, member in enumerate(scorers):
        card = scoring.member_card(dossiers["cap"], member)
        fill(card, member, strong(n, weak_where={"A.1.d"}))
        scoring.submit(card, member)
    # A spread above the limit: one member scores far lower than the others.
    for n, member in enumerate(scorers):
        card = scoring.member_card(dossiers["spread"], member)
        fill(card, member, weak if n == 3 else strong(10 + n))
        if n == 3:  # the member far below says why, on the criteria themselves
            for where, note in SPREAD_NOTES.items():
                criterion = Criterion.objects.get(sheet=card.dossier.sheet, where=where)
                card = scoring.write_comment(card, criterion.id, note, member)
        scoring.submit(card, member)
    # Cards in progress: two submitted, one drafted half way, one not started: the card
    # of uv1.donganh, which the printed logins send this member to score.
    not_started = next(m for m in scorers if m.username == "uv1.donganh")
    for n, member in enumerate(m for m in scorers if m != not_started):
        card = scoring.member_card(dossiers["drafts"], member)
        fill(card, member, strong(20 + n))
        if n < 2:
            scoring.submit(card, member)
        else:
            card.answers.filter(criterion__section__part__code="C").delete()
            scoring._refresh_total(card)
            card.save(update_fields=["total"])
    self_card = scoring.self_assessment(dossiers["draft"], producer_user)
    fill(self_card, producer_user, strong(99))


def demo_pdf(title: str) -> bytes:
    """A real one-page PDF standing for a scanned paper (its title in its metadata)."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": title})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def attach_papers(dossier, actor, codes=None):
    """Attach the papers of the dossier's checklist (`codes`: those; default: the required
    ones) as the producer would, each a PDF named after its paper."""
    from django.core.files.base import ContentFile

    from evaluation import checklist

    papers = checklist.papers_of(dossier.round.rulebook.code).papers
    for paper in papers:
        if (paper.code in codes) if codes is not None else paper.required:
            document = DossierDocument(
                dossier=dossier, title=paper.title_vi, paper=paper.code, uploaded_by=actor
            )
            document.file.save(f"{paper.code}.pdf", ContentFile(demo_pdf(paper.title_vi)), False)
            document.save()


def filed(dossier, actor, day):
    """File `dossier` through the real rules as on `day`, and date its history so: its
    papers attached and its self-assessment scored first, as filing requires."""
    attach_papers(dossier, actor, codes=None)
    fill(scoring.self_assessment(dossier, actor), actor, strong(dossier.pk))
    filing.file_dossier(dossier, actor, today=day)
    when = timezone.make_aware(datetime.combine(day, time(9, 30)))
    DossierStatusChange.objects.filter(dossier=dossier, to_status=S.SUBMITTED).update(at=when)


def _commune_round():
    """Decision 26/2026 at the commune, with its time limits: Xã Đông Anh pre-checks in 15
    working days (Điều 7 khoản 2), one dossier a month after it was filed (late), one a
    week after; a re-evaluation in draft whose window (180 to 120 days before expiry) is
    open; and a certificate kept in force past expiry (Điều 12 khoản 3) because its
    re-evaluation, filed late in June 2026, is now with the city (45 days, Điều 7 khoản 6
    điểm g). Đông Anh's district office became the commune's office."""
    qd26 = Rulebook.objects.get(code="qd26-2026")
    van_noi = Producer.objects.get(registration_number="DEMO-0006")
    xa, producer_user = van_noi.commune, van_noi.users.first()
    office = user("vp.donganh", "Ngô Thị Thu")
    OfficialRole.objects.get_or_create(user=office, kind="office", level="commune", unit=xa)
    board = council(f"UBND {xa.name}", "commune", xa, [])
    today = timezone.localdate()
    # The commune receives dossiers all year (no year in its name: it opened when the
    # decision took effect and has held dossiers since).
    round_ = EvaluationRound.objects.create(
        name=f"{xa.name} — tiếp nhận hồ sơ thường xuyên",
        rulebook=qd26,
        level="commune",
        unit=xa,
        council=board,
        opens_on=qd26.effective_from,
        closes_on=date(today.year, 12, 31),
    )

    def dossier(name, set_number, kind=Dossier.Kind.FIRST, stars=None):
        product = demo_product(van_noi, name, set_number, stars)
        sheet = Sheet.objects.get(rulebook=qd26, product_set=product.product_set)
        return Dossier.objects.create(round=round_, product=product, sheet=sheet, kind=kind)

    filed(dossier("Gạo nếp cái hoa vàng Đông Anh", 3), producer_user, today - timedelta(days=30))
    filed(dossier("Nấm sò Đông Anh", 1), producer_user, today - timedelta(days=6))
    # A draft for the producer to complete: the registration form is attached; the
    # self-assessment report and the self-scoring are still to do.
    attach_papers(dossier("Trà hoa cúc Đông Anh", 12), producer_user, {"registration_form"})
    honey = dossier("Mật ong hoa nhãn Đông Anh", 4, Dossier.Kind.REEVALUATION, stars=4)
    expires = today + timedelta(days=150)
    held = [
        certificates.legacy_certificate(
            honey.product,
            issued_on=validity.add_months(expires, -36),
            number="OCOP-01-2023-D00188",
            unit=xa.parent,
        )
    ]
    # Certified August 2023: the window closed in April 2026, before 26/2026 took effect.
    longan = dossier("Nhãn chín muộn Đông Anh", 1, Dossier.Kind.REEVALUATION, stars=4)
    held.append(
        certificates.legacy_certificate(
            longan.product,
            issued_on=date(2023, 8, 15),
            number="OCOP-01-2023-D00231",
            unit=xa.parent,
        )
    )
    for certificate in held:
        certificate.save()
    record_acts(held)  # the acts they were issued by, as for the demo's other certificates
    filed(longan, producer_user, date(2026, 6, 10))
    workflow.transition(longan, S.CHECKED, office)
    # The commune's letter proposing the city's re-evaluation (Điều 7 khoản 2 điểm b).
    decisions.decide(
        longan,
        S.FORWARDED,
        office,
        "Đề nghị thành phố đánh giá lại.",
        act=demo_act("85/UBND-KT", today, xa),
    )
    return round_


def _hanoi_round():
    qd26 = Rulebook.objects.get(code="qd26-2026")
    hanoi = AdministrativeUnit.objects.get(level="province", code="01")
    board = council(
        "Hội đồng đánh giá, phân hạng sản phẩm OCOP thành phố Hà Nội",
        "province",
        hanoi,
        HANOI_PEOPLE,
    )
    today = timezone.localdate()
    _half, _year, opens, closes = current_half(today, qd26.effective_from)
    round_ = EvaluationRound.objects.create(
        name=current_round_name("Hà Nội", today, qd26.effective_from),
        rulebook=qd26,
        level="province",
        unit=hanoi,
        council=board,
        opens_on=opens,
        closes_on=closes,
    )
    clerk, scorers = secretary(board), members(board)
    minh_duong = Producer.objects.get(registration_number="DEMO-0001").users.first()
    for name, seeds, submitted in [
        ("Bún khô Minh Dương", (31, 32, 33, 34), 4),
        ("Trà sen Tây Hồ", (41, 42, 43, 44), 4),
        ("Gốm men lam Quang Vinh", (51, 52, 53, 54), 1),
    ]:
        product = named_product(name)
        sheet = Sheet.objects.get(rulebook=qd26, product_set=product.product_set)
        dossier = Dossier.objects.create(
            round=round_, product=product, sheet=sheet, kind=Dossier.Kind.UPGRADE
        )
        filer = minh_duong if name.startswith("Bún") else clerk
        move(dossier, filer, S.SUBMITTED)
        move(dossier, clerk, S.CHECKED, S.SCORING)
        for n, (member, seed) in enumerate(zip(scorers, seeds, strict=True)):
            if n >= submitted and member.username == "uv1.hanoi":
                continue  # the card the printed logins send this member to score
            card = scoring.member_card(dossier, member)
            fill(card, member, strong(seed))
            if n < submitted:
                scoring.submit(card, member)
    return round_


def _targets():
    hanoi = AdministrativeUnit.objects.get(level="province", code="01")
    Target.objects.get_or_create(
        name="Hà Nội: 2.000 sản phẩm được đánh giá, phân hạng",
        metric=Target.Metric.EVALUATED,
        unit=hanoi,
        defaults={"value": 2000, "deadline": date(timezone.localdate().year, 12, 31)},
    )
    Target.objects.get_or_create(
        name="Cả nước: tối thiểu 3% sản phẩm 5 sao",
        metric=Target.Metric.FIVE_STAR_SHARE,
        unit=None,
        defaults={"value": 3, "deadline": date(timezone.localdate().year, 12, 31)},
    )


def _working_time(moment):
    """`moment`, or the latest office hour before it (8:00 to 17:00, Monday to Friday)."""
    local = timezone.localtime(moment)
    while local.weekday() >= 5 or not 8 <= local.hour < 17:
        local -= timedelta(hours=1)
    return local


def spread_notifications(since, now=None) -> int:
    """Date the notifications the demo's moves made (all stamped at load time, `since`
    or later) as if they had come over the past weeks, in office hours, in the order of
    their events: the newest shortly before `now`. A notice of a move the demo dates
    (a filing a month ago) takes that move's time. Returns the number of rows re-dated.

    The notifications app sits beside the demo (the import layers): its model is looked
    up by name, to change only a date."""
    Notification = apps.get_model("notifications", "Notification")
    now = now or timezone.now()
    fresh = list(Notification.objects.filter(created_at__gte=since).order_by("id"))
    dated = dict(
        DossierStatusChange.objects.filter(at__lt=since).values_list("pk", "at").iterator()
    )
    rng = random.Random(2026)
    when = now - timedelta(minutes=35)
    stamps = {}
    for key in reversed(list(dict.fromkeys(n.event_key for n in fresh))):
        kind, _sep, ref = key.partition(":")
        move_at = dated.get(int(ref)) if kind == "move" and ref.isdigit() else None
        if move_at is not None:
            stamps[key] = move_at
            continue
        stamps[key] = when = _working_time(when)
        when -= timedelta(hours=rng.uniform(1, 9))
    for notice in fresh:
        notice.created_at = stamps[notice.event_key]
    Notification.objects.bulk_update(fresh, ["created_at"])
    return len(fresh)
