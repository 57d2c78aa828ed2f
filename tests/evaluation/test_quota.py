"""A dossier holds at most DOSSIER_QUOTA_BYTES of documents (evaluation/quota.py); the
refusal says how much is used and how much is left."""

import pytest
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from evaluation.models import Dossier, DossierDocument
from tests.factories import PDF, ProductFactory, make_dossier, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(cast):
    """The cast's dossier, open for documents; it holds one PDF already (cast["document"])."""
    dossier = cast["dossier"]
    dossier.status = Dossier.Status.DRAFT
    dossier.save()
    return dossier


def test_a_document_that_fits_the_quota_is_kept(settings, draft, media_dirs):
    settings.DOSSIER_QUOTA_BYTES = 2 * len(PDF)
    document = DossierDocument(dossier=draft, title="Phiếu kiểm nghiệm", file=pdf_upload())
    document.full_clean()
    document.save()
    assert draft.documents.count() == 2


def test_a_document_over_the_quota_is_refused_saying_what_is_used_and_left(
    settings, draft, media_dirs, english
):
    settings.DOSSIER_QUOTA_BYTES = len(PDF) + 100
    bigger = pdf_bytes(title="Phiếu kiểm nghiệm " * 20)
    document = DossierDocument(
        dossier=draft, title="Phiếu kiểm nghiệm", file=pdf_upload("kn.pdf", bigger)
    )
    with pytest.raises(ValidationError) as refused:
        document.full_clean()
    [message] = refused.value.message_dict["file"]
    assert f"holds {filesizeformat(len(PDF))} of the {filesizeformat(len(PDF) + 100)}" in message
    assert f"{filesizeformat(100)} is left" in message
    assert f"this file is {filesizeformat(len(bigger))}" in message


def test_the_producer_is_told_on_the_dossier_page(as_user, cast, settings, draft, media_dirs):
    settings.DOSSIER_QUOTA_BYTES = len(PDF) + 100
    response = as_user(cast["owner"]).post(
        reverse("evaluation:upload", args=[draft.pk]),
        {"title": "Phiếu kiểm nghiệm", "file": pdf_upload("kn.pdf")},
    )
    assert response.status_code == 302
    page = as_user(cast["owner"]).get(response["Location"]).content.decode()
    assert "còn lại" in page and filesizeformat(100) in page
    assert draft.documents.count() == 1


def test_the_quota_is_per_dossier(settings, cast, media_dirs):
    """The cast's dossier is full; another dossier of the same producer is not."""
    settings.DOSSIER_QUOTA_BYTES = len(PDF) + 100
    other = make_dossier(
        cast["round"], Dossier.Status.DRAFT, product=ProductFactory(producer=cast["producer"])
    )
    DossierDocument(dossier=other, title="Giấy ATTP", file=pdf_upload()).full_clean()
