"""A request larger than MAX_REQUEST_BYTES is answered 413 in words before its body reaches
the disk (ocop_site/middleware.py limit_request_size, ocop_site/upload_handlers.py)."""

import gc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.client import FakePayload, encode_multipart
from django.urls import reverse

from evaluation.models import Dossier, DossierDocument
from ocop_site.middleware import limit_request_size
from ocop_site.upload_handlers import RequestTooLarge

pytestmark = pytest.mark.django_db

LIMIT = 200 * 1024


@pytest.fixture
def small_limit(settings, tmp_path):
    """A limit of 200 KB, files over 10 KB spooled to a temporary folder the test watches."""
    settings.MAX_REQUEST_BYTES = LIMIT
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024
    folder = tmp_path / "upload-tmp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


def big_file(size=LIMIT + 1) -> SimpleUploadedFile:
    return SimpleUploadedFile("giay-to.pdf", b"%PDF-1.7\n" + b"0" * size)


def draft_dossier(cast):
    dossier = cast["dossier"]
    dossier.status = Dossier.Status.DRAFT
    dossier.save()
    return dossier


def test_an_upload_over_the_limit_is_answered_413_and_writes_nothing(
    as_user, cast, small_limit, media_dirs
):
    dossier = draft_dossier(cast)
    before = DossierDocument.objects.count()
    response = as_user(cast["owner"]).post(
        reverse("evaluation:upload", args=[dossier.pk]), {"title": "Hồ sơ", "file": big_file()}
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "200,0\xa0KB" in text and "ít tệp hơn" in text
    assert DossierDocument.objects.count() == before
    assert list(small_limit.iterdir()) == []
    assert not list((media_dirs / "private").rglob("*.pdf"))[1:]  # the cast's one document


def test_the_refusal_says_what_to_do_in_english(as_user, cast, small_limit, english):
    dossier = draft_dossier(cast)
    response = as_user(cast["owner"]).post(
        reverse("evaluation:upload", args=[dossier.pk]), {"title": "x", "file": big_file()}
    )
    assert response.status_code == 413
    text = response.content.decode()
    assert "larger than the 200.0\xa0KB" in text and "fewer or smaller files" in text


def test_any_address_is_bounded_even_one_that_takes_no_files(client, small_limit, db):
    response = client.post(reverse("login"), {"username": "x", "password": "y" * (LIMIT + 1)})
    assert response.status_code == 413


def test_an_upload_under_the_limit_goes_through(as_user, cast, small_limit, media_dirs):
    dossier = draft_dossier(cast)
    response = as_user(cast["owner"]).post(
        reverse("evaluation:upload", args=[dossier.pk]),
        {"title": "Giấy nhỏ", "file": big_file(LIMIT - 10 * 1024)},
    )
    assert response.status_code == 302  # refused by the form (not a real PDF), not by size


def multipart_request(body_size, *, declared=True):
    """A POST of one file as a WSGI server hands it to Django; without `declared`, the
    Content-Length header is left out, as in a chunked request."""
    body = encode_multipart("BoUnDaRy", {"file": big_file(body_size)})
    request = RequestFactory().generic(
        "POST", "/", body, content_type="multipart/form-data; boundary=BoUnDaRy"
    )
    if not declared:
        environ = dict(request.environ)
        del environ["CONTENT_LENGTH"]
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
        environ["wsgi.input"] = FakePayload(body)
        request = request.__class__(environ)
    return request


def test_the_upload_handler_stops_a_body_longer_than_the_limit_while_it_is_read(small_limit):
    """The bound that does not trust Content-Length: without the middleware in front, the
    parser stops once the file bytes pass the limit; the spooled part is deleted."""
    request = multipart_request(LIMIT * 3)
    with pytest.raises(RequestTooLarge):
        request.POST  # noqa: B018
    del request
    gc.collect()
    assert list(small_limit.iterdir()) == []


def test_the_middleware_answers_413_when_the_handler_stops_the_body(small_limit, monkeypatch):
    """A body longer than it declared (which Django under WSGI never reads; an ASGI server
    or a proxy rewriting the header might hand one on) is stopped by the handler, and the
    middleware says why."""
    monkeypatch.setattr("ocop_site.middleware.declared_length", lambda request: 0)
    request = multipart_request(LIMIT * 3)
    response = limit_request_size(lambda r: HttpResponse("reached the view"))(request)
    assert response.status_code == 413
    del request
    gc.collect()
    assert list(small_limit.iterdir()) == []


def test_a_chunked_body_without_a_length_is_not_read_at_all(small_limit):
    """Under WSGI Django reads Content-Length bytes and no more: a body without the header
    is read as empty, whatever its size, so nothing of it reaches the disk."""
    request = multipart_request(LIMIT * 3, declared=False)
    response = limit_request_size(lambda r: HttpResponse(f"{len(r.FILES)} files"))(request)
    assert response.content == b"0 files"
    assert list(small_limit.iterdir()) == []
