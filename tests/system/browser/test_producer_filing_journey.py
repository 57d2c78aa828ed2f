"""A producer completes and files a dossier in the browser, on a phone and on an office PC.

She signs in to her to-do page and opens her draft (the registration form attached) from
it, reads on the filing page what is
missing, attaches the self-assessment report naming the paper, scores the last criterion
of her self-assessment, and files through the confirmation: the page then says it is
filed, and the papers can no longer be changed.
"""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from evaluation import scoring
from evaluation.models import Answer, Council, Dossier, DossierDocument, EvaluationRound, Sheet
from tests.factories import PDF, ProductFactory, commune, pdf_bytes
from tests.system.browser.conftest import account, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(reference_data, qd26):
    today = timezone.localdate()
    xa = commune("Xã Đông Anh")
    council = Council.objects.create(name="UBND Xã Đông Anh", level="commune", unit=xa)
    round_ = EvaluationRound.objects.create(
        name="Xã Đông Anh 2026 — tiếp nhận hồ sơ",
        rulebook=qd26,
        level="commune",
        unit=xa,
        council=council,
        opens_on=today - timedelta(days=30),
        closes_on=today + timedelta(days=30),
    )
    product = ProductFactory(name="Trà hoa cúc Đông Anh", stars=None, certified=False)
    product.producer.commune = xa
    product.producer.save()
    owner = account("sx.vannoi", "Lê Thị Hoa")
    product.producer.users.add(owner)
    sheet = Sheet.objects.get(rulebook=qd26, product_set=product.product_set)
    dossier = Dossier.objects.create(round=round_, product=product, sheet=sheet)
    form = DossierDocument(dossier=dossier, title="Phiếu đăng ký", paper="registration_form")
    form.file.save("phieu.pdf", ContentFile(PDF), save=False)
    form.save()
    # Every criterion but the last already scored by her earlier: the page takes the last.
    card = scoring.self_assessment(dossier, owner)
    criteria = list(sheet.criteria.order_by("position", "pk").prefetch_related("options"))
    Answer.objects.bulk_create(
        Answer(scorecard=card, criterion=c, option=c.options.order_by("points").last())
        for c in criteria[:-1]
    )
    return {"dossier": dossier, "last": criteria[-1]}


@pytest.mark.parametrize("width", [390, 1366])
def test_a_producer_completes_and_files_her_dossier(
    page, live_server, draft, snap, tmp_path, width
):
    page.set_viewport_size({"width": width, "height": 900})
    dossier = draft["dossier"]
    log_in(page, live_server, "sx.vannoi")
    # Signed in, she lands on her to-do page, where the draft waits to be filed.
    expect(page).to_have_url(f"{live_server.url}/viec-can-lam/")
    task = page.locator('.todo-task[data-kind="file"]')
    expect(task).to_contain_text("Trà hoa cúc Đông Anh")
    snap(f"todo-{width}")
    task.get_by_role("link", name="Nộp hồ sơ").click()
    expect(page.locator("#file-missing")).to_contain_text("Mẫu số 02")
    expect(page.locator("#confirm-file")).to_have_count(0)
    snap(f"missing-{width}")

    page.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
    report = tmp_path / "bao-cao-tu-danh-gia.pdf"
    report.write_bytes(pdf_bytes("Báo cáo tự đánh giá"))
    page.select_option("#id_paper", "self_assessment_report")
    page.set_input_files("#id_file", str(report))
    page.click("#attach button[type=submit]")
    expect(page.locator("#checklist-count")).to_contain_text("2/3")

    page.click("#checklist a[href$='/tu-danh-gia/']")
    last = draft["last"]
    page.locator(f"input[name='c{last.pk}']").last.check()
    expect(page.locator("#save-status")).to_contain_text("Đã lưu", timeout=15_000)
    page.goto(f"{live_server.url}/ho-so/{dossier.pk}/")
    expect(page.locator("#checklist-count")).to_contain_text("3/3")
    page.click("#file-dossier")
    expect(page.locator("#file-ready")).to_be_visible()
    snap(f"ready-{width}")
    page.click("#confirm-file")
    expect(page.locator("#dossier-status")).to_have_text("Đã nộp")
    snap(f"filed-{width}")
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED
    expect(page.locator("#attach")).to_have_count(0)
