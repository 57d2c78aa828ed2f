"""A decision is a legal act: confirmed on its own page with the act's number, date, signer
and authority, never in one click; then listed, printed, and its certificates printed in
batches. Who may do each, in each dossier state."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evaluation import acts, papers
from evaluation.models import Certificate, Decision, Dossier
from tests.factories import (
    ProductFactory,
    at_result,
    bare_round,
    certificate_of,
    commune,
    district,
    give_result,
    make_dossier,
    new_product,
    office_of,
)

pytestmark = pytest.mark.django_db

S = Dossier.Status


@pytest.fixture
def decided(cast):
    """The cast's Hoài Đức dossier (Decision 148) with a final 3★ result."""
    dossier = cast["dossier"]
    Dossier.objects.filter(pk=dossier.pk).update(status=S.RESULT)
    give_result(dossier, stars=3, mean="65.50", cards=3, spread=2)
    dossier.refresh_from_db()
    return {**cast, "dossier": dossier}


def decide_url(dossier, action="cong-nhan"):
    return reverse("evaluation:decide", kwargs={"pk": dossier.pk, "action": action})


def dossier_url(dossier):
    return reverse("evaluation:dossier", kwargs={"pk": dossier.pk})


def act_form(number="12/QĐ-UBND", **fields):
    return {
        "number": number,
        "signed_on": timezone.localdate().isoformat(),
        "authority": "UBND huyện Hoài Đức",
        "signer_name": "Nguyễn Văn An",
        "signer_title": "Chủ tịch",
        **fields,
    }


# ---------------------------------------------------------------- never one click
def test_the_dossier_page_offers_verbs_and_links_decisions_to_their_confirmation(as_user, decided):
    response = as_user(decided["district_office"]).get(dossier_url(decided["dossier"]))
    body = response.content.decode()
    assert "Công nhận 3 sao" in body
    assert "Không công nhận" in body
    assert f'href="{decide_url(decided["dossier"])}"' in body
    assert f'href="{decide_url(decided["dossier"], "khong-cong-nhan")}"' in body
    # No form posts a decision from the dossier page.
    assert 'value="recognised"' not in body and 'value="not_recognised"' not in body
    assert [a.verb for a in response.context["moves"]] == ["Mở lại chấm điểm"]


def test_posting_a_decision_as_a_status_move_only_leads_to_its_confirmation(as_user, decided):
    client = as_user(decided["district_office"])
    response = client.post(
        reverse("evaluation:transition", kwargs={"pk": decided["dossier"].pk}),
        {"target": "recognised"},
    )
    assert response.status_code == 302
    assert response["Location"] == decide_url(decided["dossier"])
    decided["dossier"].refresh_from_db()
    assert decided["dossier"].status == S.RESULT
    assert not Decision.objects.exists() and not Certificate.objects.exists()


def test_the_confirmation_shows_the_result_and_the_stars_and_prefills_the_authority(
    as_user, decided
):
    response = as_user(decided["district_office"]).get(decide_url(decided["dossier"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "65,50" in body  # the mean, as Vietnamese write it
    assert response.context["stars"] == 3
    form = response.context["form"]
    assert form["authority"].value() == "UBND huyện Hoài Đức"
    assert form["signer_title"].value() == "Chủ tịch"
    assert form["signed_on"].value() == timezone.localdate()
    assert not Decision.objects.exists()  # looking decides nothing


def test_confirming_records_the_act_and_issues_the_certificate(as_user, decided):
    client = as_user(decided["district_office"])
    response = client.post(decide_url(decided["dossier"]), act_form())
    assert response.status_code == 302
    assert response["Location"] == dossier_url(decided["dossier"])
    [record] = Decision.objects.all()
    assert (record.number, record.authority, record.signer_name, record.signer_title) == (
        "12/QĐ-UBND",
        "UBND huyện Hoài Đức",
        "Nguyễn Văn An",
        "Chủ tịch",
    )
    assert record.created_by == decided["district_office"]
    assert Certificate.objects.get(dossier=decided["dossier"]).decision == record
    page = client.get(dossier_url(decided["dossier"]))
    body = page.content.decode()
    assert "12/QĐ-UBND" in body
    # The audit trail says it in a sentence, with who.
    assert "ghi nhận quyết định công nhận số 12/QĐ-UBND" in body
    # The next time, the office's signer is offered again.
    other = at_result(decided["round"], new_product(), stars=3, mean="60.00")
    form = client.get(decide_url(other)).context["form"]
    assert form["signer_name"].value() == "Nguyễn Văn An"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("number", "", "bắt buộc"),
        ("signer_name", "  ", "bắt buộc"),
        ("authority", "", "bắt buộc"),
        ("signed_on", "", "bắt buộc"),
        ("signed_on", "31/02/2026", ""),
        ("signed_on", "tomorrow", ""),
    ],
)
def test_an_incomplete_act_is_refused_and_nothing_is_written(as_user, decided, field, value, words):
    response = as_user(decided["district_office"]).post(
        decide_url(decided["dossier"]), act_form(**{field: value})
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert words in str(response.context["form"].errors[field])
    assert not Decision.objects.exists() and not Certificate.objects.exists()


def test_an_act_dated_tomorrow_or_before_the_round_is_refused(as_user, decided):
    client = as_user(decided["district_office"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(decide_url(decided["dossier"]), act_form(signed_on=tomorrow))
    assert response.status_code == 400
    assert "sau hôm nay" in str(response.context["form"].errors["signed_on"])
    before = (decided["round"].opens_on - timedelta(days=1)).isoformat()
    response = client.post(decide_url(decided["dossier"]), act_form(signed_on=before))
    assert response.status_code == 400
    assert not Decision.objects.exists()


def test_a_duplicate_number_is_refused_with_a_clear_message(as_user, decided):
    client = as_user(decided["district_office"])
    client.post(decide_url(decided["dossier"]), act_form("12/QĐ-UBND"))
    other = at_result(decided["round"], new_product(), stars=3, mean="60.00")

    response = client.post(decide_url(other), act_form("12 / qđ-ubnd"))

    assert response.status_code == 400
    message = str(response.context["form"].errors["number"])
    assert "12/QĐ-UBND" in message and "đã được ghi nhận" in message
    other.refresh_from_db()
    assert other.status == S.RESULT
    assert Decision.objects.count() == 1


def test_submitting_the_confirmation_twice_leaves_one_decision(as_user, decided):
    client = as_user(decided["district_office"])
    first = client.post(decide_url(decided["dossier"]), act_form("12/QĐ-UBND"))
    again = client.post(decide_url(decided["dossier"]), act_form("13/QĐ-UBND"), follow=True)
    assert first.status_code == 302
    assert again.redirect_chain[-1][0] == dossier_url(decided["dossier"])
    assert "Được công nhận" in again.content.decode()
    assert Decision.objects.count() == 1
    assert Certificate.objects.filter(dossier=decided["dossier"]).count() == 1


def test_not_recognising_needs_reasons_and_records_the_notice(as_user, decided):
    client = as_user(decided["district_office"])
    url = decide_url(decided["dossier"], "khong-cong-nhan")
    assert client.post(url, act_form()).status_code == 400
    assert client.post(url, act_form(note="Hồ sơ thiếu phiếu kiểm nghiệm")).status_code == 302
    [record] = Decision.objects.all()
    assert (record.kind, record.note) == ("refusal", "Hồ sơ thiếu phiếu kiểm nghiệm")
    assert not Certificate.objects.exists()


def test_an_unknown_decision_is_404(as_user, decided):
    client = as_user(decided["district_office"])
    assert client.get(decide_url(decided["dossier"], "xoa-bo")).status_code == 404


def test_one_act_covers_the_products_ticked_beside_it(as_user, decided):
    round_ = decided["round"]
    second = at_result(round_, new_product(name="Rau cải"), stars=4, mean="76.00")
    low = at_result(round_, new_product(name="Rau muống"), stars=2, mean="41.00")
    client = as_user(decided["district_office"])
    page = client.get(decide_url(decided["dossier"]))
    offered = [other for other, _result, _stars in page.context["companions"]]
    assert offered == [second]  # a 2★ result is not recognised with the others

    response = client.post(decide_url(decided["dossier"]), act_form(also=[second.pk]))

    assert response.status_code == 302
    [record] = Decision.objects.all()
    assert set(Certificate.objects.filter(decision=record).values_list("dossier", flat=True)) == {
        decided["dossier"].pk,
        second.pk,
    }
    # A product not offered cannot be slipped in.
    other = at_result(round_, new_product(), stars=3, mean="60.00")
    response = client.post(decide_url(other), act_form("14/QĐ-UBND", also=[low.pk]))
    assert response.status_code == 400
    low.refresh_from_db()
    assert low.status == S.RESULT


STATES = [S.DRAFT, S.SUBMITTED, S.RETURNED, S.CHECKED, S.SCORING, S.RESULT, S.RECOGNISED]
STATES += [S.FORWARDED, S.NOT_RECOGNISED]


@pytest.mark.parametrize("status", STATES)
def test_the_confirmation_opens_only_on_a_result(as_user, decided, status):
    Dossier.objects.filter(pk=decided["dossier"].pk).update(status=status)
    client = as_user(decided["district_office"])
    for action in ("cong-nhan", "chuyen-len", "khong-cong-nhan"):
        response = client.get(decide_url(decided["dossier"], action))
        if status == S.DRAFT:
            assert response.status_code == 404  # a draft is its producer's alone
        elif status == S.RESULT and action != "chuyen-len":  # no city round to send it to
            assert response.status_code == 200, action
        else:
            assert response.status_code == 302, (status, action)
            assert response["Location"] == dossier_url(decided["dossier"])
    if status not in (S.DRAFT, S.RESULT):
        for action in ("cong-nhan", "chuyen-len", "khong-cong-nhan"):
            response = client.post(decide_url(decided["dossier"], action), act_form(note="Lý do"))
            assert response.status_code == 302
        assert not Decision.objects.exists()


# ---------------------------------------------------------------- 26/2026 on the page
@pytest.fixture
def hanoi_90(qd26, hanoi):
    province = bare_round(qd26, "province", hanoi, "Hà Nội 2026 đợt 1")
    bare_round(qd26, "central", None, "Trung ương 2026")
    dossier = make_dossier(province, S.RESULT, product=new_product(district_code=None))
    give_result(dossier, 5, "93.00")
    return dossier


def test_a_90_result_at_the_province_is_only_approved_and_sent_up(as_user, people, hanoi_90):
    client = as_user(people["city_office"])
    page = client.get(dossier_url(hanoi_90))
    body = page.content.decode()
    assert "Phê duyệt kết quả, chuyển lên cấp trên" in body
    assert decide_url(hanoi_90) not in body  # no "Công nhận 4 sao"
    assert "tiềm năng đạt 5 sao" in body  # and why not, in words
    assert client.get(decide_url(hanoi_90)).status_code == 302
    confirm = client.get(decide_url(hanoi_90, "chuyen-len"))
    assert confirm.status_code == 200
    assert confirm.context["stars"] is None
    assert "Cấp này không cấp giấy chứng nhận" in confirm.content.decode()
    response = client.post(
        decide_url(hanoi_90, "chuyen-len"), act_form(authority="UBND thành phố Hà Nội")
    )
    assert response.status_code == 302
    assert not Certificate.objects.exists()
    assert Decision.objects.get().kind == "forwarding"


# ---------------------------------------------------------------- the acts, listed and printed
@pytest.fixture
def recorded(as_user, decided):
    as_user(decided["district_office"]).post(decide_url(decided["dossier"]), act_form())
    return {**decided, "decision": Decision.objects.get()}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("district_office", 200),
        ("inspector", 200),  # Hà Nội's inspector reads its districts' acts
        ("admin", 200),
        ("city_office", 404),  # another level's office
        ("far_inspector", 404),
        ("owner", 404),
        ("secretary", 404),
        ("citizen", 404),
    ],
)
def test_an_act_is_open_to_its_office_and_the_inspectors_above(as_user, recorded, who, status):
    client = as_user(recorded[who])
    page = reverse("evaluation:decision", kwargs={"pk": recorded["decision"].pk})
    assert client.get(page).status_code == status
    listing = client.get(reverse("evaluation:decisions"))
    if who in ("owner", "secretary", "citizen"):
        assert listing.status_code == 404
    else:
        shown = [d.pk for d in listing.context["rows"]]
        assert (recorded["decision"].pk in shown) == (status == 200)


def test_the_act_page_lists_its_products_legal_basis_and_history(as_user, recorded):
    response = as_user(recorded["district_office"]).get(
        reverse("evaluation:decision", kwargs={"pk": recorded["decision"].pk})
    )
    body = response.content.decode()
    for words in [
        "UBND huyện Hoài Đức",
        "Số: 12/QĐ-UBND",
        "Căn cứ Quyết định số 148/QĐ-TTg",
        recorded["product"].name,
        certificate_of(recorded["product"]).number,
        "Nguyễn Văn An",
        "Văn bản gốc có chữ ký và dấu",
    ]:
        assert words in body, words
    [change] = response.context["changes"]
    assert "ghi nhận quyết định công nhận số 12/QĐ-UBND" in change.sentence


def test_a_change_to_an_act_is_told_in_a_sentence(recorded, people):
    record = recorded["decision"]
    record.signer_name = "Nguyễn Văn Bình"
    record._history_user = people["admin"]
    record.save()
    [_created, changed] = papers.decision_changes(record)
    assert changed.actor == people["admin"]
    assert "người ký từ “Nguyễn Văn An” thành “Nguyễn Văn Bình”" in changed.sentence


def test_the_act_prints_as_a_pdf_with_its_products(as_user, recorded):
    response = as_user(recorded["district_office"]).get(
        reverse("evaluation:decision_pdf", kwargs={"pk": recorded["decision"].pk})
    )
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    for words in ["QUYẾT ĐỊNH", "12/QĐ-UBND", recorded["product"].name, "148/QĐ-TTg"]:
        assert words in text, words


# ---------------------------------------------------------------- certificates in batches
@pytest.fixture
def no_weasyprint(monkeypatch):
    """Which certificates go in: the view's; drawing them: WeasyPrint's (tested below)."""
    drawn = []

    def draw(request, certificates):
        drawn.append([c.pk for c in certificates])
        return b"%PDF-1.4\n"

    monkeypatch.setattr(papers, "certificates_pdf", draw)
    return drawn


def test_a_decisions_certificates_print_in_one_pdf(as_user, recorded, no_weasyprint):
    client = as_user(recorded["district_office"])
    url = reverse("evaluation:certificates_pdf") + f"?quyet-dinh={recorded['decision'].pk}"
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert no_weasyprint == [[certificate_of(recorded["product"]).pk]]
    assert as_user(recorded["city_office"]).get(url).status_code == 404
    assert as_user(recorded["owner"]).get(url).status_code == 404


def test_ticked_certificates_print_only_within_scope_and_bounded(
    as_user, people, no_weasyprint, monkeypatch
):
    mine = [ProductFactory(stars=4) for _ in range(3)]  # Hà Nội's, by the province
    elsewhere = ProductFactory(
        stars=4, producer__commune=commune("Phường Bà Rịa", "79"), producer__district=None
    )
    client = as_user(people["city_office"])
    url = reverse("evaluation:certificates_pdf")
    ids = [certificate_of(p).pk for p in mine]
    assert client.get(url, {"id": ids}).status_code == 200
    assert no_weasyprint == [sorted(ids, key=lambda i: Certificate.objects.get(pk=i).product.name)]
    # One outside the office's scope and the whole batch is refused, as if it did not exist.
    assert client.get(url, {"id": [*ids, certificate_of(elsewhere).pk]}).status_code == 404
    assert client.get(url, {"id": ["x"]}).status_code == 404
    assert client.get(url).status_code == 302  # nothing ticked: back to the list
    monkeypatch.setattr(papers, "BATCH_LIMIT", 2)
    refused = client.get(url, {"id": ids})
    assert refused.status_code == 400
    assert "tối đa 2" in refused.content.decode()


def test_a_batch_pdf_has_one_page_per_certificate(as_user, people):
    products = [ProductFactory(stars=4, name=f"Chè Ba Vì {n}") for n in range(2)]
    response = as_user(people["city_office"]).get(
        reverse("evaluation:certificates_pdf"),
        {"id": [certificate_of(p).pk for p in products]},
    )
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 2
    assert "Chè Ba Vì 0" in pages[0].extract_text()
    assert "Chè Ba Vì 1" in pages[1].extract_text()


# ---------------------------------------------------------------- the certificate paper
def test_the_certificate_carries_its_act_legal_basis_and_a_place_to_sign_and_seal(client, recorded):
    certificate = certificate_of(recorded["product"])
    response = client.get(reverse("evaluation:certificate_pdf", args=[certificate.number]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    day = timezone.localdate().strftime("%d/%m/%Y")
    for words in [
        "UBND HUYỆN HOÀI ĐỨC",  # the issuing authority, at the head as on the paper
        f"Số 12/QĐ-UBND ngày {day}",
        "Quyết định số 148/QĐ-TTg",
        "CHỦ TỊCH",
        "Nguyễn Văn An",
        "Nơi ký và đóng dấu",
    ]:
        assert words in text, words


def test_a_certificate_from_before_the_system_says_its_act_is_not_recorded(client):
    certificate = certificate_of(ProductFactory(stars=4))
    response = client.get(reverse("evaluation:certificate_pdf", args=[certificate.number]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert text.count("chưa ghi nhận trong hệ thống") == 3  # decision, legal basis, signer
    verify = client.get(reverse("evaluation:verify", args=[certificate.number]))
    assert "chưa ghi nhận" in verify.content.decode()


def test_the_public_check_names_the_act(client, recorded):
    certificate = certificate_of(recorded["product"])
    body = client.get(reverse("evaluation:verify", args=[certificate.number])).content.decode()
    assert "Số 12/QĐ-UBND" in body and "UBND huyện Hoài Đức" in body


def test_an_office_decides_only_its_own_rounds_of_another_district(as_user, decided):
    other = office_of("vp.myduc", "district", district("282"))
    assert as_user(other).get(decide_url(decided["dossier"])).status_code == 404


def test_the_act_survives_nothing_written_when_refused(as_user, decided):
    # The transition lost to a colleague after the page was opened: the form says so and
    # the act is not kept half-written.
    client = as_user(decided["district_office"])
    page = client.get(decide_url(decided["dossier"]))
    assert page.status_code == 200
    Dossier.objects.filter(pk=decided["dossier"].pk).update(status=S.NOT_RECOGNISED)
    response = client.post(decide_url(decided["dossier"]), act_form(), follow=True)
    assert response.redirect_chain[-1][0] == dossier_url(decided["dossier"])
    assert not Decision.objects.exists()


# ---------------------------------------------------------------- query shapes
def test_the_acts_list_costs_the_same_for_3_or_30_acts(as_user, people, hanoi, qd26):
    client = as_user(people["city_office"])
    client.get(reverse("evaluation:decisions"))  # the menu's to-do count, kept from here on
    counts = []
    for total in (3, 30):
        while Decision.objects.count() < total:
            acts.record(
                acts.Act(
                    f"{Decision.objects.count() + 1}/QĐ-UBND",
                    timezone.localdate(),
                    "Đào Văn Bình",
                    "Phó Chủ tịch",
                    "UBND thành phố Hà Nội",
                ),
                kind="recognition",
                level="province",
                unit=hanoi,
                rulebook=qd26,
                actor=None,
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("evaluation:decisions"))
        assert len(response.context["rows"]) == total
        counts.append(len(queries))
    assert counts[0] == counts[1]
