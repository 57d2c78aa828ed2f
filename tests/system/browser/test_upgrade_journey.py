"""The city office approves a four-star upgrade as the act it is; the catalogue shows it at once.

The dossier page offers "Công nhận 4 sao" as a link to its confirmation; the office types
the decision's number and signer from the signed paper and confirms. A second tab left on
the confirmation cannot take the decision again.
"""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from evaluation.models import (
    Certificate,
    Council,
    CouncilResult,
    Decision,
    Dossier,
    EvaluationRound,
    OfficialRole,
    Rulebook,
    Sheet,
)
from registry.models import AdministrativeUnit, ProductSet
from tests.factories import ProductFactory, certificate_of, commune, district
from tests.system.browser.conftest import account, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city_result(reference_data):
    hanoi = AdministrativeUnit.objects.get(level="province", code="01")
    rulebook = Rulebook.objects.get(code="qd148-2023")
    council = Council.objects.create(
        name="Hội đồng OCOP thành phố Hà Nội", level="province", unit=hanoi
    )
    round_ = EvaluationRound.objects.create(
        name="Hà Nội 2024 — cấp thành phố",
        rulebook=rulebook,
        level="province",
        unit=hanoi,
        council=council,
        opens_on=date(2024, 8, 1),
        closes_on=date(2024, 12, 20),
    )
    product = ProductFactory(
        name="Bưởi Diễn Thư Lâm",
        stars=3,
        product_set=ProductSet.objects.get(number=1),
        producer__commune=commune("Xã Thư Lâm"),
        producer__district=district("017"),
    )
    dossier = Dossier.objects.create(
        round=round_,
        product=product,
        kind=Dossier.Kind.UPGRADE,
        sheet=Sheet.objects.get(rulebook=rulebook, product_set__number=1),
    )
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.RESULT)
    CouncilResult.objects.create(
        dossier=dossier,
        outcome="final",
        cards=4,
        mean=Decimal("82.00"),
        band_stars=4,
        stars=4,
        spread=3,
    )
    office = account("vp.hanoi", "Trịnh Văn Nam")
    OfficialRole.objects.create(user=office, kind="office", level="province", unit=hanoi)
    return {"dossier": dossier, "product": product, "old": certificate_of(product)}


def test_city_office_approves_a_four_star_upgrade_and_the_catalogue_shows_it(
    page, live_server, city_result, snap
):
    product, old = city_result["product"], city_result["old"]
    page.goto(f"{live_server.url}/?q=buoi+dien")
    expect(page.locator("#results .stars")).to_have_attribute("aria-label", "3 sao")

    log_in(page, live_server, "vp.hanoi")
    dossier_url = f"{live_server.url}/ho-so/{city_result['dossier'].pk}/"
    page.goto(dossier_url)
    expect(page.locator("#decide")).to_contain_text("quyết định")
    page.click("#decide-recognised")  # "Công nhận 4 sao": a link, nothing decided yet
    expect(page.locator("#decision-verb")).to_have_text("Công nhận 4 sao")
    expect(page.locator("#basis-mean")).to_have_text("82,00")
    expect(page.locator("#id_authority")).to_have_value("UBND thành phố Hà Nội")
    assert not Certificate.objects.filter(dossier=city_result["dossier"]).exists()
    stale = page.context.new_page()  # the same confirmation left open in a second tab
    stale.goto(page.url)
    snap("confirmation")

    page.fill("#id_number", "2345/QĐ-UBND")
    page.fill("#id_signer_name", "Đào Văn Bình")
    page.fill("#id_signer_title", "Phó Chủ tịch")
    page.click("#confirm-decision")
    expect(page.locator("#dossier-status")).to_have_text("Được công nhận")
    expect(page.locator("#issued-certificate")).to_contain_text("4 sao")
    expect(page.locator("#acts")).to_contain_text("2345/QĐ-UBND")
    snap("approved")

    # Confirming again from the stale tab leaves one decision and one certificate.
    stale.fill("#id_number", "2346/QĐ-UBND")
    stale.fill("#id_signer_name", "Đào Văn Bình")
    stale.click("#confirm-decision")
    expect(stale.locator(".alert-danger")).to_contain_text("Được công nhận")
    assert Certificate.objects.filter(dossier=city_result["dossier"]).count() == 1
    assert Decision.objects.count() == 1

    new = Certificate.objects.get(dossier=city_result["dossier"])
    old.refresh_from_db()
    assert old.superseded_by == new

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/?q=buoi+dien")
    expect(page.locator("#results .stars")).to_have_attribute("aria-label", "4 sao")
    snap("catalogue-shows-4-stars")
    page.click(f"text={product.name}")
    expect(page.locator("#certificate")).to_contain_text(new.number)
    expect(page.locator("#certificate")).to_contain_text("Tỉnh / thành phố")
