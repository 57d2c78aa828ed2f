"""Data migrations that bring stored rows in line with new rules, run on today's models."""

import importlib

import pytest
from django.apps import apps

from evaluation.models import Dossier, Rulebook
from tests.factories import bare_round, district, make_dossier, new_product

pytestmark = pytest.mark.django_db

five_star_path = importlib.import_module(
    "evaluation.migrations.0006_forwarded_kind_and_five_star_path"
)
S = Dossier.Status


def test_dossiers_sent_up_take_back_the_kind_of_the_application_they_carry_on(qd148, hanoi):
    product = new_product()
    first = make_dossier(
        bare_round(qd148, "district", district("274"), "Hoài Đức 2024"),
        S.FORWARDED,
        product=product,
    )
    city = make_dossier(
        bare_round(qd148, "province", hanoi, "Hà Nội 2024"),
        S.FORWARDED,
        product=product,
        forwarded_from=first,
        kind=Dossier.Kind.UPGRADE,  # as the old code labelled it
    )
    central = make_dossier(
        bare_round(qd148, "central", None, "Trung ương 2025"),
        S.SUBMITTED,
        product=product,
        forwarded_from=city,
        kind=Dossier.Kind.UPGRADE,
    )
    own_upgrade = make_dossier(
        bare_round(qd148, "province", hanoi, "Hà Nội 2025"),
        S.SUBMITTED,
        product=new_product(),
        kind=Dossier.Kind.UPGRADE,  # the producer's own upgrade application: kept
    )

    five_star_path.forward(apps, None)

    kinds = dict(Dossier.objects.values_list("pk", "kind"))
    assert kinds[city.pk] == kinds[central.pk] == Dossier.Kind.FIRST
    assert kinds[own_upgrade.pk] == Dossier.Kind.UPGRADE


def test_rulebooks_loaded_before_gain_the_keys_of_the_five_star_path(qd26, qd148):
    as_loaded = {
        code: Rulebook.objects.get(code=code).levels for code in ("qd26-2026", "qd148-2023")
    }
    for rulebook in (qd26, qd148):
        rulebook.levels = [
            {
                k: v
                for k, v in level.items()
                if k
                in (
                    "code",
                    "name",
                    "recognises",
                    "forwards_to",
                    "forward_min_score",
                    "scores",
                    "prechecks",
                )
            }
            for level in rulebook.levels
        ]
        rulebook.save(update_fields=["levels"])

    five_star_path.forward(apps, None)

    for code, levels in as_loaded.items():
        patched = Rulebook.objects.get(code=code).levels
        for before, after in zip(levels, patched, strict=True):
            for key in five_star_path.LEVEL_KEYS[code].get(before["code"], {}):
                assert after[key] == before[key], (code, before["code"], key)
