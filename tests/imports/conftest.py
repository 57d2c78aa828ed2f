"""The imports folder runs in English and posts as the shared cast's offices."""

import pytest
from django.urls import reverse

from imports.access import import_scope


@pytest.fixture(autouse=True)
def in_english(english):
    """Messages are asserted in their English msgids: pages and reverse() in English."""


@pytest.fixture
def hanoi_scope(people):
    """Where Hà Nội's office may import: its province."""
    return import_scope(people["city_office"])


@pytest.fixture
def import_url():
    return reverse("imports:upload")


@pytest.fixture
def confirm_url():
    return reverse("imports:confirm")
