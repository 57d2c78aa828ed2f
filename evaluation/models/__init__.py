from evaluation.models.certificates import Certificate
from evaluation.models.councils import ConflictDeclaration, Council, CouncilMembership
from evaluation.models.decisions import Decision
from evaluation.models.dossiers import (
    Dossier,
    DossierDocument,
    DossierStatusChange,
    EvaluationRound,
)
from evaluation.models.reports import FakeReport
from evaluation.models.results import CouncilResult
from evaluation.models.roles import OfficialRole
from evaluation.models.rulebooks import (
    Criterion,
    EliminationNote,
    Option,
    Rulebook,
    Sheet,
    SheetPart,
    SheetSection,
)
from evaluation.models.scorecards import Answer, Scorecard, ScorecardEvent
from evaluation.models.targets import Target

__all__ = [
    "Answer",
    "Certificate",
    "ConflictDeclaration",
    "Council",
    "CouncilMembership",
    "CouncilResult",
    "Criterion",
    "Decision",
    "Dossier",
    "DossierDocument",
    "DossierStatusChange",
    "EliminationNote",
    "EvaluationRound",
    "FakeReport",
    "OfficialRole",
    "Option",
    "Rulebook",
    "Scorecard",
    "ScorecardEvent",
    "Sheet",
    "SheetPart",
    "SheetSection",
    "Target",
]
