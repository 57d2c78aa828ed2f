"""Rulebooks in the test database, loaded from the shipped files."""

import pytest

from evaluation import loading
from evaluation.models import Rulebook


@pytest.fixture
def qd148(db):
    """Only Decision 148 (one sheet): quick, for tests that need a dossier but not every sheet."""
    loading.load_rulebook_dir(loading.RULEBOOKS_DIR / "qd148-2023")
    return Rulebook.objects.get(code="qd148-2023")


@pytest.fixture
def rulebooks(db):
    """Both rulebooks and all 27 sheets, through evaluation.loading.load_all()."""
    loading.load_all()
    return {r.code: r for r in Rulebook.objects.all()}
