"""Every private download (a dossier's document, a product's evidence) leaves as an
attachment named after its title, typed by its bytes, neither sniffed nor stored."""

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.files import private_storage
from evaluation.models import DossierDocument
from registry.models import EvidenceDocument
from tests.factories import PDF, image_upload, pdf_upload

pytestmark = pytest.mark.django_db


def document_url(cast, title, upload):
    document = DossierDocument.objects.create(dossier=cast["dossier"], title=title, file=upload)
    return reverse("evaluation:document", args=[cast["dossier"].pk, document.pk])


def evidence_url(cast, title, upload):
    evidence = EvidenceDocument.objects.create(product=cast["product"], title=title, file=upload)
    return reverse("evaluation:evidence", args=[evidence.pk])


DOWNLOADS = {"document": document_url, "evidence": evidence_url}


def assert_private_attachment(response, content_type, filename):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    if filename.isascii():
        assert disposition == f'attachment; filename="{filename}"'
    else:  # RFC 5987: the name in UTF-8, percent-encoded
        assert disposition == f"attachment; filename*=utf-8''{quote(filename)}"
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("download", DOWNLOADS)
def test_a_pdf_is_an_attachment_named_after_its_vietnamese_title(
    as_user, cast, media_dirs, download
):
    url = DOWNLOADS[download](cast, "Giấy chứng nhận ATTP", pdf_upload("attp.pdf"))
    response = as_user(cast["admin"]).get(url)
    body = assert_private_attachment(response, "application/pdf", "Giấy chứng nhận ATTP.pdf")
    assert body == PDF


@pytest.mark.parametrize("download", DOWNLOADS)
def test_a_picture_is_an_attachment_of_its_own_type(as_user, cast, media_dirs, download):
    url = DOWNLOADS[download](cast, "Anh co so", image_upload("co-so.png", fmt="PNG"))
    response = as_user(cast["admin"]).get(url)
    assert_private_attachment(response, "image/png", "Anh co so.png")


@pytest.mark.parametrize("download", DOWNLOADS)
def test_a_title_cannot_steer_the_name_or_the_header(as_user, cast, media_dirs, download):
    title = 'a"b\\c/../../etc\r\nSet-Cookie: x=1;.html'
    url = DOWNLOADS[download](cast, title, pdf_upload())
    response = as_user(cast["admin"]).get(url)
    assert_private_attachment(response, "application/pdf", "a b c etc Set-Cookie x 1 .html.pdf")


@pytest.mark.parametrize("download", DOWNLOADS)
def test_a_file_stored_before_the_checks_is_never_sent_as_a_page(
    as_user, cast, media_dirs, download
):
    """A row pointing at bytes no check has read (stored by an older version, or put on the
    disk by hand): its name says .pdf, its bytes are HTML; it goes as unknown bytes."""
    url = DOWNLOADS[download](cast, "Giấy tờ cũ", pdf_upload())
    model = DossierDocument if download == "document" else EvidenceDocument
    row = model.objects.latest("pk")
    name = private_storage().save("cu/giay-to-cu.pdf", ContentFile(b"<html><script>x</script>"))
    model.objects.filter(pk=row.pk).update(file=name)
    response = as_user(cast["admin"]).get(url)
    body = assert_private_attachment(response, "application/octet-stream", "Giấy tờ cũ")
    assert body.startswith(b"<html>")


@pytest.mark.parametrize("download", DOWNLOADS)
def test_a_missing_file_is_a_404(as_user, cast, media_dirs, download):
    url = DOWNLOADS[download](cast, "Giấy ATTP", pdf_upload())
    model = DossierDocument if download == "document" else EvidenceDocument
    row = model.objects.latest("pk")
    private_storage().delete(row.file.name)
    assert as_user(cast["admin"]).get(url).status_code == 404
