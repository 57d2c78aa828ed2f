"""Shared fixtures: the reference data every test database starts with."""

import pytest

from registry.reference_data import (
    current_units,
    former_hanoi_districts,
    load_product_sets,
    load_units,
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load product sets and administrative units once per test run.

    They are reference data that every page needs; loading 3,385 units for each
    test would cost a second apiece.
    """
    with django_db_blocker.unblock():
        load_product_sets()
        load_units(current_units() + former_hanoi_districts())


@pytest.fixture(autouse=True)
def media_dirs(settings, tmp_path):
    """Real files, written to a throw-away folder per test (public and private)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Vietnamese: the test client leaves the last request's
    language active in the thread, which would make `reverse()` return /en/ URLs."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.deactivate()
