"""Councils, rounds and dossiers for the evaluation tests (plain functions, no magic)."""

from datetime import date

from django.contrib.auth import get_user_model

from evaluation.models import Council, CouncilMembership, Dossier, EvaluationRound, Sheet
from tests.factories import ProductFactory, district

#: The council of the tests: a chair, three members and a secretary (who does not score).
ROLES = {
    "chair": CouncilMembership.Role.CHAIR,
    "member1": CouncilMembership.Role.MEMBER,
    "member2": CouncilMembership.Role.MEMBER,
    "member3": CouncilMembership.Role.MEMBER,
    "secretary": CouncilMembership.Role.SECRETARY,
}


def make_user(username):
    """Without a password: hashing one costs a third of a second per user."""
    return get_user_model().objects.create_user(username, f"{username}@example.vn")


def make_council(name="Hội đồng OCOP huyện Hoài Đức", level="district", unit=None, prefix=""):
    """A council with ROLES; returns (council, {role name: user})."""
    council = Council.objects.create(
        name=name, level=level, unit=unit if unit is not None else district("274")
    )
    people = {}
    for key, role in ROLES.items():
        people[key] = make_user(f"{prefix}{key}")
        CouncilMembership.objects.create(council=council, user=people[key], role=role)
    return council, people


def make_round(council, rulebook, level="district", name="Hoài Đức 2024 đợt 1"):
    return EvaluationRound.objects.create(
        name=name,
        rulebook=rulebook,
        level=level,
        unit=council.unit,
        council=council,
        opens_on=date(2024, 3, 1),
        closes_on=date(2024, 6, 30),
    )


def sheet_of(rulebook, product_set: int) -> Sheet:
    return Sheet.objects.get(rulebook=rulebook, product_set__number=product_set)


def make_dossier(round_, status=Dossier.Status.DRAFT, *, product_set=1, product=None):
    sheet = sheet_of(round_.rulebook, product_set)
    if product is None:
        product = ProductFactory(product_set=sheet.product_set)
    return Dossier.objects.create(round=round_, product=product, sheet=sheet, status=status)
