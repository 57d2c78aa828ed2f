"""Numbers and dates in one style per language (ocop_site/formats): 82,00, 1.234 and
20/10/2026 in Vietnamese; 82.00, 1,234 and 20/10/2026 in English."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.utils import translation

DAY = date(2026, 10, 20)
PAGE = Template(
    "{% load humanize %}{{ mean }}|{{ mean|floatformat:2 }}|{{ text|floatformat:2 }}|"
    '{{ count|intcomma }}|{{ day|date:"SHORT_DATE_FORMAT" }}|{{ at|date:"SHORT_DATETIME_FORMAT" }}'
)


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("vi", "82,00|82,00|8,00|12.345|20/10/2026|20/10/2026 14:05"),
        ("en", "82.00|82.00|8.00|12,345|20/10/2026|20/10/2026 14:05"),
    ],
)
def test_a_page_writes_numbers_and_dates_in_its_language(language, shown):
    context = Context(
        {
            "mean": Decimal("82.00"),
            "text": "8.00",  # a number kept as text, as in a stored result
            "count": 12345,
            "day": DAY,
            "at": datetime(2026, 10, 20, 14, 5),
        }
    )
    with translation.override(language):
        assert PAGE.render(context) == shown


def test_a_year_or_an_identifier_is_never_grouped():
    with translation.override("vi"):
        assert Template("{{ year }}").render(Context({"year": 2026})) == "2026"
        assert intcomma(2026) == "2.026"  # only where a count asks for it
