"""No row crashes the preview: a blank in any column is a row message, never a 500."""

import pytest

from imports.columns import COLUMNS
from tests.imports.rows import csv_bytes, good_row, upload_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", [c.key for c in COLUMNS])
def test_a_blank_in_any_column_is_a_row_message(as_user, people, import_url, key):
    client = as_user(people["city_office"])
    rows = [good_row(**{key: ""}), good_row(**{key: "   "})]
    response = client.post(import_url, {"file": upload_file(csv_bytes(rows))})
    assert response.status_code == 200, response.content[:2000]
