"""The English statistics are in English: every word but the proper names (places,
products) and the numbers of Vietnamese legal acts ("QĐ-TTg")."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from registry.models import AdministrativeUnit, Product, ProductSet
from tests.factories import ProductFactory, certificate_of

pytestmark = pytest.mark.django_db
VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)


def proper_names() -> list[str]:
    places = AdministrativeUnit.objects.filter(
        pk__in=Product.objects.values("producer__commune")
    ).values_list("name", "parent__name")
    names = {name for pair in places for name in pair if name}
    names |= {
        unit.name
        for unit in AdministrativeUnit.objects.filter(
            pk__in=Product.objects.values("producer__district")
        )
    }
    names |= set(Product.objects.values_list("name", flat=True))
    names |= {"QĐ-TTg", "Tiếng Việt"}
    return sorted(names, key=len, reverse=True)


def vietnamese_left(text: str) -> list[str]:
    for name in proper_names():
        text = text.replace(name, "")
    text = re.sub(r"<[^>]+>", " ", text)  # tags and their attributes (lang="vi" links)
    return sorted({word for word in text.split() if VIETNAMESE.search(word)})


@pytest.fixture
def figures():
    sets = list(ProductSet.objects.order_by("number"))
    for index, stars in enumerate((5, 4, 4, 3)):
        ProductFactory(stars=stars, product_set=sets[index * 6])
    soon = certificate_of(ProductFactory(stars=3, product_set=sets[1]))
    soon.expires_on = timezone.localdate() + timedelta(days=60)
    soon.save()
    return soon


def test_the_public_statistics_in_english_leave_no_vietnamese(client, figures):
    with translation.override("en"):
        url = reverse("evaluation:statistics")
    assert url.startswith("/en/")
    body = client.get(url).content.decode()
    assert "By product group" in body and "Food" in body
    assert vietnamese_left(body) == []


def test_the_officials_figures_in_english_name_the_months(as_user, people, figures):
    with translation.override("en"):
        url = reverse("evaluation:official_statistics")
    expires = figures.expires_on
    body = as_user(people["city_office"]).get(url).content.decode()
    assert f"{expires:%B} {expires.year}" in body
    assert vietnamese_left(body) == []


def test_the_exports_in_english_are_in_english(client, figures):
    with translation.override("en"):
        url = reverse("evaluation:statistics_csv", args=["groups"])
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert rows[0][0] == "By product group"
    assert vietnamese_left(" ".join(cell for row in rows for cell in row)) == []
