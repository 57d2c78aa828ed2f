import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.caching import forget_local
from evaluation.models import Target
from tests.factories import ProductFactory, certificate_of, commune

pytestmark = pytest.mark.django_db


def table(response, key):
    return dict(next(t for t in response.context["tables"] if t.key == key).rows)


def test_public_figures_count_only_products_in_force(client):
    for stars in (3, 3, 4, 5):
        ProductFactory(stars=stars)
    ProductFactory(stars=2)
    ProductFactory(stars=4, is_published=False)
    expired = ProductFactory(stars=4)
    certificate = certificate_of(expired)
    certificate.issued_on, certificate.expires_on = date(2020, 1, 1), date(2023, 1, 1)
    certificate.save()
    response = client.get(reverse("evaluation:statistics"))
    assert table(response, "stars") == {"5 ★": 1, "4 ★": 1, "3 ★": 2}
    assert table(response, "provinces") == {"Thành phố Hà Nội": 4}
    assert table(response, "districts") == {"Huyện Hoài Đức": 4}
    assert sum(table(response, "years").values()) == 4
    assert "potential" not in {t.key for t in response.context["tables"]}


def test_every_table_exports_to_csv_with_vietnamese_intact(client):
    ProductFactory(stars=4)
    response = client.get(reverse("evaluation:statistics_csv", args=["provinces"]))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1] == ["Thành phố Hà Nội", "1"]
    assert client.get(reverse("evaluation:statistics_csv", args=["expiring"])).status_code == 404


def test_officials_see_expiring_certificates_and_progress(as_user, people, hanoi):
    client = as_user(people["city_office"])
    soon = ProductFactory(stars=4)
    certificate = certificate_of(soon)
    certificate.expires_on = timezone.localdate() + timedelta(days=100)
    certificate.save()
    for stars in (5, 3, 3, 3):
        ProductFactory(stars=stars)
    Target.objects.create(
        name="Sản phẩm được đánh giá",
        metric="evaluated",
        unit=hanoi,
        value=10,
        deadline=date(2025, 12, 31),
    )
    Target.objects.create(
        name="Tỷ lệ 5 sao", metric="five_star_share", value=3, deadline=date(2025, 12, 31)
    )
    response = client.get(reverse("evaluation:official_statistics"))
    assert sum(table(response, "expiring").values()) == 1
    progress = {p.target.name: p for p in response.context["progress"]}
    assert progress["Sản phẩm được đánh giá"].actual == 5
    assert progress["Sản phẩm được đánh giá"].percent == 50
    assert progress["Tỷ lệ 5 sao"].actual == Decimal("20.00")
    assert progress["Tỷ lệ 5 sao"].percent == 100


def test_officials_page_is_not_for_the_public(client, people):
    assert client.get(reverse("evaluation:official_statistics")).status_code == 302
    client.force_login(people["citizen"])
    assert client.get(reverse("evaluation:official_statistics")).status_code == 404


def queries(client, url):
    cache.clear()  # measure the uncached request: counts and figures are cached
    forget_local()  # and what this process keeps (core/caching.py)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_statistics_run_the_same_queries_at_10_and_120_products(as_user, people):
    client = as_user(people["city_office"])
    other = commune("Xã Bát Tràng")
    for n in range(10):
        ProductFactory(stars=3 + n % 3)
    small = (
        queries(client, reverse("evaluation:statistics")),
        queries(client, reverse("evaluation:official_statistics")),
    )
    for n in range(110):
        ProductFactory(stars=3 + n % 3, producer__commune=other)
    assert (
        queries(client, reverse("evaluation:statistics")),
        queries(client, reverse("evaluation:official_statistics")),
    ) == small


def test_every_table_exports_to_xlsx(client):
    from openpyxl import load_workbook

    ProductFactory(stars=4)
    response = client.get(reverse("evaluation:statistics_xlsx", args=["groups"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1] == ("Sản phẩm thực phẩm", 1)


def test_exports_write_a_formula_looking_name_as_plain_text(client):
    """A product group renamed "=HYPERLINK(…)" must not become a formula on an official's
    computer, in the CSV or in the XLSX (openpyxl writes "=…" text as a formula)."""
    from openpyxl import load_workbook

    product = ProductFactory(stars=4)
    group = product.product_set.group
    group.name = '=HYPERLINK("http://example.invalid","Bấm vào đây")'
    group.save()
    text = client.get(reverse("evaluation:statistics_csv", args=["groups"])).content.decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][0] == "'" + group.name
    response = client.get(reverse("evaluation:statistics_xlsx", args=["groups"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == "'" + group.name
