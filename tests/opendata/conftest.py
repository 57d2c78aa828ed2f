"""The open-data API's tests share one small Hanoi catalogue (tests/opendata/helpers.py)."""

import pytest

from tests.opendata.helpers import catalogue


@pytest.fixture
def products(db):
    """The catalogue's products by key: three public, five hidden in every way there is."""
    return catalogue()
