"""A producer's dossier from start to filing (evaluation.views.filing): started for their
own product in an open round, papers attached, replaced and removed until it is filed,
filed through a page that lists what is missing. Who may do each, in which state."""

from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Dossier, DossierDocument, DossierStatusChange, Scorecard
from tests.factories import PDF, bare_round, commune, complete_papers, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db
S = Dossier.Status


@pytest.fixture
def open_round(qd26):
    """Xã Hoài Đức's check under Decision 26/2026, open today."""
    today = timezone.localdate()
    round_ = bare_round(qd26, "commune", commune("Xã Hoài Đức"), "Xã Hoài Đức 2026 đợt 2")
    round_.opens_on, round_.closes_on = today - timedelta(days=10), today + timedelta(days=20)
    round_.save()
    return round_


@pytest.fixture
def own_product(cast):
    """A second product of the owner's producer, with no dossier yet."""
    from tests.factories import ProductFactory

    return ProductFactory(
        producer=cast["producer"], product_set=cast["product"].product_set, stars=None
    )


def start(client, product, round_, kind="first"):
    return client.post(
        reverse("evaluation:start"), {"product": product.pk, "round": round_.pk, "kind": kind}
    )


# ---------------------------------------------------------------- starting
def test_the_owner_starts_a_draft_for_their_product_in_an_open_round(
    as_user, cast, open_round, own_product
):
    client = as_user(cast["owner"])
    page = client.get(reverse("evaluation:start")).content.decode()
    assert own_product.name in page and open_round.name in page
    response = start(client, own_product, open_round)
    dossier = Dossier.objects.get(product=own_product)
    assert response.url == reverse("evaluation:dossier", args=[dossier.pk])
    assert (dossier.status, dossier.round, dossier.kind) == (S.DRAFT, open_round, "first")
    assert dossier.sheet.product_set_id == own_product.product_set_id


def test_two_clicks_leave_one_dossier(as_user, cast, open_round, own_product):
    client = as_user(cast["owner"])
    start(client, own_product, open_round)
    start(client, own_product, open_round)
    assert Dossier.objects.filter(product=own_product).count() == 1


def test_nobody_starts_one_for_someone_elses_product(as_user, cast, open_round, own_product):
    assert start(as_user(cast["stranger"]), own_product, open_round).status_code == 404
    assert not Dossier.objects.filter(product=own_product).exists()


@pytest.mark.parametrize("who", ["citizen", "member1", "secretary", "district_office"])
def test_the_page_is_a_404_for_anyone_without_a_producer(as_user, cast, who):
    assert as_user(cast[who]).get(reverse("evaluation:start")).status_code == 404


def test_a_closed_round_or_another_area_is_refused_in_words(
    as_user, cast, qd26, open_round, own_product
):
    from tests.factories import province

    far = bare_round(qd26, "commune", province("33"), "Hưng Yên 2026")
    far.opens_on = open_round.opens_on
    far.closes_on = open_round.closes_on
    far.save()
    client = as_user(cast["owner"])
    response = start(client, own_product, far)
    assert response.status_code == 302
    assert not Dossier.objects.filter(product=own_product).exists()
    open_round.closes_on = timezone.localdate() - timedelta(days=1)
    open_round.save()
    start(client, own_product, open_round)
    assert not Dossier.objects.filter(product=own_product).exists()


def test_a_product_with_a_dossier_under_way_is_not_started_twice(as_user, cast, qd26, open_round):
    # cast["product"] is being scored in Hoài Đức's round.
    start(as_user(cast["owner"]), cast["product"], open_round)
    assert Dossier.objects.filter(product=cast["product"]).count() == 1


def test_a_reevaluation_needs_a_certificate_in_force(as_user, cast, open_round, own_product):
    start(as_user(cast["owner"]), own_product, open_round, kind="reevaluation")
    assert not Dossier.objects.filter(product=own_product).exists()


# ---------------------------------------------------------------- papers
@pytest.fixture
def draft(as_user, cast, open_round, own_product):
    start(as_user(cast["owner"]), own_product, open_round)
    return Dossier.objects.get(product=own_product)


def upload(client, dossier, paper="registration_form", file=None, title=""):
    return client.post(
        reverse("evaluation:upload", args=[dossier.pk]),
        {"paper": paper, "title": title, "file": file or pdf_upload()},
    )


def test_a_paper_attached_by_its_name_ticks_the_checklist(as_user, cast, draft):
    client = as_user(cast["owner"])
    upload(client, draft)
    document = draft.documents.get()
    assert document.paper == "registration_form"
    assert "Mẫu số 01" in document.title
    page = client.get(reverse("evaluation:dossier", args=[draft.pk])).content.decode()
    assert 'id="checklist-count"' in page and "1/3" in page


def test_a_word_file_is_told_to_become_a_pdf(as_user, cast, draft):
    word = SimpleUploadedFile("phieu-dang-ky.docx", b"PK\x03\x04" + b"\0" * 200)
    response = upload(as_user(cast["owner"]), draft, file=word)
    said = " ".join(str(m) for m in response.wsgi_request._messages)
    assert "Word" in said and "PDF" in said
    assert not draft.documents.exists()


def test_the_form_says_which_files_are_accepted_before_anyone_tries(as_user, cast, draft):
    page = as_user(cast["owner"]).get(reverse("evaluation:dossier", args=[draft.pk]))
    assert "JPEG, PNG" in page.content.decode() and "Word" in page.content.decode()


def test_a_paper_is_replaced_and_its_old_file_is_gone(as_user, cast, draft):
    client = as_user(cast["owner"])
    upload(client, draft)
    document = draft.documents.get()
    old = document.file.name
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda f, *a, **k: f())
        client.post(
            reverse("evaluation:document_replace", args=[draft.pk, document.pk]),
            {"file": pdf_upload("moi.pdf", pdf_bytes("phiên bản 2"))},
        )
    document.refresh_from_db()
    assert document.file.name != old
    assert not storages["private"].exists(old)
    assert document.file.read() == pdf_bytes("phiên bản 2")


def test_a_paper_is_removed_with_its_file(as_user, cast, draft):
    client = as_user(cast["owner"])
    upload(client, draft)
    document = draft.documents.get()
    name = document.file.name
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda f, *a, **k: f())
        client.post(reverse("evaluation:document_remove", args=[draft.pk, document.pk]))
    assert not draft.documents.exists()
    assert not storages["private"].exists(name)


@pytest.mark.parametrize("status", [S.SUBMITTED, S.CHECKED, S.SCORING, S.RESULT, S.RECOGNISED])
def test_once_filed_nothing_is_replaced_or_removed(as_user, cast, draft, status):
    client = as_user(cast["owner"])
    upload(client, draft)
    document = draft.documents.get()
    Dossier.objects.filter(pk=draft.pk).update(status=status)
    client.post(
        reverse("evaluation:document_replace", args=[draft.pk, document.pk]),
        {"file": pdf_upload("moi.pdf", pdf_bytes("khác"))},
    )
    client.post(reverse("evaluation:document_remove", args=[draft.pk, document.pk]))
    document.refresh_from_db()
    assert document.file.read() == PDF


def test_a_returned_dossier_takes_changes_again(as_user, cast, draft):
    client = as_user(cast["owner"])
    upload(client, draft)
    document = draft.documents.get()
    Dossier.objects.filter(pk=draft.pk).update(status=S.RETURNED)
    client.post(reverse("evaluation:document_remove", args=[draft.pk, document.pk]))
    assert not draft.documents.exists()


@pytest.mark.parametrize(("who", "code"), [("stranger", 404), ("citizen", 404)])
def test_strangers_get_a_404_for_anothers_papers(as_user, cast, draft, who, code):
    upload(as_user(cast["owner"]), draft)
    document = draft.documents.get()
    client = as_user(cast[who])
    remove = reverse("evaluation:document_remove", args=[draft.pk, document.pk])
    replace = reverse("evaluation:document_replace", args=[draft.pk, document.pk])
    assert client.post(remove).status_code == code
    assert client.post(replace, {"file": pdf_upload()}).status_code == code
    assert DossierDocument.objects.filter(pk=document.pk).exists()


def test_a_secretary_changes_no_papers_of_a_filed_dossier(as_user, cast):
    dossier = cast["dossier"]  # being scored by the secretary's council
    document = cast["document"]
    client = as_user(cast["secretary"])
    remove = reverse("evaluation:document_remove", args=[dossier.pk, document.pk])
    assert client.post(remove).status_code == 403
    assert DossierDocument.objects.filter(pk=document.pk).exists()


def test_a_document_of_another_dossier_is_a_404(as_user, cast, draft):
    client = as_user(cast["owner"])
    other = cast["document"]  # the owner's, but of the cast's dossier
    url = reverse("evaluation:document_remove", args=[draft.pk, other.pk])
    assert client.post(url).status_code == 404


# ---------------------------------------------------------------- filing
def test_filing_an_incomplete_dossier_lists_what_is_missing_and_files_nothing(as_user, cast, draft):
    client = as_user(cast["owner"])
    page = client.get(reverse("evaluation:file", args=[draft.pk])).content.decode()
    assert 'id="file-missing"' in page and "Mẫu số 01" in page and "Mẫu số 02" in page
    assert 'id="confirm-file"' not in page
    client.post(reverse("evaluation:file", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    # The one-click path of the dossier page refuses it in the same words.
    client.post(reverse("evaluation:transition", args=[draft.pk]), {"target": "submitted"})
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_a_complete_dossier_is_filed_once_through_the_confirmation(as_user, cast, draft):
    client = as_user(cast["owner"])
    upload(client, draft, "registration_form")
    upload(client, draft, "self_assessment_report")
    Scorecard.objects.create(
        dossier=draft,
        kind=Scorecard.Kind.SELF,
        author=cast["owner"],
        status=Scorecard.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    page = client.get(reverse("evaluation:file", args=[draft.pk])).content.decode()
    assert 'id="confirm-file"' in page
    client.post(reverse("evaluation:file", args=[draft.pk]), {"note": "Gửi UBND xã"})
    client.post(reverse("evaluation:file", args=[draft.pk]), {"note": "Gửi UBND xã"})
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    assert DossierStatusChange.objects.filter(dossier=draft, to_status=S.SUBMITTED).count() == 1


def test_the_dossier_page_sends_the_producer_to_the_filing_page(as_user, cast, draft):
    page = as_user(cast["owner"]).get(reverse("evaluation:dossier", args=[draft.pk]))
    body = page.content.decode()
    assert reverse("evaluation:file", args=[draft.pk]) in body
    assert "Nộp hồ sơ" in body and "Đã nộp" not in body.split('id="next-step"')[1][:600]


@pytest.mark.parametrize("who", ["secretary", "district_office", "inspector", "member1"])
def test_officials_do_not_file_for_the_producer(as_user, cast, who):
    dossier = cast["dossier"]
    Dossier.objects.filter(pk=dossier.pk).update(status=S.RETURNED)
    complete_papers(dossier)
    response = as_user(cast[who]).post(reverse("evaluation:file", args=[dossier.pk]))
    assert response.status_code in (403, 404)
    dossier.refresh_from_db()
    assert dossier.status == S.RETURNED


def test_hostile_start_values_are_a_message_not_an_error(as_user, cast):
    client = as_user(cast["owner"])
    for data in (
        {"product": "x", "round": "1", "kind": "first"},
        {"product": str(2**70), "round": "1", "kind": "first"},
        {"product": "1", "round": "1", "kind": "everything"},
        {},
    ):
        assert client.post(reverse("evaluation:start"), data).status_code in (302, 404)


def test_the_start_page_costs_the_same_whatever_the_products(as_user, cast, open_round):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ProductFactory, new_product

    client = as_user(cast["owner"])

    def queries():
        client.get(reverse("evaluation:start"))  # the session and caches warmed
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("evaluation:start")).status_code == 200
        return len(captured)

    small = queries()
    for n in range(12):  # certified and not, each with its own commune chain
        if n % 2:
            ProductFactory(producer=cast["producer"], product_set=cast["product"].product_set)
        else:
            product = new_product()
            product.producer = cast["producer"]
            product.save()
    assert queries() == small
