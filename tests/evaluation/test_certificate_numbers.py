"""Every stored certificate number is the form the public check looks up
(`verification.normalise_number`): the data migration brings numbers imported as typed into
that form, and leaves and reports those that would then collide with another."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from evaluation import verification
from evaluation.models import Certificate
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("evaluation.migrations.0005_normalise_certificate_numbers")


def stored(number):
    product = ProductFactory(stars=3, certified=False)
    return Certificate.objects.create(
        number=number,
        product=product,
        level="district",
        stars=3,
        issued_on=date(2023, 5, 1),
        expires_on=date(2026, 5, 1),
    )


def test_numbers_stored_as_typed_are_normalised_and_collisions_reported(capsys):
    typed = stored("ocop h4 lower 1")
    already = stored("OCOP-01-2024-000001")
    twins = [stored("HN 12/QĐ"), stored("hn12/qđ")]
    clash, taken = stored("x 1"), stored("X1")
    assert verification.find("ocop h4 lower 1") is None  # the public check cannot find it

    migration.normalise_numbers(apps, None)

    numbers = dict(Certificate.objects.values_list("pk", "number"))
    assert numbers[typed.pk] == "OCOPH4LOWER1"
    assert numbers[already.pk] == "OCOP-01-2024-000001"
    # Left as they were, and said: nothing merged, nothing lost.
    assert [numbers[c.pk] for c in twins] == ["HN 12/QĐ", "hn12/qđ"]
    assert (numbers[clash.pk], numbers[taken.pk]) == ("x 1", "X1")
    report = capsys.readouterr().out
    assert "HN12/QĐ" in report and "X1" in report
    assert f"{twins[0].pk}" in report and f"{clash.pk}" in report
    assert verification.find("ocop h4 lower 1") == typed
