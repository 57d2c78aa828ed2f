"""PDFs are read by a parser (core.pdf), not searched as bytes: what acts is refused wherever
it hides, a plain PDF is kept. The files are real PDFs (tests/pdfs.py)."""

import pytest
from django.core.exceptions import ValidationError

from core import pdf as pdf_rules
from core.pdf import check_pdf
from tests import pdfs
from tests.factories import PDF, pdf_bytes


def refusal(data) -> str:
    with pytest.raises(ValidationError) as refused:
        check_pdf(data)
    return refused.value.code


def test_a_plain_pdf_is_accepted():
    check_pdf(PDF)
    check_pdf(pdf_bytes(title="Giấy chứng nhận an toàn thực phẩm"))


def test_a_pdf_packed_in_an_object_stream_is_read_and_accepted_when_plain():
    """The packed layout itself is fine (PDF 1.5+ writers all use it): only what it holds
    decides."""
    check_pdf(pdfs.packed(pdfs.GO_TO_PAGE_ONE))


def test_javascript_inside_a_compressed_object_stream_is_found():
    data = pdfs.packed(pdfs.JAVASCRIPT)
    # What a byte search sees: none of the names that run the script.
    for name in (b"JavaScript", b"/JS", b"OpenAction", b"app.alert"):
        assert name not in data
    assert refusal(data) == "pdf_active_content"


def test_javascript_in_an_object_the_table_does_not_list_is_found():
    """A viewer repairing the file reads every object it finds; so does the check."""
    assert refusal(pdfs.packed(pdfs.JAVASCRIPT, list_action=False)) == "pdf_active_content"
    assert refusal(pdfs.with_unlisted_object(pdfs.JAVASCRIPT)) == "pdf_active_content"


@pytest.mark.parametrize(
    "action",
    [
        pdfs.JAVASCRIPT,
        # #xx escapes spell the same names: /JavaScript and /JS for every PDF reader.
        b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert(1)) >>",
        b"<< /S /Launch /F (cmd.exe) >>",
        b"<< /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>",
        b"<< /S /SubmitForm /F << /FS /URL /F (https://example.com/collect) >> >>",
        b"<< /S /ImportData /F (data.fdf) >>",
        b"<< /S /GoToR /F (other.pdf) /D [0 /Fit] >>",
        b"<< /S /GoToE /T << /R /C /N (attached.pdf) >> >>",
        b"<< /S /Rendition /JS (app.alert(1)) >>",
        b"<< /S /URI /URI (javascript:app.alert(1)) >>",
        b"<< /S /URI /URI (file:///C:/Windows/System32/cmd.exe) >>",
    ],
    ids=[
        "javascript",
        "escaped javascript",
        "launch",
        "launch windows",
        "submit form",
        "import data",
        "go to another file",
        "go to an embedded file",
        "rendition",
        "javascript link",
        "local file link",
    ],
)
def test_actions_that_run_or_open_something_are_refused(action):
    assert refusal(pdfs.classic(action)) == "pdf_active_content"
    assert refusal(pdfs.packed(action)) == "pdf_active_content"


def test_a_link_to_a_web_page_is_kept():
    check_pdf(pdfs.classic(b"<< /S /URI /URI (https://ocop.hanoi.gov.vn/) >>"))


def test_launch_written_by_a_pdf_library_is_refused():
    assert refusal(pdfs.launching()) == "pdf_active_content"


def test_an_attached_file_is_refused():
    data = pdfs.with_attachment()
    assert refusal(data) == "pdf_attachment"


@pytest.mark.parametrize(
    "catalogue_entry",
    [
        b"/AcroForm << /Fields [] /XFA 9 0 R >>",
        b"/Names << /JavaScript << /Names [(a) 9 0 R] >> >>",
        b"/Names << /EmbeddedFiles << /Names [(a.exe) 9 0 R] >> >>",
    ],
    ids=["xfa form", "document javascript", "embedded files"],
)
def test_active_parts_of_the_catalogue_are_refused(catalogue_entry):
    data = pdfs.classic(pdfs.GO_TO_PAGE_ONE).replace(
        b"/OpenAction 4 0 R", b"/OpenAction 4 0 R " + catalogue_entry
    )
    assert refusal(data) in {"pdf_active_content", "pdf_attachment"}


def test_an_attachment_annotation_on_a_page_is_refused():
    data = pdfs.classic(pdfs.GO_TO_PAGE_ONE).replace(
        b"/MediaBox [0 0 595 842]",
        b"/MediaBox [0 0 595 842] /Annots [<< /Type /Annot /Subtype /FileAttachment "
        b"/Rect [0 0 10 10] /FS (a.exe) >>]",
    )
    assert refusal(data) == "pdf_attachment"


def test_an_encrypted_pdf_is_refused_with_what_to_do():
    assert refusal(pdfs.encrypted()) == "pdf_encrypted"


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\n%%EOF\n", PDF[: len(PDF) // 2], b"%PDF-1.7\n" + bytes(range(256)) * 8],
    ids=["no objects", "cut in half", "noise"],
)
def test_a_pdf_the_parser_cannot_read_is_refused_as_damaged(data):
    assert refusal(data) == "pdf_damaged"


def test_a_pdf_with_too_many_objects_is_refused_before_they_are_read(monkeypatch):
    """The bound is on objects counted (listed, unlisted, packed), before any is parsed."""
    data = pdfs.classic(pdfs.GO_TO_PAGE_ONE)  # four objects
    monkeypatch.setattr(pdf_rules, "MAX_OBJECTS", 4)
    check_pdf(data)
    assert refusal(pdfs.with_unlisted_object(b"<< >>")) == "pdf_too_complex"
    monkeypatch.setattr(pdf_rules, "MAX_OBJECTS", 3)
    monkeypatch.setattr(pdf_rules.PdfReader, "get_object", None)  # never reached
    assert refusal(data) == "pdf_too_complex"


def test_each_refusal_is_a_sentence(english):
    for data in (
        pdfs.packed(),
        pdfs.with_attachment(),
        pdfs.encrypted(),
        b"%PDF-1.4\n%%EOF\n",
    ):
        with pytest.raises(ValidationError) as refused:
            check_pdf(data)
        message = refused.value.messages[0]
        assert message.endswith(".") and "PDF" in message and len(message.split()) > 8
