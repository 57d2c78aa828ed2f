"""The papers a dossier needs (evaluation.checklist): data with its legal source, and the
pure rule that says what filing still lacks."""

from dataclasses import dataclass

import pytest

from evaluation import checklist


@dataclass
class Doc:
    paper: str
    title: str = "giấy tờ"


@pytest.mark.parametrize("code", ["qd26-2026", "qd148-2023"])
def test_every_paper_names_its_source_and_both_languages(code):
    papers = checklist.papers_of(code)
    codes = [p.code for p in papers.papers]
    assert len(codes) == len(set(codes))
    for paper in papers.papers:
        assert paper.source and paper.title_vi and paper.title_en
    assert {p.code for p in papers.papers if p.required} == {
        "registration_form",
        "self_assessment_report",
    }


def test_decision_26_is_transcribed_and_148_says_it_could_not_be_checked():
    assert checklist.papers_of("qd26-2026").checked
    assert "Điều 6 khoản 1" in checklist.papers_of("qd26-2026").get("registration_form").source
    unchecked = checklist.papers_of("qd148-2023")
    assert not unchecked.checked
    assert all(p.source.startswith("Theo 26/2026/QĐ-TTg") for p in unchecked.papers)


def test_an_empty_dossier_lacks_both_forms_and_the_self_assessment():
    gaps = checklist.checklist("qd26-2026", "first", "I", [], False).missing
    assert len(gaps) == 3
    assert any("Mẫu số 01" in gap for gap in gaps)
    assert any("Mẫu số 02" in gap for gap in gaps)
    assert any("self-assessment" in gap or "tự đánh giá" in gap for gap in gaps)


def test_the_two_forms_and_a_submitted_self_assessment_make_it_complete():
    docs = [Doc("registration_form"), Doc("self_assessment_report")]
    result = checklist.checklist("qd26-2026", "first", "I", docs, True)
    assert result.complete and result.missing == []
    assert (result.done_count, result.required_count) == (3, 3)


def test_suggested_evidence_is_shown_and_never_required():
    docs = [Doc("registration_form"), Doc("self_assessment_report"), Doc("awards"), Doc("")]
    result = checklist.checklist("qd26-2026", "first", "I", docs, True)
    assert result.complete
    assert result.evidence_done == 1
    assert [d.paper for d in result.other_documents] == [""]
    assert len(result.evidence_lines) == 14


def test_a_paper_attached_twice_counts_once_and_both_are_listed():
    docs = [Doc("registration_form"), Doc("registration_form")]
    result = checklist.checklist("qd26-2026", "first", "I", docs, False)
    line = result.required_lines[0]
    assert line.done and len(line.documents) == 2


def test_samples_are_asked_for_except_for_tourism():
    assert checklist.checklist("qd26-2026", "first", "I", [], False).samples == 5
    assert checklist.checklist("qd26-2026", "first", "VI", [], False).samples == 0


@pytest.mark.parametrize(
    ("kind", "words"),
    [("upgrade", "những thay đổi"), ("reevaluation", "Cập nhật nội dung mới"), ("first", "")],
)
def test_the_report_says_what_each_kind_of_dossier_adds(kind, words):
    from django.utils import translation

    with translation.override("vi"):
        result = checklist.checklist("qd26-2026", kind, "I", [], False)
    report = next(line for line in result.lines if line.paper.code == "self_assessment_report")
    assert (words in report.note) if words else report.note == ""
