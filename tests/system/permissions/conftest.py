"""One cast for the whole permission matrix, built once per module and rolled back after it.

Two districts, X (Đông Anh) and Y (Mỹ Đức), each with a council (a member and a secretary),
a producer with an account, a public product, a dossier being scored, a dossier document,
an evidence paper, a member's card, the producer's self-assessment and a certificate issued
by the district. Around them: a city office, a central office, a city inspector, an
administrator, and a staff account of district X for the admin. Producer A also has a
product certified by the city (so the city office has a certificate to revoke), and a third
producer has only a withdrawn product, which nothing public may show.

The matrix makes some 1,500 requests; building this cast (half a second) for each would
take over ten minutes, so it is built once, inside a transaction rolled back when the
module ends. Every test still runs in its own savepoint, so what a POST writes is undone.

In this folder `cast` is this one, not the shared cast of tests/conftest.py: the matrix
needs two of everything to tell "own" from "another's". It is made with tests/factories.py.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings

from evaluation import acts, scoring
from evaluation.models import (
    Certificate,
    Council,
    CouncilMembership,
    Criterion,
    Decision,
    Dossier,
    DossierDocument,
    OfficialRole,
    Rulebook,
    Sheet,
)
from registry.models import AdministrativeUnit, EvidenceDocument
from tests.factories import (
    PDF,
    ProducerFactory,
    ProductFactory,
    act,
    certificate_of,
    certify,
    district,
    make_round,
    make_user,
)

#: The roles of the matrix, in the order their columns are read.
ROLES = [
    "anonymous",
    "producer_a",
    "producer_b",
    "member_x",
    "member_y",
    "secretary_x",
    "city_office",
    "central_office",
    "inspector",
    "administrator",
]


def _district_side(side, district_code, users, rulebook):
    """Council, producer, product, dossier, papers and cards of one district."""
    unit = district(district_code)
    council = Council.objects.create(name=f"Hội đồng {unit.name}", level="district", unit=unit)
    CouncilMembership.objects.create(council=council, user=users[f"member_{side}"], role="member")
    CouncilMembership.objects.create(
        council=council, user=users[f"secretary_{side}"], role="secretary"
    )
    round_ = make_round(council, rulebook, name=f"{unit.name} 2024")
    producer = ProducerFactory(name=f"Hợp tác xã {side.upper()}", district=unit)
    producer.users.add(users[f"producer_{'a' if side == 'x' else 'b'}"])
    product = ProductFactory(
        producer=producer, name=f"Sản phẩm {side.upper()}", stars=3, certified=False
    )
    certificate = certify(product, level="district", unit=unit)
    dossier = Dossier.objects.create(
        round=round_,
        product=product,
        sheet=Sheet.objects.get(rulebook=rulebook, product_set=product.product_set),
        status=Dossier.Status.SCORING,
    )
    document = DossierDocument.objects.create(
        dossier=dossier,
        title="Giấy chứng nhận ATTP",
        file=SimpleUploadedFile(f"attp-{side}.pdf", PDF),
    )
    evidence = EvidenceDocument.objects.create(
        product=product, title="Hợp đồng mua nguyên liệu", file=SimpleUploadedFile("hd.pdf", PDF)
    )
    criterion = Criterion.objects.filter(sheet=dossier.sheet).order_by("pk").first()
    option = criterion.options.order_by("-points").first()
    card = scoring.member_card(dossier, users[f"member_{side}"])
    scoring.tick(card, criterion.pk, option.pk, users[f"member_{side}"])
    own = users[f"producer_{'a' if side == 'x' else 'b'}"]
    self_card = scoring.self_assessment(dossier, own)
    result = scoring.recompute_result(dossier)
    return {
        f"unit_{side}": unit,
        f"council_{side}": council,
        f"round_{side}": round_,
        f"producer_{side}": producer,
        f"product_{side}": product,
        f"certificate_{side}": certificate,
        f"dossier_{side}": dossier,
        f"document_{side}": document,
        f"evidence_{side}": evidence,
        f"card_{side}": card,
        f"self_card_{side}": self_card,
        f"result_{side}": result,
        f"criterion_{side}": criterion,
        f"option_{side}": option,
    }


def build_cast():
    hanoi = AdministrativeUnit.objects.get(level="province", code="01")
    rulebook = Rulebook.objects.get(code="qd148-2023")
    names = [*ROLES[1:-1], "secretary_y", "staff_x"]
    users = {name: make_user(name) for name in names}
    users["administrator"] = make_user("administrator", superuser=True)
    OfficialRole.objects.create(
        user=users["city_office"], kind="office", level="province", unit=hanoi
    )
    OfficialRole.objects.create(user=users["central_office"], kind="office", level="central")
    OfficialRole.objects.create(
        user=users["inspector"], kind="inspector", level="province", unit=hanoi
    )
    cast = {**users, "hanoi": hanoi}
    cast |= _district_side("x", "017", users, rulebook)
    cast |= _district_side("y", "282", users, rulebook)

    # A staff account of district X: a council member the administrator let into the admin
    # to read dossiers, cards, results, certificates, producers and products. The scoped
    # admins must show it only what it sees in the application.
    staff = users["staff_x"]
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    CouncilMembership.objects.create(council=cast["council_x"], user=staff, role="member")
    models = ["dossier", "scorecard", "councilresult", "certificate", "producer", "product"]
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=[f"view_{model}" for model in models])
    )

    # Producer A's second product, certified by the city: the city office's to revoke.
    city_product = ProductFactory(
        producer=cast["producer_x"], name="Sản phẩm thành phố", stars=4, certified=False
    )
    cast["certificate_city"] = certify(city_product, level="province", unit=hanoi)
    cast["product_city"] = city_product
    # The city's act that issued it: what the acts' pages open.
    decision = acts.record(
        act("88/QĐ-UBND", cast["certificate_city"].issued_on),
        kind=Decision.Kind.RECOGNITION,
        level="province",
        unit=hanoi,
        rulebook=Rulebook.objects.get(code="qd26-2026"),
        actor=users["city_office"],
    )
    Certificate.objects.filter(pk=cast["certificate_city"].pk).update(decision=decision)
    cast["decision_city"] = decision

    # A producer whose only product was withdrawn: certified once, no longer published.
    hidden = ProducerFactory(name="Hợp tác xã Đã rút")
    withdrawn = ProductFactory(producer=hidden, name="Sản phẩm đã rút", stars=3)
    withdrawn.is_published = False
    withdrawn.save()
    cast |= {
        "producer_hidden": hidden,
        "product_hidden": withdrawn,
        "certificate_hidden": certificate_of(withdrawn),
    }
    cast |= _one_of_each_admin_model(cast)
    return cast


def _one_of_each_admin_model(cast):
    """A row for each model the admin lists, so every change page has something to open."""
    from datetime import date

    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from evaluation.models import ConflictDeclaration, Target
    from imports.models import ImportBatch
    from jobs.models import Worker
    from mail.models import SentMail
    from notifications.models import Notification, Preference
    from registry.models import SalesPoint

    request = {
        "user_agent": "Mozilla/5.0",
        "ip_address": "192.0.2.1",
        "username": "producer_a",
        "http_accept": "text/html",
        "path_info": "/tai-khoan/dang-nhap/",
    }
    AccessAttempt.objects.create(**request, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**request)
    AccessFailureLog.objects.create(**request)
    Group.objects.create(name="Cán bộ huyện")
    point = SalesPoint.objects.create(
        name="Điểm bán OCOP Đông Anh",
        address="1 Cao Lỗ",
        commune=cast["producer_x"].commune,
    )
    point.products.add(cast["product_x"])
    ImportBatch.objects.create(
        user=cast["city_office"],
        file_name="danh-sach.csv",
        sha256="a" * 64,
        held_rows=[[3, {"producer_name": "HTX Thử"}, ["Thiếu tên sản phẩm."]]],
        held_count=1,
    )
    Target.objects.create(
        name="Sản phẩm được chứng nhận",
        metric="certified",
        unit=cast["hanoi"],
        value=100,
        deadline=date(2030, 12, 31),
    )
    conflict = ConflictDeclaration.objects.create(
        user=cast["secretary_y"], producer=cast["producer_y"], reason="Họ hàng"
    )
    # A failed job (what Background jobs → Failed jobs lists), a worker, a sent mail.
    failed = DBTaskResult.objects.create(
        task_path="mail.sending.send_mail",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        status=TaskResultStatus.FAILED,
        exception_class_path="builtins.ConnectionRefusedError",
        traceback="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    now = timezone.now()
    Worker.objects.create(worker_id="w1", hostname="may-1", pid=1, started_at=now, seen_at=now)
    SentMail.objects.create(
        sender="noreply@ocop.vn",
        recipients="a@example.vn",
        subject="Đặt mật khẩu mới",
        transport="console",
        outcome="sent",
    )
    # Producer A told that dossier X was filed, unread; and a mail preference.
    notice = Notification.objects.create(
        recipient=cast["producer_a"],
        kind="filed",
        event_key="matrix",
        target_type="dossier",
        target_id=cast["dossier_x"].pk,
    )
    Preference.objects.create(user=cast["producer_a"], kind="filed", email=False)
    return {"sales_point": point, "conflict_y": conflict, "failed_job": failed, "notice": notice}


@pytest.fixture(scope="module")
def private_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def media_dirs(cast, private_root):
    """Replaces the per-test folders of tests/conftest.py: the cast's files were written
    once, in the module's folder, which `cast` keeps as MEDIA_ROOT for the whole module."""
    return private_root


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker, private_root):
    folders = override_settings(
        MEDIA_ROOT=private_root / "public", PRIVATE_MEDIA_ROOT=private_root / "private"
    )
    with folders, django_db_blocker.unblock(), transaction.atomic():
        cast = build_cast()
        cast["sessions"] = _sessions(cast)
        yield cast
        transaction.set_rollback(True)


def _sessions(cast):
    """A signed-in session per role, made once: signing in for each of the matrix's
    thousand requests would cost a quarter of its time."""
    client = Client()
    sessions = {}
    for role in [*ROLES[1:], "staff_x"]:
        client.cookies.clear()  # or signing in the next user would end this one's session
        client.force_login(cast[role])
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


@pytest.fixture(autouse=True)
def quick_certificate_pdf(monkeypatch):
    """Who may fetch a PDF is the view's; drawing it is WeasyPrint's, three seconds the
    first time and a third of one after (tests/evaluation/views/test_verification.py and
    test_decisions.py draw them)."""
    monkeypatch.setattr("evaluation.verification.pdf_bytes", lambda request, c: b"%PDF-1.4\n")
    monkeypatch.setattr("evaluation.papers.certificates_pdf", lambda request, c: b"%PDF-1.4\n")
    monkeypatch.setattr("evaluation.papers.decision_pdf", lambda request, d: b"%PDF-1.4\n")
