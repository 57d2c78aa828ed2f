"""The papers a producer's dossier needs, and how far a dossier is from having them.

The list is data: `rulebooks/<code>/papers.json`, transcribed from the decision with the
article each paper comes from (Decision 26/2026, Điều 6 khoản 1 and Mẫu số 01–02 of
Phụ lục III). Two papers are required for every kind of dossier — the registration form
and the self-assessment report — and so is the self-scoring the report's Phần III asks
for, which producers do on their self-assessment card. The evidence listed in the
report's table is, in the decision's own word, a reference ("tham khảo"): suggested, not
required, so a missing one is shown and never refuses filing.

`checklist()` is a pure function of the dossier's rulebook, kind, product group, its
documents and its self-assessment card: the dossier page, the filing page and
`filing.file_dossier` all read it, so the page never promises what filing refuses.
"""

import json
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from evaluation.sheetfile import RULEBOOKS_DIR


@dataclass(frozen=True)
class Paper:
    code: str
    title_vi: str
    title_en: str
    requirement: str  # what the decision asks of it ("Bản sao …"), in Vietnamese
    required: bool
    source: str  # the article, as printed
    kind_notes: dict  # kind → what this kind of dossier must add (vi)
    kind_notes_en: dict

    @property
    def title(self) -> str:
        english = (get_language() or "vi").startswith("en")
        return self.title_en if english else self.title_vi

    def note_for(self, kind: str) -> str:
        english = (get_language() or "vi").startswith("en")
        return (self.kind_notes_en if english else self.kind_notes).get(kind, "")


@dataclass(frozen=True)
class Papers:
    document: str  # the decision the list comes from
    checked: bool  # False when the rulebook's own text was not at hand (Decision 148)
    note: str
    papers: tuple[Paper, ...]
    self_assessment_required: bool
    self_assessment_source: str
    samples: int
    samples_except_groups: tuple[str, ...]
    samples_source: str

    def get(self, code: str) -> Paper | None:
        return next((p for p in self.papers if p.code == code), None)

    def choices(self) -> list[tuple[str, str]]:
        return [(p.code, p.title) for p in self.papers]


@lru_cache(maxsize=8)
def papers_of(rulebook_code: str) -> Papers:
    data = json.loads((RULEBOOKS_DIR / rulebook_code / "papers.json").read_text("utf-8"))
    samples = data.get("samples") or {}
    return Papers(
        document=data["source"]["document"],
        checked=data["source"]["status"] == "transcribed",
        note=data["source"].get("note", ""),
        papers=tuple(
            Paper(
                code=p["code"],
                title_vi=p["title"],
                title_en=p["title_en"],
                requirement=p.get("requirement", ""),
                required=p["required"],
                source=p["source"],
                kind_notes=p.get("kind_notes", {}),
                kind_notes_en=p.get("kind_notes_en", {}),
            )
            for p in data["papers"]
        ),
        self_assessment_required=data.get("self_assessment_required", False),
        self_assessment_source=data.get("self_assessment_source", ""),
        samples=samples.get("count", 0),
        samples_except_groups=tuple(samples.get("except_groups", ())),
        samples_source=samples.get("source", ""),
    )


@dataclass
class Line:
    paper: Paper
    documents: list = field(default_factory=list)
    note: str = ""  # what this kind of dossier must add to the paper

    @property
    def done(self) -> bool:
        return bool(self.documents)


@dataclass
class Checklist:
    papers: Papers
    kind: str
    lines: list[Line]
    other_documents: list  # attached without a paper named
    self_assessment_done: bool
    samples: int  # product samples to hand in with the paper dossier (0: none)

    @property
    def required_lines(self) -> list[Line]:
        return [line for line in self.lines if line.paper.required]

    @property
    def evidence_lines(self) -> list[Line]:
        return [line for line in self.lines if not line.paper.required]

    @property
    def missing(self) -> list[str]:
        """What filing still needs, each in words; empty when the dossier can be filed."""
        gaps = [
            _("%(paper)s is not attached.") % {"paper": line.paper.title}
            for line in self.required_lines
            if not line.done
        ]
        if self.papers.self_assessment_required and not self.self_assessment_done:
            gaps.append(
                _(
                    "The self-assessment is not complete: score every criterion on the "
                    "self-assessment card."
                )
            )
        return gaps

    @property
    def evidence_done(self) -> int:
        return sum(line.done for line in self.evidence_lines)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def done_count(self) -> int:
        return sum(line.done for line in self.required_lines) + (
            1 if self.papers.self_assessment_required and self.self_assessment_done else 0
        )

    @property
    def required_count(self) -> int:
        return len(self.required_lines) + (1 if self.papers.self_assessment_required else 0)


def checklist(
    rulebook_code: str, kind: str, group: str, documents, self_assessment_done: bool
) -> Checklist:
    """The checklist of a dossier of `kind` for a product of product-set `group`, with
    `documents` (anything with a `paper` code) attached."""
    papers = papers_of(rulebook_code)
    by_code: dict[str, list] = {}
    for document in documents:
        by_code.setdefault(document.paper or "", []).append(document)
    lines = [
        Line(paper, by_code.pop(paper.code, []), paper.note_for(kind)) for paper in papers.papers
    ]
    other = [d for docs in by_code.values() for d in docs]
    samples = 0 if group in papers.samples_except_groups else papers.samples
    return Checklist(papers, kind, lines, other, self_assessment_done, samples)


def for_dossier(dossier, documents=None) -> Checklist:
    """The checklist of a dossier as it is in the database (four queries at most: its
    documents unless given, its self-assessment, its sheet's criteria, its product's
    group). The self-assessment is done when every criterion of the sheet has an answer
    (or the producer submitted the card): a card frozen by its submission could not be
    corrected on a returned dossier, so completeness, not the lock, is what counts."""
    from django.db.models import Count

    from evaluation.models import Criterion, Scorecard

    if documents is None:
        documents = list(dossier.documents.all())
    card = (
        Scorecard.objects.filter(dossier=dossier, kind=Scorecard.Kind.SELF)
        .annotate(answered=Count("answers"))
        .values("status", "answered")
        .first()
    )
    done = card is not None and (
        card["status"] == Scorecard.Status.SUBMITTED
        or card["answered"] >= Criterion.objects.filter(sheet=dossier.sheet_id).count()
    )
    group = dossier.product.product_set.group if dossier.product.product_set_id else ""
    return checklist(dossier.round.rulebook.code, dossier.kind, group or "", documents, done)
